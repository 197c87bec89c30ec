using System.Net;
using System.Text;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;

namespace Helpdesk.Web.Tests;

/// <summary>
/// Bad input to /api/tickets answers with problem details (application/problem+json): 400 naming
/// each bad field, 404 for an unknown ticket, 409 stale_version for a stale expectedVersion.
/// Every refused write is checked to have written nothing.
/// </summary>
public sealed class TicketBadInputTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    private Task<StaffClient> Agent => server.StaffAsync(Demo.Agent1);

    private static async Task<long> NewestNumberAsync(StaffClient client)
    {
        var page = await client.Http.GetFromJsonAsync<TicketPage>("/api/tickets?sort=Newest&limit=1", TestJson.Options);
        return page!.Items.Single().Number;
    }

    private static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");

    // ---- create -------------------------------------------------------------------------

    public static TheoryData<string, string, string> BadCreateBodies => new()
    {
        { "empty subject", """{"subject":"","type":"Inquiry"}""", "subject" },
        { "blank subject", """{"subject":"   ","type":"Inquiry"}""", "subject" },
        { "no subject", """{"type":"Inquiry"}""", "subject" },
        { "subject of 201 characters", $$"""{"subject":"{{new string('s', 201)}}","type":"Inquiry"}""", "subject" },
        { "no type", """{"subject":"Hello"}""", "type" },
        { "unknown type name", """{"subject":"Hello","type":"Bogus"}""", "type" },
        { "type as a number", """{"subject":"Hello","type":1}""", "type" },
        { "unknown priority name", """{"subject":"Hello","type":"Inquiry","priority":"Whenever"}""", "priority" },
        { "category as a number", """{"subject":"Hello","type":"Inquiry","category":3}""", "category" },
        { "chat channel (only the chat feature opens those)", """{"subject":"Hello","type":"Inquiry","channel":"Chat"}""", "channel" },
        { "description over 20000 characters", $$"""{"subject":"Hello","type":"Inquiry","description":"{{new string('d', 20_001)}}"}""", "description" },
        { "negative customer id", """{"subject":"Hello","type":"Inquiry","customerId":-4}""", "customerId" },
        { "assignee id that is no guid", """{"subject":"Hello","type":"Inquiry","assigneeId":"notaguid"}""", "assigneeId" },
        { "21 tags", $$"""{"subject":"Hello","type":"Inquiry","tags":[{{string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"t{i}\""))}}]}""", "tags" },
        { "an empty tag", """{"subject":"Hello","type":"Inquiry","tags":["ok",""]}""", "tags" },
        { "client message id of 65 characters", $$"""{"subject":"Hello","type":"Inquiry","clientMessageId":"{{new string('c', 65)}}"}""", "clientMessageId" },
    };

    [Theory]
    [MemberData(nameof(BadCreateBodies))]
    public async Task Create_with_bad_input_is_400_naming_the_field_and_creates_nothing(string tried, string json, string field)
    {
        var agent = await Agent;
        var newest = await NewestNumberAsync(agent);

        var response = await agent.Http.PostAsync("/api/tickets", RawJson(json));

        await response.ShouldBeInvalidAsync(field);
        (await NewestNumberAsync(agent)).Should().Be(newest, "nothing is created when {0} is refused", tried);
    }

    [Fact]
    public async Task Create_with_several_bad_fields_names_them_all()
    {
        var agent = await Agent;

        var response = await agent.PostJsonAsync("/api/tickets", new { subject = "", priority = "Normal", teamId = 0, tags = new[] { new string('x', 41) } });

        await response.ShouldBeInvalidAsync("subject", "type", "teamId", "tags");
    }

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "cut-off JSON", """{"subject":"Hello","type":""" },
        { "JSON with a trailing comma", """{"subject":"Hello","type":"Inquiry",}""" },
        { "not JSON at all", "subject=Hello&type=Inquiry" },
        { "an array instead of an object", """[{"subject":"Hello","type":"Inquiry"}]""" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_JSON_body_is_a_400_problem_about_the_body_and_creates_nothing(string tried, string body)
    {
        var agent = await Agent;
        var newest = await NewestNumberAsync(agent);

        var response = await agent.Http.PostAsync("/api/tickets", RawJson(body));

        await response.ShouldBeInvalidAsync("body");
        (await NewestNumberAsync(agent)).Should().Be(newest, "nothing is created from {0}", tried);
    }

    [Fact]
    public async Task Missing_body_is_a_400_problem_and_creates_nothing()
    {
        var agent = await Agent;
        var newest = await NewestNumberAsync(agent);

        var response = await agent.Http.PostAsync("/api/tickets", RawJson(""));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await NewestNumberAsync(agent)).Should().Be(newest);
    }

    [Fact]
    public async Task A_string_where_a_list_belongs_is_400_naming_the_field()
    {
        var agent = await Agent;

        var response = await agent.Http.PostAsync("/api/tickets", RawJson("""{"subject":"Hello","type":"Inquiry","tags":"a,b"}"""));

        await response.ShouldBeInvalidAsync("tags");
    }

    // ---- writes to a ticket -------------------------------------------------------------

    public static TheoryData<string, string, string, string> BadWrites => new()
    {
        { "empty reply", "replies", """{"body":""}""", "body" },
        { "blank reply", "replies", """{"body":"  \n "}""", "body" },
        { "reply of 20001 characters", "replies", $$"""{"body":"{{new string('r', 20_001)}}"}""", "body" },
        { "reply with a client id of 65 characters", "replies", $$"""{"body":"hi","clientMessageId":"{{new string('c', 65)}}"}""", "clientMessageId" },
        { "reply with expectedVersion 0", "replies", """{"body":"hi","expectedVersion":0}""", "expectedVersion" },
        { "empty note", "notes", """{"body":""}""", "body" },
        { "empty customer message", "customer-messages", """{}""", "body" },
        { "status by unknown name", "status", """{"status":"Bogus"}""", "status" },
        { "status as a number", "status", """{"status":3}""", "status" },
        { "no status", "status", """{"reason":"because"}""", "status" },
        { "status reason of 501 characters", "status", $$"""{"status":"Resolved","reason":"{{new string('x', 501)}}"}""", "reason" },
        { "assignment of nobody", "assignment", """{}""", "assigneeId" },
        { "assignment and unassign at once", "assignment", $$"""{"assigneeId":"{{Guid.NewGuid()}}","unassign":true}""", "unassign" },
        { "assignment to the empty guid", "assignment", $$"""{"assigneeId":"{{Guid.Empty}}"}""", "assigneeId" },
        { "assignment to a malformed id", "assignment", """{"assigneeId":"notaguid"}""", "assigneeId" },
        { "assignment to team 0", "assignment", """{"teamId":0}""", "teamId" },
        { "merge without a target", "merge", """{}""", "targetNumber" },
        { "merge into ticket 0", "merge", """{"targetNumber":0}""", "targetNumber" },
        { "merge into a text", "merge", """{"targetNumber":"abc"}""", "targetNumber" },
    };

    [Theory]
    [MemberData(nameof(BadWrites))]
    public async Task Bad_write_to_a_ticket_is_400_naming_the_field_and_writes_nothing(string tried, string action, string json, string field)
    {
        var agent = await Agent;
        var ticket = await agent.NewTicketAsync(subject: tried);

        var response = await agent.Http.PostAsync($"/api/tickets/{ticket.Ticket.Number}/{action}", RawJson(json));

        await response.ShouldBeInvalidAsync(field);
        await agent.ShouldBeUnchangedAsync(ticket);
    }

    public static TheoryData<string, string, string> BadPatches => new()
    {
        { "nothing to change", """{}""", "priority" },
        { "unknown priority", """{"priority":"Bogus"}""", "priority" },
        { "priority as a number", """{"priority":2}""", "priority" },
        { "a tag of 41 characters", $$"""{"tags":["{{new string('t', 41)}}"]}""", "tags" },
        { "a blank tag", """{"tags":[" "]}""", "tags" },
        { "expectedVersion -1", """{"priority":"High","expectedVersion":-1}""", "expectedVersion" },
    };

    [Theory]
    [MemberData(nameof(BadPatches))]
    public async Task Bad_patch_is_400_naming_the_field_and_writes_nothing(string tried, string json, string field)
    {
        var agent = await Agent;
        var ticket = await agent.NewTicketAsync(subject: tried);

        var response = await agent.Http.PatchAsync($"/api/tickets/{ticket.Ticket.Number}", RawJson(json));

        await response.ShouldBeInvalidAsync(field);
        await agent.ShouldBeUnchangedAsync(ticket);
    }

    // ---- route and query ----------------------------------------------------------------

    [Theory]
    [InlineData("GET", "/api/tickets/abc")]
    [InlineData("GET", "/api/tickets/0")]
    [InlineData("GET", "/api/tickets/-100001")]
    [InlineData("GET", "/api/tickets/1e5")]
    [InlineData("GET", "/api/tickets/abc/timeline")]
    [InlineData("PATCH", "/api/tickets/abc")]
    [InlineData("POST", "/api/tickets/abc/replies")]
    [InlineData("POST", "/api/tickets/abc/notes")]
    [InlineData("POST", "/api/tickets/abc/customer-messages")]
    [InlineData("POST", "/api/tickets/abc/assignment")]
    [InlineData("POST", "/api/tickets/abc/status")]
    [InlineData("POST", "/api/tickets/abc/merge")]
    public async Task Malformed_ticket_number_in_the_route_is_400_naming_number(string method, string url)
    {
        var agent = await Agent;
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method != "GET")
            request.Content = RawJson("""{"body":"hi","status":"Resolved","assigneeId":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","targetNumber":100001,"priority":"High"}""");

        var response = await agent.Http.SendAsync(request);

        await response.ShouldBeInvalidAsync("number");
    }

    [Theory]
    [InlineData("status=Bogus", "status")]
    [InlineData("status=New,Bogus", "status")]
    [InlineData("status=1", "status")]
    [InlineData("type=Bogus", "type")]
    [InlineData("category=Bogus", "category")]
    [InlineData("priority=2", "priority")]
    [InlineData("channel=Pigeon", "channel")]
    [InlineData("view=Everything", "view")]
    [InlineData("sort=Oldest", "sort")]
    [InlineData("teamId=abc", "teamId")]
    [InlineData("teamId=0", "teamId")]
    [InlineData("queueId=x", "queueId")]
    [InlineData("assigneeId=notaguid", "assigneeId")]
    [InlineData("customerId=-1", "customerId")]
    [InlineData("customerId=abc", "customerId")]
    [InlineData("createdFrom=yesterday", "createdFrom")]
    [InlineData("createdTo=2026-13-45", "createdTo")]
    [InlineData("createdFrom=2026-11-24&createdTo=2026-11-23", "createdTo")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("cursor=%21%21", "cursor")]
    [InlineData("unassigned=maybe", "unassigned")]
    public async Task Bad_list_query_is_400_naming_the_parameter(string query, string field)
    {
        var agent = await Agent;

        var response = await agent.Http.GetAsync("/api/tickets?" + query);

        await response.ShouldBeInvalidAsync(field);
    }

    [Fact]
    public async Task Search_text_over_200_characters_is_refused()
    {
        var agent = await Agent;

        var response = await agent.Http.GetAsync("/api/tickets?q=" + new string('q', 201));

        await response.ShouldBeInvalidAsync("q");
    }

    [Fact]
    public async Task Several_bad_query_parameters_are_all_named()
    {
        var agent = await Agent;

        var response = await agent.Http.GetAsync("/api/tickets?status=Bogus&assigneeId=notaguid&limit=0&view=x");

        await response.ShouldBeInvalidAsync("status", "assigneeId", "limit", "view");
    }

    [Fact]
    public async Task Timeline_after_a_negative_sequence_is_refused()
    {
        var agent = await Agent;
        var ticket = await agent.NewTicketAsync();

        var response = await agent.Http.GetAsync($"/api/tickets/{ticket.Ticket.Number}/timeline?after=-1");

        await response.ShouldBeInvalidAsync("after");
    }

    // ---- unknown ticket -----------------------------------------------------------------

    [Theory]
    [InlineData("GET", "/api/tickets/999999")]
    [InlineData("GET", "/api/tickets/999999/timeline")]
    [InlineData("PATCH", "/api/tickets/999999")]
    [InlineData("POST", "/api/tickets/999999/replies")]
    [InlineData("POST", "/api/tickets/999999/notes")]
    [InlineData("POST", "/api/tickets/999999/customer-messages")]
    [InlineData("POST", "/api/tickets/999999/assignment")]
    [InlineData("POST", "/api/tickets/999999/status")]
    [InlineData("POST", "/api/tickets/999999/merge")]
    public async Task Unknown_ticket_is_a_404_problem(string method, string url)
    {
        var agent = await Agent;
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method != "GET")
            request.Content = RawJson("""{"body":"hi","status":"Resolved","teamId":1,"targetNumber":100001,"priority":"High"}""");

        var response = await agent.Http.SendAsync(request);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.GetProperty("detail").GetString().Should().Contain("999999");
    }

    // ---- stale version ------------------------------------------------------------------

    public static TheoryData<string, string, string> StaleWrites => new()
    {
        { "reply", "POST", """{"body":"late answer","expectedVersion":VERSION}""" },
        { "note", "POST", """{"body":"late note","expectedVersion":VERSION}""" },
        { "status", "POST", """{"status":"WaitingOnCustomer","expectedVersion":VERSION}""" },
        { "assignment", "POST", """{"unassign":true,"expectedVersion":VERSION}""" },
        { "merge", "POST", """{"targetNumber":TARGET,"expectedVersion":VERSION}""" },
        { "patch", "PATCH", """{"priority":"Urgent","expectedVersion":VERSION}""" },
    };

    [Theory]
    [MemberData(nameof(StaleWrites))]
    public async Task Write_with_a_stale_expected_version_is_409_stale_version_and_writes_nothing(string action, string method, string json)
    {
        var agent = await Agent;
        var ticket = await agent.TicketInStatusAsync(Core.Tickets.TicketStatus.Assigned);
        var stale = ticket.Ticket.Version - 1;
        var target = await agent.NewTicketAsync();
        var url = action switch
        {
            "reply" => $"/api/tickets/{ticket.Ticket.Number}/replies",
            "note" => $"/api/tickets/{ticket.Ticket.Number}/notes",
            "patch" => $"/api/tickets/{ticket.Ticket.Number}",
            _ => $"/api/tickets/{ticket.Ticket.Number}/{action}",
        };
        var request = new HttpRequestMessage(new HttpMethod(method), url)
        {
            Content = RawJson(json.Replace("VERSION", stale.ToString()).Replace("TARGET", target.Ticket.Number.ToString())),
        };

        var response = await agent.Http.SendAsync(request);

        var problem = await response.ShouldBeRefusedAsync("stale_version");
        problem.GetProperty("currentVersion").GetInt32().Should().Be(ticket.Ticket.Version);
        await agent.ShouldBeUnchangedAsync(ticket);
        await agent.ShouldBeUnchangedAsync(target);
    }

    [Fact]
    public async Task Write_with_the_current_expected_version_goes_through()
    {
        var agent = await Agent;
        var ticket = await agent.NewTicketAsync();

        var response = await agent.PostJsonAsync($"/api/tickets/{ticket.Ticket.Number}/replies",
            new { body = "Right on time.", expectedVersion = ticket.Ticket.Version });

        await response.ShouldBeAsync(HttpStatusCode.Created);
        (await response.ReadAsync<MessageResult>()).TicketVersion.Should().BeGreaterThan(ticket.Ticket.Version);
    }
}
