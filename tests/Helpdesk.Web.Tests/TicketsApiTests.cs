using System.Net;
using System.Text.Json;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;

namespace Helpdesk.Web.Tests;

/// <summary>/api/tickets: create, read, edit, reply, note, assign.</summary>
public sealed class TicketsApiTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    private Task<StaffClient> Agent1 => server.StaffAsync(Demo.Agent1);
    private Task<StaffClient> Agent2 => server.StaffAsync(Demo.Agent2);
    private Task<StaffClient> Supervisor => server.StaffAsync(Demo.Supervisor);

    private async Task<List<TeamInfo>> TeamsAsync() =>
        (await (await Agent1).Http.GetFromJsonAsync<List<TeamInfo>>("/api/teams", TestJson.Options))!;

    // ---- create -------------------------------------------------------------------------

    [Fact]
    public async Task Created_ticket_answers_201_with_its_location_and_first_message()
    {
        var agent = await Agent1;
        var response = await agent.PostJsonAsync("/api/tickets", new
        {
            subject = "  Where is my parcel?  ", type = "Inquiry", priority = "High", category = "OrderException",
            description = "Ordered last week, nothing arrived.", tags = new[] { "parcel", "Parcel", " delivery " },
        });

        await response.ShouldBeAsync(HttpStatusCode.Created);
        var created = await response.ReadAsync<TicketDetail>();
        response.Headers.Location!.OriginalString.Should().Be($"/api/tickets/{created.Ticket.Number}");

        var ticket = created.Ticket;
        ticket.Subject.Should().Be("Where is my parcel?");
        ticket.Status.Should().Be(TicketStatus.New);
        ticket.Channel.Should().Be(TicketChannel.Api, "the API is the channel when none is given");
        ticket.Priority.Should().Be(TicketPriority.High);
        ticket.Category.Should().Be(AfterSalesCategory.OrderException);
        ticket.Tags.Should().Equal("parcel", "delivery");
        created.Timeline.Should().ContainSingle(m => m.Kind == MessageKind.Customer)
            .Which.Body.Should().Be("Ordered last week, nothing arrived.");
        created.History.Should().ContainSingle(h => h.Field == "created");

        var fetched = await agent.GetTicketAsync(ticket.Number);
        // The SLA figures are computed in the background just after the commit (issue 6): the
        // answer to the create may or may not have them yet.
        fetched.Ticket.Should().BeEquivalentTo(ticket, o => o.Excluding(t => t.Sla));
    }

    [Fact]
    public async Task Complaint_without_a_team_is_routed_to_the_after_sales_complaint_queue()
    {
        var agent = await Agent1;
        var afterSales = (await TeamsAsync()).Single(t => t.Key == "after-sales");

        var complaint = await agent.NewTicketAsync(type: "Complaint", description: "The courier was rude.");

        complaint.Ticket.TeamId.Should().Be(afterSales.Id);
        complaint.Ticket.QueueId.Should().Be(afterSales.Queues.Single(q => q.IsComplaintQueue).Id);
    }

    [Fact]
    public async Task Plain_inquiry_goes_to_the_pre_sales_general_queue_and_after_sales_matters_to_after_sales()
    {
        var agent = await Agent1;
        var teams = await TeamsAsync();
        var preSales = teams.Single(t => t.Key == "pre-sales");
        var afterSales = teams.Single(t => t.Key == "after-sales");

        var inquiry = await agent.NewTicketAsync();
        var repair = await agent.NewTicketAsync(category: "Repair");

        inquiry.Ticket.TeamId.Should().Be(preSales.Id);
        inquiry.Ticket.QueueId.Should().Be(preSales.Queues.Single(q => !q.IsComplaintQueue).Id);
        repair.Ticket.TeamId.Should().Be(afterSales.Id);
        repair.Ticket.QueueId.Should().Be(afterSales.Queues.Single(q => !q.IsComplaintQueue).Id);
    }

    [Fact]
    public async Task Ticket_numbers_start_at_100001_and_stay_unique_when_created_at_once()
    {
        var agent = await Agent1;
        var before = await agent.Http.GetFromJsonAsync<TicketPage>("/api/tickets?sort=Newest&limit=200", TestJson.Options);

        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => agent.NewTicketAsync($"Parallel {i}")));

        var numbers = created.Select(t => t.Ticket.Number).ToList();
        numbers.Should().OnlyHaveUniqueItems();
        numbers.Should().OnlyContain(n => n > before!.Items.Max(t => t.Number));
        var all = (await agent.Http.GetFromJsonAsync<TicketPage>("/api/tickets?sort=Newest&limit=200", TestJson.Options))!.Items;
        all.Select(t => t.Number).Should().OnlyHaveUniqueItems();
        all.Min(t => t.Number).Should().Be(TicketLimits.FirstNumber);
        all.Select(t => t.Number).Should().Contain(numbers);
    }

    [Fact]
    public async Task Created_ticket_with_an_assignee_starts_Assigned()
    {
        var agent = await Agent1;
        var ticket = await agent.NewTicketAsync(assigneeId: agent.Id);

        ticket.Ticket.Status.Should().Be(TicketStatus.Assigned);
        ticket.Ticket.AssigneeId.Should().Be(agent.Id);
        ticket.Ticket.AssigneeName.Should().Be(agent.Session!.DisplayName);
    }

    // ---- read ---------------------------------------------------------------------------

    [Fact]
    public async Task Get_one_returns_the_numbered_timeline_and_the_history()
    {
        var agent = await Agent1;
        var ticket = await agent.NewTicketAsync();
        var number = ticket.Ticket.Number;
        await agent.PostMessageAsync(number, "replies", "Hello, we are on it.");
        await agent.PostMessageAsync(number, "notes", "Check the warehouse.");

        var detail = await agent.GetTicketAsync(number);

        detail.Timeline.Select(m => m.Sequence).Should().Equal(Enumerable.Range(1, detail.Timeline.Count));
        detail.Timeline.Where(m => m.Kind != MessageKind.System).Select(m => (m.Kind, m.Body)).Should().Equal(
            (MessageKind.Customer, "The customer's first message."),
            (MessageKind.Agent, "Hello, we are on it."),
            (MessageKind.InternalNote, "Check the warehouse."));
        detail.Timeline.Should().Contain(m => m.Kind == MessageKind.System && m.EventCode == "assigned",
            "replying to an unassigned ticket takes it");
        detail.History.Select(h => h.Field).Should().StartWith("created").And.Contain("assignee").And.Contain("status");
        detail.AllowedStatuses.Should().BeEquivalentTo([TicketStatus.WaitingOnCustomer, TicketStatus.Resolved]);

        var after = await agent.Http.GetFromJsonAsync<List<TimelineEntry>>($"/api/tickets/{number}/timeline?after=2", TestJson.Options);
        after!.Select(m => m.Sequence).Should().Equal(detail.Timeline.Where(m => m.Sequence > 2).Select(m => m.Sequence));
    }

    // ---- edit ---------------------------------------------------------------------------

    [Fact]
    public async Task Patch_changes_priority_and_tags_and_records_both_in_history()
    {
        var agent = await Agent1;
        var ticket = await agent.NewTicketAsync(tags: ["old"]);

        var response = await agent.Http.PatchAsJsonAsync($"/api/tickets/{ticket.Ticket.Number}",
            new { priority = "Urgent", tags = new[] { "vip", "refund", "VIP" }, expectedVersion = ticket.Ticket.Version });

        await response.ShouldBeAsync(HttpStatusCode.OK);
        var summary = await response.ReadAsync<TicketSummary>();
        summary.Priority.Should().Be(TicketPriority.Urgent);
        summary.Tags.Should().Equal("vip", "refund");
        summary.Version.Should().BeGreaterThan(ticket.Ticket.Version);

        var detail = await agent.GetTicketAsync(ticket.Ticket.Number);
        detail.Ticket.Priority.Should().Be(TicketPriority.Urgent);
        detail.Ticket.Tags.Should().Equal("vip", "refund");
        detail.History.Should().ContainSingle(h => h.Field == "priority" && h.From == "Normal" && h.To == "Urgent" && h.ActorId == agent.Id.ToString());
        detail.History.Should().ContainSingle(h => h.Field == "tags" && h.From == "old" && h.To == "vip,refund");
    }

    [Fact]
    public async Task Patch_with_tags_only_keeps_the_priority()
    {
        var agent = await Agent1;
        var ticket = await agent.NewTicketAsync(priority: "High");

        var response = await agent.Http.PatchAsJsonAsync($"/api/tickets/{ticket.Ticket.Number}", new { tags = new[] { "x" } });

        (await response.ShouldBeAsync(HttpStatusCode.OK)).GetProperty("priority").GetString().Should().Be("High");
        (await agent.GetTicketAsync(ticket.Ticket.Number)).Ticket.Tags.Should().Equal("x");
    }

    // ---- reply and note -----------------------------------------------------------------

    [Fact]
    public async Task Reply_is_stored_answered_201_and_takes_an_unassigned_ticket()
    {
        var agent = await Agent2;
        var ticket = await agent.NewTicketAsync();

        var response = await agent.PostJsonAsync($"/api/tickets/{ticket.Ticket.Number}/replies", new { body = "We will call you today." });

        await response.ShouldBeAsync(HttpStatusCode.Created);
        var result = await response.ReadAsync<MessageResult>();
        result.Duplicate.Should().BeFalse();
        result.Message.Kind.Should().Be(MessageKind.Agent);
        result.Message.AuthorId.Should().Be(agent.Id.ToString());
        result.Status.Should().Be(TicketStatus.Assigned);

        var detail = await agent.GetTicketAsync(ticket.Ticket.Number);
        detail.Ticket.AssigneeId.Should().Be(agent.Id);
        detail.Ticket.Version.Should().Be(result.TicketVersion);
        detail.Timeline.Should().ContainSingle(m => m.Id == result.Message.Id && m.Body == "We will call you today.");
    }

    [Fact]
    public async Task Reply_retried_with_the_same_client_message_id_answers_200_with_the_stored_message_and_stores_it_once()
    {
        var agent = await Agent1;
        var ticket = await agent.NewTicketAsync();
        var number = ticket.Ticket.Number;
        var clientId = Guid.NewGuid().ToString();

        var first = await agent.PostMessageAsync(number, "replies", "Your refund is on its way.", clientId);
        var retry = await agent.PostMessageAsync(number, "replies", "Your refund is on its way.", clientId, HttpStatusCode.OK);

        retry.Duplicate.Should().BeTrue();
        retry.Message.Id.Should().Be(first.Message.Id);
        retry.Message.Sequence.Should().Be(first.Message.Sequence);
        retry.TicketVersion.Should().Be(first.TicketVersion, "a retry writes nothing");
        var detail = await agent.GetTicketAsync(number);
        detail.Timeline.Where(m => m.ClientMessageId == clientId).Should().ContainSingle();
        detail.Timeline.Where(m => m.Body == "Your refund is on its way.").Should().ContainSingle();
    }

    [Fact]
    public async Task Internal_note_is_stored_as_a_note_and_leaves_the_status_alone()
    {
        var agent = await Agent1;
        var ticket = await agent.NewTicketAsync();

        var note = await agent.PostMessageAsync(ticket.Ticket.Number, "notes", "Customer is a reseller; offer the partner price.");

        note.Message.Kind.Should().Be(MessageKind.InternalNote);
        note.Status.Should().Be(TicketStatus.New, "a note neither takes nor answers the ticket");
        var detail = await agent.GetTicketAsync(ticket.Ticket.Number);
        detail.Ticket.AssigneeId.Should().BeNull();
        detail.Timeline.Should().ContainSingle(m => m.Kind == MessageKind.InternalNote && m.Body == "Customer is a reseller; offer the partner price.");
    }

    [Fact]
    public async Task Note_retried_with_the_same_client_message_id_is_stored_once()
    {
        var agent = await Agent1;
        var ticket = await agent.NewTicketAsync();
        var clientId = Guid.NewGuid().ToString();

        var first = await agent.PostMessageAsync(ticket.Ticket.Number, "notes", "Escalate if no answer by Friday.", clientId);
        var retry = await agent.PostMessageAsync(ticket.Ticket.Number, "notes", "Escalate if no answer by Friday.", clientId, HttpStatusCode.OK);

        retry.Message.Id.Should().Be(first.Message.Id);
        (await agent.GetTicketAsync(ticket.Ticket.Number)).Timeline.Where(m => m.Kind == MessageKind.InternalNote).Should().ContainSingle();
    }

    // ---- assignment ---------------------------------------------------------------------

    [Fact]
    public async Task Assigning_an_agent_makes_a_new_ticket_Assigned_and_records_who_did_it()
    {
        var supervisor = await Supervisor;
        var agent = await Agent2;
        var ticket = await supervisor.NewTicketAsync();

        var summary = await supervisor.AssignAsync(ticket.Ticket.Number, new { assigneeId = agent.Id });

        summary.Status.Should().Be(TicketStatus.Assigned);
        summary.AssigneeId.Should().Be(agent.Id);
        summary.AssigneeName.Should().Be(agent.Session!.DisplayName);
        var detail = await supervisor.GetTicketAsync(ticket.Ticket.Number);
        detail.History.Should().ContainSingle(h => h.Field == "assignee" && h.To == agent.Id.ToString() && h.ActorId == supervisor.Id.ToString());
        detail.History.Should().ContainSingle(h => h.Field == "status" && h.From == "New" && h.To == "Assigned");
    }

    [Fact]
    public async Task Assigning_another_team_moves_the_ticket_to_that_teams_queue_and_keeps_the_assignee()
    {
        var agent = await Agent1;
        var afterSales = (await TeamsAsync()).Single(t => t.Key == "after-sales");
        var ticket = await agent.NewTicketAsync(type: "Complaint", teamId: (await TeamsAsync()).Single(t => t.Key == "pre-sales").Id, assigneeId: agent.Id);

        var summary = await agent.AssignAsync(ticket.Ticket.Number, new { teamId = afterSales.Id });

        summary.TeamId.Should().Be(afterSales.Id);
        summary.QueueId.Should().Be(afterSales.Queues.Single(q => q.IsComplaintQueue).Id, "a complaint lands in the new team's complaint queue");
        summary.AssigneeId.Should().Be(agent.Id);
        summary.Status.Should().Be(TicketStatus.Assigned);
    }

    [Fact]
    public async Task Assigning_agent_and_team_at_once_sets_both()
    {
        var supervisor = await Supervisor;
        var agent = await Agent2;
        var afterSales = (await TeamsAsync()).Single(t => t.Key == "after-sales");
        var ticket = await supervisor.NewTicketAsync();

        var summary = await supervisor.AssignAsync(ticket.Ticket.Number, new { assigneeId = agent.Id, teamId = afterSales.Id });

        summary.AssigneeId.Should().Be(agent.Id);
        summary.TeamId.Should().Be(afterSales.Id);
        summary.Status.Should().Be(TicketStatus.Assigned);
    }

    [Fact]
    public async Task Unassigning_puts_the_ticket_back_to_New_in_its_queue()
    {
        var agent = await Agent1;
        var ticket = await agent.TicketInStatusAsync(TicketStatus.WaitingOnCustomer);

        var summary = await agent.AssignAsync(ticket.Ticket.Number, new { unassign = true });

        summary.Status.Should().Be(TicketStatus.New);
        summary.AssigneeId.Should().BeNull();
        summary.TeamId.Should().Be(ticket.Ticket.TeamId);
        var detail = await agent.GetTicketAsync(ticket.Ticket.Number);
        detail.History.Last(h => h.Field == "assignee").To.Should().BeNull();
        detail.Timeline.Last().EventCode.Should().Be("status_changed");
    }

    [Fact]
    public async Task Assigning_an_unknown_staff_id_is_refused_409_and_writes_nothing()
    {
        var agent = await Agent1;
        var ticket = await agent.NewTicketAsync();

        var response = await agent.PostJsonAsync($"/api/tickets/{ticket.Ticket.Number}/assignment", new { assigneeId = Guid.NewGuid() });

        await response.ShouldBeRefusedAsync("unknown_assignee");
        await agent.ShouldBeUnchangedAsync(ticket);
    }

    [Fact]
    public async Task Assigning_an_unknown_team_is_refused_409_and_writes_nothing()
    {
        var agent = await Agent1;
        var ticket = await agent.NewTicketAsync();

        var response = await agent.PostJsonAsync($"/api/tickets/{ticket.Ticket.Number}/assignment", new { teamId = 9999 });

        await response.ShouldBeRefusedAsync("unknown_team");
        await agent.ShouldBeUnchangedAsync(ticket);
    }

    [Fact]
    public async Task Assigning_the_same_assignee_again_is_refused_as_no_change()
    {
        var agent = await Agent1;
        var ticket = await agent.NewTicketAsync(assigneeId: agent.Id);

        var response = await agent.PostJsonAsync($"/api/tickets/{ticket.Ticket.Number}/assignment", new { assigneeId = agent.Id });

        await response.ShouldBeRefusedAsync("no_change");
        await agent.ShouldBeUnchangedAsync(ticket);
    }

    [Fact]
    public async Task Creating_a_ticket_for_an_unknown_team_is_refused_and_creates_nothing()
    {
        var agent = await Agent1;
        var word = TicketsClient.UniqueWord();

        var response = await agent.PostJsonAsync("/api/tickets", new { subject = word, type = "Inquiry", teamId = 9999 });

        await response.ShouldBeRefusedAsync("unknown_team");
        var page = await agent.Http.GetFromJsonAsync<TicketPage>($"/api/tickets?q={word}", TestJson.Options);
        page!.Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Creating_a_ticket_for_an_unknown_assignee_is_refused_and_creates_nothing()
    {
        var agent = await Agent1;
        var word = TicketsClient.UniqueWord();

        var response = await agent.PostJsonAsync("/api/tickets", new { subject = word, type = "Inquiry", assigneeId = Guid.NewGuid() });

        await response.ShouldBeRefusedAsync("unknown_assignee");
        var page = await agent.Http.GetFromJsonAsync<TicketPage>($"/api/tickets?q={word}", TestJson.Options);
        page!.Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Assigning_a_queue_of_another_team_is_refused_and_writes_nothing()
    {
        var agent = await Agent1;
        var teams = await TeamsAsync();
        var preSales = teams.Single(t => t.Key == "pre-sales");
        var afterSalesQueue = teams.Single(t => t.Key == "after-sales").Queues[0].Id;
        var ticket = await agent.NewTicketAsync(teamId: preSales.Id);

        var response = await agent.PostJsonAsync($"/api/tickets/{ticket.Ticket.Number}/assignment", new { teamId = preSales.Id, queueId = afterSalesQueue });

        await response.ShouldBeRefusedAsync("unknown_queue");
        await agent.ShouldBeUnchangedAsync(ticket);
    }

    [Fact]
    public async Task Moving_a_ticket_to_the_complaint_queue_of_its_team_keeps_the_team()
    {
        var agent = await Agent1;
        var preSales = (await TeamsAsync()).Single(t => t.Key == "pre-sales");
        var ticket = await agent.NewTicketAsync(teamId: preSales.Id);
        var complaints = preSales.Queues.Single(q => q.IsComplaintQueue).Id;

        var summary = await agent.AssignAsync(ticket.Ticket.Number, new { queueId = complaints });

        summary.TeamId.Should().Be(preSales.Id);
        summary.QueueId.Should().Be(complaints);
        (await agent.GetTicketAsync(ticket.Ticket.Number)).History.Should().ContainSingle(h => h.Field == "queue" && h.To == complaints.ToString());
    }

    // ---- concurrency --------------------------------------------------------------------

    [Fact]
    public async Task Replies_sent_at_the_same_moment_are_all_stored_with_distinct_sequence_numbers()
    {
        var agent1 = await Agent1;
        var agent2 = await Agent2;
        var supervisor = await Supervisor;
        var ticket = await agent1.NewTicketAsync(assigneeId: agent1.Id);
        // Five: a clash is retried up to five times, and each round one writer wins, so all five get through.
        StaffClient[] writers = [agent1, agent2, supervisor, agent1, agent2];

        var results = await Task.WhenAll(writers.Select((w, i) => w.PostMessageAsync(ticket.Ticket.Number, "notes", $"concurrent note {i}")));

        results.Select(r => r.Message.Sequence).Should().OnlyHaveUniqueItems();
        var detail = await agent1.GetTicketAsync(ticket.Ticket.Number);
        detail.Timeline.Select(m => m.Sequence).Should().Equal(Enumerable.Range(1, detail.Timeline.Count));
        detail.Timeline.Where(m => m.Body.StartsWith("concurrent note")).Should().HaveCount(writers.Length);
    }

    [Fact]
    public async Task The_same_reply_sent_twice_at_the_same_moment_is_stored_once()
    {
        var agent = await Agent1;
        var ticket = await agent.NewTicketAsync(assigneeId: agent.Id);
        var clientId = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            agent.PostJsonAsync($"/api/tickets/{ticket.Ticket.Number}/replies", new { body = "Sent over a shaky line.", clientMessageId = clientId })));

        answers.Select(a => a.StatusCode).Should().Contain(HttpStatusCode.Created).And.OnlyContain(s => s == HttpStatusCode.Created || s == HttpStatusCode.OK);
        answers.Count(a => a.StatusCode == HttpStatusCode.Created).Should().Be(1);
        var messages = await Task.WhenAll(answers.Select(a => a.ReadAsync<MessageResult>()));
        messages.Select(m => m.Message.Id).Distinct().Should().ContainSingle();
        (await agent.GetTicketAsync(ticket.Ticket.Number)).Timeline.Where(m => m.ClientMessageId == clientId).Should().ContainSingle();
    }

    // ---- wire format --------------------------------------------------------------------

    [Fact]
    public async Task Times_in_answers_are_UTC_and_say_so()
    {
        // A time without an offset is read as local time by browsers: every time must carry "Z".
        var agent = await Agent1;
        var ticket = await agent.NewTicketAsync();
        await agent.PostMessageAsync(ticket.Ticket.Number, "replies", "On it.");

        var detail = await agent.Http.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket.Ticket.Number}");
        var list = await agent.Http.GetFromJsonAsync<JsonElement>($"/api/tickets?q={ticket.Ticket.Number}");

        var times = new[] { detail.GetProperty("ticket").GetProperty("createdAt"), detail.GetProperty("ticket").GetProperty("updatedAt") }
            .Concat(detail.GetProperty("timeline").EnumerateArray().Select(m => m.GetProperty("createdAt")))
            .Concat(detail.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("at")))
            .Concat(list.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("createdAt")))
            .Select(t => t.GetString()!).ToList();
        times.Should().OnlyContain(t => t.EndsWith('Z'), "times are UTC: {0}", string.Join(", ", times));
        DateTimeOffset.Parse(times[0]).Should().Be(server.Clock.GetUtcNow());
    }
}

/// <summary>Edge cases met after the first round: a disabled assignee, unchanged tags.</summary>
public sealed class TicketEdgeCaseTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    [Fact]
    public async Task A_disabled_agents_ticket_can_still_move_to_another_team()
    {
        var admin = await server.StaffAsync(Demo.Admin);
        var created = await admin.Http.PostAsJsonAsync("/api/admin/staff", new { email = "leaver@demo.local", displayName = "Leaver", password = "Leaver123!", roles = new[] { "Agent" } });
        var leaver = (await created.ReadAsync<StaffAccount>());
        var ticket = await admin.NewTicketAsync();
        await admin.AssignAsync(ticket.Ticket.Number, new { assigneeId = leaver.Id });
        (await admin.Http.PutAsJsonAsync($"/api/admin/staff/{leaver.Id}", new { disabled = true })).StatusCode.Should().Be(HttpStatusCode.OK);

        var teams = (await admin.Http.GetFromJsonAsync<List<TeamInfo>>("/api/teams", TestJson.Options))!;
        var other = teams.First(t => t.Id != ticket.Ticket.TeamId);
        var moved = await admin.AssignAsync(ticket.Ticket.Number, new { teamId = other.Id });
        moved.TeamId.Should().Be(other.Id);
        moved.AssigneeId.Should().Be(leaver.Id);

        // Giving the ticket to the disabled agent anew is still refused.
        var again = await admin.NewTicketAsync();
        (await admin.PostJsonAsync($"/api/tickets/{again.Ticket.Number}/assignment", new { assigneeId = leaver.Id })).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Setting_the_same_tags_records_no_change()
    {
        var agent = await server.StaffAsync(Demo.Agent1);
        var ticket = await agent.NewTicketAsync();
        var tagged = await (await agent.Http.PatchAsJsonAsync($"/api/tickets/{ticket.Ticket.Number}", new { tags = new[] { "vip" } })).ReadAsync<TicketSummary>();
        var same = await (await agent.Http.PatchAsJsonAsync($"/api/tickets/{ticket.Ticket.Number}", new { tags = new[] { "vip" } })).ReadAsync<TicketSummary>();
        same.Version.Should().Be(tagged.Version);
        (await agent.GetTicketAsync(ticket.Ticket.Number)).History.Count(h => h.Field == "tags").Should().Be(1);
    }

    [Fact]
    public async Task The_web_form_answers_with_the_ticket_number_and_no_location_to_a_missing_endpoint()
    {
        using var anon = server.CreateClient();
        var response = await anon.Http.PostAsJsonAsync("/api/public/tickets", new { name = "访客", email = "v@example.cn", subject = "问题", description = "详情" });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.Location.Should().BeNull();
        (await response.ReadAsync<PublicTicketReceipt>()).Number.Should().BeGreaterThan(100000);
    }
}
