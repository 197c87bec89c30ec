using System.Net;
using System.Text;
using Helpdesk.Data.Identity;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;

namespace Helpdesk.Web.Tests;

/// <summary>Who may call what: 401 for anonymous, 403 for a wrong role, antiforgery on cookie writes.</summary>
public sealed class RoleTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    private const string AnyId = "6f9619ff-8b86-d011-b42d-00cf4fc964ff";

    public static TheoryData<string, string> StaffEndpoints => new()
    {
        { "GET", "/api/tickets" },
        { "POST", "/api/tickets" },
        { "GET", "/api/tickets/100001" },
        { "GET", "/api/tickets/100001/timeline" },
        { "PATCH", "/api/tickets/100001" },
        { "POST", "/api/tickets/100001/replies" },
        { "POST", "/api/tickets/100001/notes" },
        { "POST", "/api/tickets/100001/customer-messages" },
        { "POST", "/api/tickets/100001/assignment" },
        { "POST", "/api/tickets/100001/status" },
        { "POST", "/api/tickets/100001/merge" },
        { "GET", "/api/teams" },
        { "GET", "/api/staff" },
        { "GET", "/api/admin/staff" },
        { "POST", "/api/admin/staff" },
        { "PUT", $"/api/admin/staff/{AnyId}" },
    };

    private static HttpRequestMessage Request(string method, string url) => new(new HttpMethod(method), url)
    {
        Content = method == "GET" ? null : new StringContent(
            """{"subject":"x","type":"Inquiry","body":"x","status":"Resolved","unassign":true,"targetNumber":100002,"priority":"High","email":"x@example.com","displayName":"X","password":"Passw0rd!","roles":["Agent"],"disabled":true}""",
            Encoding.UTF8, "application/json"),
    };

    [Theory]
    [MemberData(nameof(StaffEndpoints))]
    public async Task Anonymous_caller_gets_401_problem(string method, string url)
    {
        using var anonymous = server.CreateClient();

        var response = await anonymous.Http.SendAsync(Request(method, url));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().Should().Contain("Sign in");
        response.Headers.Location.Should().BeNull("the API answers with a status, it does not redirect to the sign-in page");
    }

    [Fact]
    public async Task Anonymous_writes_leave_the_ticket_alone()
    {
        using var anonymous = server.CreateClient();
        var agent = await server.StaffAsync(Demo.Agent1);
        var before = await agent.GetTicketAsync(100001);

        foreach (var (method, url) in StaffEndpoints.Select(d => ((string)d[0], (string)d[1])).Where(e => e.Item1 != "GET" && e.Item2.Contains("100001")))
            (await anonymous.Http.SendAsync(Request(method, url))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        await agent.ShouldBeUnchangedAsync(before);
    }

    [Theory]
    [InlineData(Demo.Agent1, "GET", "/api/admin/staff")]
    [InlineData(Demo.Agent1, "POST", "/api/admin/staff")]
    [InlineData(Demo.Agent1, "PUT", $"/api/admin/staff/{AnyId}")]
    [InlineData(Demo.Supervisor, "GET", "/api/admin/staff")]
    [InlineData(Demo.Supervisor, "POST", "/api/admin/staff")]
    public async Task Staff_without_the_admin_role_get_403_from_staff_administration(string who, string method, string url)
    {
        var client = await server.StaffAsync(who);

        var response = await client.Http.SendAsync(Request(method, url));

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Agent_is_not_able_to_create_staff_even_with_a_valid_request()
    {
        var agent = await server.StaffAsync(Demo.Agent1);
        var admin = await server.StaffAsync(Demo.Admin);

        var response = await agent.PostJsonAsync("/api/admin/staff", new { email = "sneaky@example.com", displayName = "Sneaky", password = "Passw0rd!", roles = new[] { "Admin" } });

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var staff = await admin.Http.GetFromJsonAsync<List<StaffAccount>>("/api/admin/staff", TestJson.Options);
        staff!.Should().NotContain(s => s.Email == "sneaky@example.com");
    }

    [Fact]
    public async Task Admin_may_use_staff_administration()
    {
        var admin = await server.StaffAsync(Demo.Admin);

        var response = await admin.Http.GetAsync("/api/admin/staff");

        await response.ShouldBeAsync(HttpStatusCode.OK);
        (await response.ReadAsync<List<StaffAccount>>()).Select(s => s.Email).Should().Contain([Demo.Admin, Demo.Agent1]);
    }

    [Theory]
    [InlineData(Demo.Agent1)]
    [InlineData(Demo.Supervisor)]
    [InlineData(Demo.Admin)]
    public async Task Every_staff_role_may_work_tickets(string who)
    {
        var client = await server.StaffAsync(who);

        var ticket = await client.NewTicketAsync();
        await client.PostMessageAsync(ticket.Ticket.Number, "notes", $"{who} was here");

        (await client.Http.GetAsync("/api/tickets")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.Http.GetAsync("/api/teams")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    // ---- antiforgery --------------------------------------------------------------------

    [Theory]
    [InlineData("POST", "replies")]
    [InlineData("POST", "notes")]
    [InlineData("POST", "status")]
    [InlineData("POST", "assignment")]
    [InlineData("PATCH", "")]
    public async Task Cookie_write_without_the_antiforgery_header_is_400_antiforgery_and_writes_nothing(string method, string action)
    {
        var agent = await server.StaffAsync(Demo.Agent1);
        var ticket = await agent.TicketInStatusAsync(Core.Tickets.TicketStatus.Assigned);
        using var forgetful = await server.SignedInAsync(Demo.Agent1);
        forgetful.SendAntiforgery = false;

        var request = new HttpRequestMessage(new HttpMethod(method), $"/api/tickets/{ticket.Ticket.Number}/{action}".TrimEnd('/'))
        {
            Content = JsonContent.Create(new { body = "forged?", status = "Resolved", unassign = true, priority = "Urgent" }),
        };
        var response = await forgetful.Http.SendAsync(request);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Code().Should().Be("antiforgery");
        await agent.ShouldBeUnchangedAsync(ticket);
    }

    [Fact]
    public async Task Creating_a_ticket_without_the_antiforgery_header_creates_nothing()
    {
        using var forgetful = await server.SignedInAsync(Demo.Agent2);
        forgetful.SendAntiforgery = false;
        var word = TicketsClient.UniqueWord();

        var response = await forgetful.PostJsonAsync("/api/tickets", new { subject = word, type = "Inquiry" });

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Code().Should().Be("antiforgery");
        var page = await forgetful.Http.GetFromJsonAsync<TicketPage>($"/api/tickets?q={word}", TestJson.Options);
        page!.Items.Should().BeEmpty("reads need no token; the write did not happen");
    }

    [Fact]
    public async Task A_token_that_does_not_match_the_session_is_refused()
    {
        using var client = await server.SignedInAsync(Demo.Supervisor);
        client.SendAntiforgery = false;
        var ticket = await (await server.StaffAsync(Demo.Agent1)).NewTicketAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/{ticket.Ticket.Number}/notes") { Content = JsonContent.Create(new { body = "x" }) };
        request.Headers.Add("X-XSRF-TOKEN", "CfDJ8-made-up-token");

        var response = await client.Http.SendAsync(request);

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Code().Should().Be("antiforgery");
        await (await server.StaffAsync(Demo.Agent1)).ShouldBeUnchangedAsync(ticket);
    }

    [Fact]
    public async Task Staff_admin_write_without_the_antiforgery_header_creates_no_user()
    {
        using var forgetful = await server.SignedInAsync(Demo.Admin);
        forgetful.SendAntiforgery = false;

        var response = await forgetful.PostJsonAsync("/api/admin/staff", new { email = "forged@example.com", displayName = "Forged", password = "Passw0rd!", roles = new[] { "Admin" } });

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Code().Should().Be("antiforgery");
        var staff = await forgetful.Http.GetFromJsonAsync<List<StaffAccount>>("/api/admin/staff", TestJson.Options);
        staff!.Should().NotContain(s => s.Email == "forged@example.com");
    }
}

/// <summary>Sign-in, sign-out, the session, lockout and disabled accounts.</summary>
public sealed class AuthTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    private Task<StaffClient> Admin => server.StaffAsync(Demo.Admin);

    /// <summary>A fresh user of its own, so locking or disabling it does not disturb other tests.</summary>
    private async Task<(string Email, string Password, StaffAccount Account)> NewUserAsync(params string[] roles)
    {
        var email = $"{TicketsClient.UniqueWord("u")}@example.com";
        const string password = "Str0ng!Passw0rd";
        var response = await (await Admin).PostJsonAsync("/api/admin/staff",
            new { email, displayName = "Test " + email, password, roles = roles.Length == 0 ? [StaffRoles.Agent] : roles });
        await response.ShouldBeAsync(HttpStatusCode.Created);
        return (email, password, await response.ReadAsync<StaffAccount>());
    }

    private static Task<HttpResponseMessage> SignInAsync(StaffClient client, string email, string password) =>
        client.PostJsonAsync("/api/auth/sign-in", new { email, password });

    [Fact]
    public async Task Anonymous_session_says_signed_out_and_hands_out_the_antiforgery_token()
    {
        using var client = server.CreateClient();

        var session = await client.Http.GetFromJsonAsync<SessionInfo>("/api/auth/session", TestJson.Options);

        session!.SignedIn.Should().BeFalse();
        session.Roles.Should().BeEmpty();
        client.Cookies.GetCookies(server.BaseAddress)["XSRF-TOKEN"]!.Value.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Sign_in_answers_the_session_and_sign_out_ends_it()
    {
        using var client = server.CreateClient();

        var signIn = await SignInAsync(client, Demo.Agent2, "Demo123!");

        await signIn.ShouldBeAsync(HttpStatusCode.OK);
        var info = await signIn.ReadAsync<SessionInfo>();
        info.SignedIn.Should().BeTrue();
        info.Email.Should().Be(Demo.Agent2);
        info.Roles.Should().Equal(StaffRoles.Agent);
        info.TeamIds.Should().ContainSingle();
        client.Cookies.GetCookies(server.BaseAddress)["helpdesk.staff"].Should().NotBeNull();
        (await client.Http.GetFromJsonAsync<SessionInfo>("/api/auth/session", TestJson.Options)).Should().BeEquivalentTo(info);
        (await client.Http.GetAsync("/api/tickets")).StatusCode.Should().Be(HttpStatusCode.OK);

        var signOut = await client.Http.PostAsync("/api/auth/sign-out", null);

        signOut.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.Http.GetFromJsonAsync<SessionInfo>("/api/auth/session", TestJson.Options))!.SignedIn.Should().BeFalse();
        (await client.Http.GetAsync("/api/tickets")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Sign_out_without_the_antiforgery_header_is_refused_and_the_session_stays()
    {
        using var client = await server.SignedInAsync(Demo.Supervisor);
        client.SendAntiforgery = false;

        var signOut = await client.Http.PostAsync("/api/auth/sign-out", null);

        (await signOut.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Code().Should().Be("antiforgery");
        (await client.Http.GetFromJsonAsync<SessionInfo>("/api/auth/session", TestJson.Options))!.SignedIn.Should().BeTrue();
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_are_refused_alike()
    {
        using var client = server.CreateClient();

        var wrongPassword = await SignInAsync(client, Demo.Supervisor, "not-the-password");
        var unknownEmail = await SignInAsync(client, "nobody@demo.local", "Demo123!");

        var a = await wrongPassword.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var b = await unknownEmail.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        a.Code().Should().Be("invalid_credentials");
        b.Code().Should().Be("invalid_credentials");
        a.GetProperty("detail").GetString().Should().Be(b.GetProperty("detail").GetString(), "the answer does not tell which accounts exist");
        client.Cookies.GetCookies(server.BaseAddress)["helpdesk.staff"].Should().BeNull();
    }

    [Fact]
    public async Task Sign_in_without_email_or_password_is_400_naming_both()
    {
        using var client = server.CreateClient();

        var response = await client.PostJsonAsync("/api/auth/sign-in", new { email = "", password = (string?)null });

        await response.ShouldBeInvalidAsync("email", "password");
    }

    [Fact]
    public async Task Fifth_failed_attempt_locks_the_account_so_the_right_password_is_refused_next()
    {
        var (email, password, _) = await NewUserAsync();
        using var client = server.CreateClient();

        for (var attempt = 1; attempt <= 4; attempt++)
            (await (await SignInAsync(client, email, "Wrong-password-1")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized))
                .Code().Should().Be("invalid_credentials", "attempt {0} of 5 does not lock yet", attempt);
        (await (await SignInAsync(client, email, "Wrong-password-1")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized))
            .Code().Should().Be("locked_out", "the fifth failure locks the account");

        var sixth = await SignInAsync(client, email, password);

        var problem = await sixth.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.Code().Should().Be("locked_out");
        problem.GetProperty("detail").GetString().Should().Contain("15 minutes");
        client.Cookies.GetCookies(server.BaseAddress)["helpdesk.staff"].Should().BeNull();
        var account = (await (await Admin).Http.GetFromJsonAsync<List<StaffAccount>>("/api/admin/staff", TestJson.Options))!.Single(s => s.Email == email);
        account.LockedOutUntil.Should().BeAfter(DateTimeOffset.UtcNow.AddMinutes(14), "the admin sees until when");
    }

    [Fact]
    public async Task Failed_attempts_below_the_limit_do_not_lock()
    {
        var (email, password, _) = await NewUserAsync();
        using var client = server.CreateClient();

        for (var attempt = 1; attempt <= 4; attempt++)
            await SignInAsync(client, email, "Wrong-password-1");

        await (await SignInAsync(client, email, password)).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Disabled_user_cannot_sign_in_and_loses_the_session_they_had()
    {
        var (email, password, account) = await NewUserAsync();
        using var before = server.CreateClient();
        await before.SignInAsync(email, password);
        (await before.Http.GetAsync("/api/tickets")).StatusCode.Should().Be(HttpStatusCode.OK);

        var disable = await (await Admin).Http.PutAsJsonAsync($"/api/admin/staff/{account.Id}", new { disabled = true });
        (await disable.ShouldBeAsync(HttpStatusCode.OK)).GetProperty("isDisabled").GetBoolean().Should().BeTrue();

        using var after = server.CreateClient();
        var refused = await SignInAsync(after, email, password);
        (await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).Code().Should().Be("disabled");

        server.Clock.Advance(TimeSpan.FromMinutes(2)); // sessions are re-checked every minute
        (await before.Http.GetAsync("/api/tickets")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var enable = await (await Admin).Http.PutAsJsonAsync($"/api/admin/staff/{account.Id}", new { disabled = false });
        await enable.ShouldBeAsync(HttpStatusCode.OK);
        await (await SignInAsync(after, email, password)).ShouldBeAsync(HttpStatusCode.OK);
    }
}
