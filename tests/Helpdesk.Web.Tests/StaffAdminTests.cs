using System.Net;
using Helpdesk.Core.Tickets;
using Helpdesk.Data.Identity;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;

namespace Helpdesk.Web.Tests;

/// <summary>/api/admin/staff: admins create staff, set roles and teams, disable them.</summary>
public sealed class StaffAdminTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    private Task<StaffClient> Admin => server.StaffAsync(Demo.Admin);

    private async Task<List<StaffAccount>> StaffAsync() =>
        (await (await Admin).Http.GetFromJsonAsync<List<StaffAccount>>("/api/admin/staff", TestJson.Options))!;

    private async Task<List<TeamInfo>> TeamsAsync() =>
        (await (await Admin).Http.GetFromJsonAsync<List<TeamInfo>>("/api/teams", TestJson.Options))!;

    private static string NewEmail() => $"{TicketsClient.UniqueWord("s")}@example.com";

    [Fact]
    public async Task Admin_lists_every_staff_user_with_roles_and_teams()
    {
        var staff = await StaffAsync();
        var teams = await TeamsAsync();

        staff.Select(s => s.Email).Should().Contain([Demo.Admin, Demo.Supervisor, Demo.Agent1, Demo.Agent2]);
        staff.Single(s => s.Email == Demo.Admin).Roles.Should().Equal(StaffRoles.Admin);
        staff.Single(s => s.Email == Demo.Supervisor).TeamIds.Should().BeEquivalentTo(teams.Select(t => t.Id));
        staff.Single(s => s.Email == Demo.Agent2).Should().Match<StaffAccount>(s =>
            s.Roles.SequenceEqual(new[] { StaffRoles.Agent }) && s.TeamIds.Single() == teams.Single(t => t.Key == "after-sales").Id && !s.IsDisabled);
    }

    [Fact]
    public async Task Created_user_signs_in_with_their_roles_and_sees_their_teams_queue()
    {
        var admin = await Admin;
        var afterSales = (await TeamsAsync()).Single(t => t.Key == "after-sales");
        var email = NewEmail();

        var response = await admin.PostJsonAsync("/api/admin/staff", new
        {
            email, displayName = "周杰 Zhou Jie", password = "N3w!Agent", roles = new[] { "Agent", "Supervisor" }, teamIds = new[] { afterSales.Id },
        });

        await response.ShouldBeAsync(HttpStatusCode.Created);
        var account = await response.ReadAsync<StaffAccount>();
        response.Headers.Location!.OriginalString.Should().Be($"/api/admin/staff/{account.Id}");
        account.Should().Match<StaffAccount>(a => a.Email == email && a.DisplayName == "周杰 Zhou Jie" && !a.IsDisabled);
        account.Roles.Should().BeEquivalentTo(["Agent", "Supervisor"]);
        account.TeamIds.Should().Equal(afterSales.Id);

        using var newcomer = await server.SignedInAsync(email, "N3w!Agent");
        newcomer.Session!.Roles.Should().BeEquivalentTo(["Agent", "Supervisor"]);
        newcomer.Session.TeamIds.Should().Equal(afterSales.Id);
        newcomer.Session.DisplayName.Should().Be("周杰 Zhou Jie");
        var queue = (await newcomer.Http.GetFromJsonAsync<TicketPage>("/api/tickets?view=team&limit=200", TestJson.Options))!.Items;
        queue.Should().NotBeEmpty("the demo after-sales queue has open tickets")
            .And.OnlyContain(t => t.TeamId == afterSales.Id && TicketLifecycle.IsOpen(t.Status));
        (await StaffAsync()).Should().ContainSingle(s => s.Email == email);
        (await admin.Http.GetFromJsonAsync<List<StaffMember>>("/api/staff", TestJson.Options))!.Should().ContainSingle(s => s.Id == account.Id);
    }

    [Fact]
    public async Task Creating_a_second_user_with_the_same_email_is_refused_409()
    {
        var admin = await Admin;

        var response = await admin.PostJsonAsync("/api/admin/staff", new { email = Demo.Agent1, displayName = "Copy", password = "Passw0rd!", roles = new[] { "Agent" } });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await StaffAsync()).Where(s => s.Email == Demo.Agent1).Should().ContainSingle();
    }

    public static TheoryData<string, object, string> BadNewUsers => new()
    {
        { "unknown role", new { displayName = "X", password = "Passw0rd!", roles = new[] { "Agent", "Boss" } }, "roles" },
        { "no role", new { displayName = "X", password = "Passw0rd!", roles = Array.Empty<string>() }, "roles" },
        { "roles left out", new { displayName = "X", password = "Passw0rd!" }, "roles" },
        { "unknown team", new { displayName = "X", password = "Passw0rd!", roles = new[] { "Agent" }, teamIds = new[] { 1, 999 } }, "teamIds" },
        { "team 0", new { displayName = "X", password = "Passw0rd!", roles = new[] { "Agent" }, teamIds = new[] { 0 } }, "teamIds" },
        { "weak password", new { displayName = "X", password = "abc", roles = new[] { "Agent" } }, "password" },
        { "password without a digit or symbol", new { displayName = "X", password = "abcdefghij", roles = new[] { "Agent" } }, "password" },
        { "no password", new { displayName = "X", roles = new[] { "Agent" } }, "password" },
        { "no display name", new { displayName = " ", password = "Passw0rd!", roles = new[] { "Agent" } }, "displayName" },
    };

    [Theory]
    [MemberData(nameof(BadNewUsers))]
    public async Task Bad_new_user_is_400_naming_the_field_and_creates_nobody(string tried, object fields, string field)
    {
        var admin = await Admin;
        var email = NewEmail();
        var body = System.Text.Json.JsonSerializer.SerializeToNode(fields)!.AsObject();
        body["email"] = email;

        var response = await admin.Http.PostAsJsonAsync("/api/admin/staff", body);

        await response.ShouldBeInvalidAsync(field);
        (await StaffAsync()).Should().NotContain(s => s.Email == email, "nobody is created with {0}", tried);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("two@at@example.com")]
    [InlineData("")]
    public async Task New_user_with_a_bad_email_is_400_naming_email(string email)
    {
        var admin = await Admin;
        var count = (await StaffAsync()).Count;

        var response = await admin.PostJsonAsync("/api/admin/staff", new { email, displayName = "X", password = "Passw0rd!", roles = new[] { "Agent" } });

        await response.ShouldBeInvalidAsync("email");
        (await StaffAsync()).Should().HaveCount(count);
    }

    [Fact]
    public async Task Several_bad_fields_of_a_new_user_are_all_named()
    {
        var response = await (await Admin).PostJsonAsync("/api/admin/staff", new { email = "nope", password = "", roles = new[] { "King" }, teamIds = new[] { 42 } });

        await response.ShouldBeInvalidAsync("email", "displayName", "password", "roles", "teamIds");
    }

    [Fact]
    public async Task Admin_changes_the_roles_teams_and_name_of_a_user()
    {
        var admin = await Admin;
        var teams = await TeamsAsync();
        var email = NewEmail();
        var created = await (await admin.PostJsonAsync("/api/admin/staff",
            new { email, displayName = "Before", password = "Passw0rd!", roles = new[] { "Agent" }, teamIds = new[] { teams[0].Id } })).ReadAsync<StaffAccount>();

        var response = await admin.Http.PutAsJsonAsync($"/api/admin/staff/{created.Id}",
            new { displayName = "After", roles = new[] { "Supervisor" }, teamIds = new[] { teams[1].Id } });

        await response.ShouldBeAsync(HttpStatusCode.OK);
        var updated = (await StaffAsync()).Single(s => s.Id == created.Id);
        updated.DisplayName.Should().Be("After");
        updated.Roles.Should().Equal("Supervisor");
        updated.TeamIds.Should().Equal(teams[1].Id);
        using var user = await server.SignedInAsync(email, "Passw0rd!");
        user.Session!.Roles.Should().Equal("Supervisor");
    }

    [Fact]
    public async Task Admin_cannot_disable_themself()
    {
        var admin = await Admin;

        var response = await admin.Http.PutAsJsonAsync($"/api/admin/staff/{admin.Id}", new { disabled = true });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await StaffAsync()).Single(s => s.Id == admin.Id).IsDisabled.Should().BeFalse();
        (await admin.Http.GetAsync("/api/admin/staff")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Admin_cannot_take_away_their_own_admin_role()
    {
        var admin = await Admin;

        var response = await admin.Http.PutAsJsonAsync($"/api/admin/staff/{admin.Id}", new { roles = new[] { "Agent" } });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await StaffAsync()).Single(s => s.Id == admin.Id).Roles.Should().Equal(StaffRoles.Admin);
    }

    [Theory]
    [InlineData("""{"roles":["Wizard"]}""", "roles")]
    [InlineData("""{"roles":[]}""", "roles")]
    [InlineData("""{"teamIds":[999]}""", "teamIds")]
    [InlineData("""{"teamIds":[0]}""", "teamIds")]
    [InlineData("""{"displayName":"DISPLAYNAME_TOO_LONG"}""", "displayName")]
    public async Task Bad_update_is_400_naming_the_field_and_changes_nothing(string json, string field)
    {
        var admin = await Admin;
        var before = (await StaffAsync()).Single(s => s.Email == Demo.Agent2);
        json = json.Replace("DISPLAYNAME_TOO_LONG", new string('n', 101));

        var response = await admin.Http.PutAsync($"/api/admin/staff/{before.Id}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldBeInvalidAsync(field);
        (await StaffAsync()).Single(s => s.Email == Demo.Agent2).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Update_of_an_unknown_user_is_404_and_of_a_malformed_id_is_400()
    {
        var admin = await Admin;

        var unknown = await admin.Http.PutAsJsonAsync($"/api/admin/staff/{Guid.NewGuid()}", new { displayName = "Ghost" });
        var malformed = await admin.Http.PutAsJsonAsync("/api/admin/staff/abc", new { displayName = "Ghost" });

        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await malformed.ShouldBeInvalidAsync("id");
    }

    [Fact]
    public async Task Disabled_user_leaves_the_directory_and_cannot_be_given_tickets()
    {
        var admin = await Admin;
        var email = NewEmail();
        var created = await (await admin.PostJsonAsync("/api/admin/staff",
            new { email, displayName = "Leaving", password = "Passw0rd!", roles = new[] { "Agent" } })).ReadAsync<StaffAccount>();
        var ticket = await admin.NewTicketAsync();

        await (await admin.Http.PutAsJsonAsync($"/api/admin/staff/{created.Id}", new { disabled = true })).ShouldBeAsync(HttpStatusCode.OK);

        (await admin.Http.GetFromJsonAsync<List<StaffMember>>("/api/staff", TestJson.Options))!.Should().NotContain(s => s.Id == created.Id);
        (await StaffAsync()).Single(s => s.Id == created.Id).IsDisabled.Should().BeTrue("admins still see disabled users");
        var assign = await admin.PostJsonAsync($"/api/tickets/{ticket.Ticket.Number}/assignment", new { assigneeId = created.Id });
        await assign.ShouldBeRefusedAsync("unknown_assignee");
        await admin.ShouldBeUnchangedAsync(ticket);
    }
}
