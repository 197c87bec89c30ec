using System.Net;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;

namespace Helpdesk.Web.Tests;

/// <summary>GET /api/tickets: every filter, the views and keyset paging.</summary>
public sealed class TicketListTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    private Task<StaffClient> Agent1 => server.StaffAsync(Demo.Agent1);
    private Task<StaffClient> Agent2 => server.StaffAsync(Demo.Agent2);

    private static async Task<TicketPage> ListAsync(StaffClient client, string query)
    {
        var response = await client.Http.GetAsync("/api/tickets?" + query);
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadAsync<TicketPage>();
    }

    /// <summary>Follows the cursors to the end; fails on a page that repeats a cursor.</summary>
    private static async Task<List<TicketSummary>> WalkAsync(StaffClient client, string query, int limit)
    {
        var all = new List<TicketSummary>();
        var cursors = new HashSet<string>();
        string? cursor = null;
        do
        {
            var page = await ListAsync(client, $"{query}&limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}"));
            page.Items.Count.Should().BeLessThanOrEqualTo(limit);
            if (page.NextCursor is not null)
            {
                page.Items.Should().HaveCount(limit, "only the last page is short");
                cursors.Add(page.NextCursor).Should().BeTrue("a cursor never repeats");
            }
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        } while (cursor is not null);
        return all;
    }

    private async Task<List<TeamInfo>> TeamsAsync() =>
        (await (await Agent1).Http.GetFromJsonAsync<List<TeamInfo>>("/api/teams", TestJson.Options))!;

    private static IEnumerable<long> Numbers(TicketPage page) => page.Items.Select(t => t.Number);

    // ---- filters ------------------------------------------------------------------------

    [Fact]
    public async Task Status_filter_returns_only_tickets_in_the_given_statuses()
    {
        var agent = await Agent1;
        var word = TicketsClient.UniqueWord();
        var fresh = await agent.TicketInStatusAsync(TicketStatus.New, word);
        var waiting = await agent.TicketInStatusAsync(TicketStatus.WaitingOnCustomer, word);
        var resolved = await agent.TicketInStatusAsync(TicketStatus.Resolved, word);

        Numbers(await ListAsync(agent, $"q={word}&status=WaitingOnCustomer")).Should().Equal(waiting.Ticket.Number);
        Numbers(await ListAsync(agent, $"q={word}&status=waitingoncustomer,Resolved")).Should()
            .BeEquivalentTo([waiting.Ticket.Number, resolved.Ticket.Number], "names are case-insensitive and comma-separated");
        Numbers(await ListAsync(agent, $"q={word}&status=New")).Should().Equal(fresh.Ticket.Number);
        (await ListAsync(agent, "status=Resolved&limit=200")).Items.Should().NotBeEmpty().And.OnlyContain(t => t.Status == TicketStatus.Resolved);
    }

    [Fact]
    public async Task Type_category_priority_and_channel_filters_each_narrow_the_list()
    {
        var agent = await Agent1;
        var word = TicketsClient.UniqueWord();
        var complaint = await agent.CreateTicketAsync(new { subject = word, type = "Complaint", category = "Refund", priority = "Urgent", channel = "Phone" });
        var suggestion = await agent.CreateTicketAsync(new { subject = word, type = "Suggestion", category = "None", priority = "Low", channel = "WebForm" });

        Numbers(await ListAsync(agent, $"q={word}&type=Complaint")).Should().Equal(complaint.Ticket.Number);
        Numbers(await ListAsync(agent, $"q={word}&type=Suggestion")).Should().Equal(suggestion.Ticket.Number);
        Numbers(await ListAsync(agent, $"q={word}&category=Refund")).Should().Equal(complaint.Ticket.Number);
        Numbers(await ListAsync(agent, $"q={word}&priority=Low")).Should().Equal(suggestion.Ticket.Number);
        Numbers(await ListAsync(agent, $"q={word}&channel=Phone")).Should().Equal(complaint.Ticket.Number);
        Numbers(await ListAsync(agent, $"q={word}&type=Inquiry")).Should().BeEmpty();

        (await ListAsync(agent, "type=Complaint&limit=200")).Items.Should().OnlyContain(t => t.Type == TicketType.Complaint);
        (await ListAsync(agent, "category=Repair&limit=200")).Items.Should().NotBeEmpty().And.OnlyContain(t => t.Category == AfterSalesCategory.Repair);
        (await ListAsync(agent, "priority=Urgent&limit=200")).Items.Should().NotBeEmpty().And.OnlyContain(t => t.Priority == TicketPriority.Urgent);
    }

    [Fact]
    public async Task Team_filter_returns_only_that_teams_tickets()
    {
        var agent = await Agent1;
        var teams = await TeamsAsync();
        var word = TicketsClient.UniqueWord();
        var pre = await agent.NewTicketAsync(word, teamId: teams.Single(t => t.Key == "pre-sales").Id);
        var after = await agent.NewTicketAsync(word, teamId: teams.Single(t => t.Key == "after-sales").Id);

        Numbers(await ListAsync(agent, $"q={word}&teamId={pre.Ticket.TeamId}")).Should().Equal(pre.Ticket.Number);
        Numbers(await ListAsync(agent, $"q={word}&teamId={after.Ticket.TeamId}")).Should().Equal(after.Ticket.Number);
        (await ListAsync(agent, $"teamId={after.Ticket.TeamId}&limit=200")).Items.Should().OnlyContain(t => t.TeamId == after.Ticket.TeamId);
    }

    [Fact]
    public async Task Assignee_filter_and_unassigned_filter_split_the_list()
    {
        var agent1 = await Agent1;
        var agent2 = await Agent2;
        var word = TicketsClient.UniqueWord();
        var mine = await agent1.NewTicketAsync(word, assigneeId: agent1.Id);
        var theirs = await agent1.NewTicketAsync(word, assigneeId: agent2.Id);
        var nobodys = await agent1.NewTicketAsync(word);

        Numbers(await ListAsync(agent1, $"q={word}&assigneeId={agent2.Id}")).Should().Equal(theirs.Ticket.Number);
        Numbers(await ListAsync(agent1, $"q={word}&assigneeId={agent1.Id}")).Should().Equal(mine.Ticket.Number);
        Numbers(await ListAsync(agent1, $"q={word}&unassigned=true")).Should().Equal(nobodys.Ticket.Number);
        (await ListAsync(agent1, $"assigneeId={agent2.Id}&limit=200")).Items.Should().OnlyContain(t => t.AssigneeId == agent2.Id);
    }

    [Fact]
    public async Task Customer_filter_returns_that_customers_tickets()
    {
        var agent = await Agent1;
        var seeded = (await ListAsync(agent, "limit=200")).Items.Where(t => t.CustomerId is not null).ToList();
        var customerId = seeded.First().CustomerId!.Value;
        var otherId = seeded.First(t => t.CustomerId != customerId).CustomerId!.Value;
        var word = TicketsClient.UniqueWord();
        var theirs = await agent.NewTicketAsync(word, customerId: customerId);
        await agent.NewTicketAsync(word, customerId: otherId);

        Numbers(await ListAsync(agent, $"q={word}&customerId={customerId}")).Should().Equal(theirs.Ticket.Number);
        var all = (await ListAsync(agent, $"customerId={customerId}&limit=200")).Items;
        all.Should().OnlyContain(t => t.CustomerId == customerId);
        all.Select(t => t.Number).Should().Contain(seeded.Where(t => t.CustomerId == customerId).Select(t => t.Number));
    }

    [Fact]
    public async Task Text_search_finds_the_word_in_subjects_and_in_every_message_body()
    {
        var agent = await Agent1;
        var word = TicketsClient.UniqueWord();
        var inSubject = await agent.NewTicketAsync($"Question about {word}");
        var inFirstMessage = await agent.NewTicketAsync(description: $"my serial is {word.ToUpperInvariant()}");
        var inReply = await agent.NewTicketAsync();
        await agent.PostMessageAsync(inReply.Ticket.Number, "replies", $"Please quote {word} when you call.");
        var inNote = await agent.NewTicketAsync();
        await agent.PostMessageAsync(inNote.Ticket.Number, "notes", $"internal: {word}");
        await agent.NewTicketAsync("Unrelated", description: "nothing to see");

        Numbers(await ListAsync(agent, $"q={word}")).Should().BeEquivalentTo(
            [inSubject.Ticket.Number, inFirstMessage.Ticket.Number, inReply.Ticket.Number, inNote.Ticket.Number]);
        Numbers(await ListAsync(agent, $"q=%20{word[3..10]}%20")).Should().HaveCount(4, "the search text is trimmed and matches inside words");
        Numbers(await ListAsync(agent, $"q={inReply.Ticket.Number}")).Should().Contain(inReply.Ticket.Number, "a ticket number finds the ticket");
    }

    [Fact]
    public async Task Text_search_takes_percent_and_underscore_literally()
    {
        var agent = await Agent1;
        var word = TicketsClient.UniqueWord();
        var percent = await agent.NewTicketAsync($"Discount 100%{word}");
        await agent.NewTicketAsync($"Discount 1000{word}");
        var underscore = await agent.NewTicketAsync($"Order A_{word}");
        await agent.NewTicketAsync($"Order AB{word}");

        Numbers(await ListAsync(agent, $"q={Uri.EscapeDataString("0%" + word)}")).Should().Equal(percent.Ticket.Number);
        Numbers(await ListAsync(agent, $"q={Uri.EscapeDataString("A_" + word)}")).Should().Equal(underscore.Ticket.Number);
    }

    [Fact]
    public async Task Created_from_is_inclusive_and_created_to_is_exclusive()
    {
        var agent = await Agent1;
        var word = TicketsClient.UniqueWord();
        // Sessions last 12 hours of the server's clock: move it by less.
        server.Clock.Advance(TimeSpan.FromHours(1));
        var first = await agent.NewTicketAsync(word);
        server.Clock.Advance(TimeSpan.FromHours(1));
        var second = await agent.NewTicketAsync(word);
        server.Clock.Advance(TimeSpan.FromHours(1));
        var third = await agent.NewTicketAsync(word);
        string Iso(DateTime t) => Uri.EscapeDataString(t.ToString("O"));

        Numbers(await ListAsync(agent, $"q={word}&createdFrom={Iso(second.Ticket.CreatedAt)}&createdTo={Iso(third.Ticket.CreatedAt)}"))
            .Should().Equal(second.Ticket.Number);
        Numbers(await ListAsync(agent, $"q={word}&createdFrom={Iso(second.Ticket.CreatedAt)}"))
            .Should().BeEquivalentTo([second.Ticket.Number, third.Ticket.Number]);
        Numbers(await ListAsync(agent, $"q={word}&createdTo={Iso(second.Ticket.CreatedAt)}")).Should().Equal(first.Ticket.Number);

        var day = first.Ticket.CreatedAt.Date;
        Numbers(await ListAsync(agent, $"q={word}&createdFrom={day:yyyy-MM-dd}&createdTo={day.AddDays(1):yyyy-MM-dd}"))
            .Should().HaveCount(3, "a plain date is midnight UTC");
        Numbers(await ListAsync(agent, $"q={word}&createdFrom={day.AddDays(1):yyyy-MM-dd}")).Should().BeEmpty();
    }

    // ---- views --------------------------------------------------------------------------

    [Fact]
    public async Task Mine_view_lists_the_open_tickets_assigned_to_the_caller()
    {
        var agent1 = await Agent1;
        var agent2 = await Agent2;
        var word = TicketsClient.UniqueWord();
        var assigned = await agent1.TicketInStatusAsync(TicketStatus.Assigned, word);
        var waiting = await agent1.TicketInStatusAsync(TicketStatus.WaitingOnCustomer, word);
        await agent1.TicketInStatusAsync(TicketStatus.Resolved, word);
        await agent1.NewTicketAsync(word, assigneeId: agent2.Id);

        Numbers(await ListAsync(agent1, $"view=mine&q={word}")).Should().BeEquivalentTo([assigned.Ticket.Number, waiting.Ticket.Number]);
        var mine = (await ListAsync(agent1, "view=Mine&limit=200")).Items;
        mine.Should().OnlyContain(t => t.AssigneeId == agent1.Id && TicketLifecycle.IsOpen(t.Status));
        Numbers(await ListAsync(agent2, $"view=mine&q={word}")).Should().HaveCount(1);
    }

    [Fact]
    public async Task Team_view_lists_the_open_tickets_of_the_callers_teams()
    {
        var agent2 = await Agent2; // after-sales
        var teams = await TeamsAsync();
        var afterSales = teams.Single(t => t.Key == "after-sales").Id;
        var word = TicketsClient.UniqueWord();
        var inTeam = await agent2.NewTicketAsync(word, teamId: afterSales);
        await agent2.NewTicketAsync(word, teamId: teams.Single(t => t.Key == "pre-sales").Id);
        await agent2.TicketInStatusAsync(TicketStatus.Resolved, word); // routed to pre-sales, and closed anyway

        Numbers(await ListAsync(agent2, $"view=team&q={word}")).Should().Equal(inTeam.Ticket.Number);
        var queue = (await ListAsync(agent2, "view=team&limit=200")).Items;
        queue.Should().NotBeEmpty().And.OnlyContain(t => t.TeamId == afterSales && TicketLifecycle.IsOpen(t.Status));
    }

    [Fact]
    public async Task Open_view_leaves_out_resolved_closed_and_merged_tickets()
    {
        var agent = await Agent1;
        var word = TicketsClient.UniqueWord();
        var open = new[]
        {
            await agent.TicketInStatusAsync(TicketStatus.New, word),
            await agent.TicketInStatusAsync(TicketStatus.Assigned, word),
            await agent.TicketInStatusAsync(TicketStatus.WaitingOnCustomer, word),
        };
        await agent.TicketInStatusAsync(TicketStatus.Resolved, word);
        await agent.TicketInStatusAsync(TicketStatus.FeedbackReceived, word);
        await agent.TicketInStatusAsync(TicketStatus.Archived, word);

        Numbers(await ListAsync(agent, $"view=open&q={word}")).Should().BeEquivalentTo(open.Select(t => t.Ticket.Number));
        Numbers(await ListAsync(agent, $"q={word}")).Should().HaveCount(6, "without a view every status is listed");
        (await ListAsync(agent, "view=open&limit=200")).Items.Should().OnlyContain(t => TicketLifecycle.IsOpen(t.Status));
    }

    // ---- paging -------------------------------------------------------------------------

    [Fact]
    public async Task Priority_order_pages_walk_every_ticket_once_most_urgent_then_oldest_first()
    {
        var agent = await Agent1;
        var word = TicketsClient.UniqueWord();
        var created = new List<long>();
        string[] priorities = ["Low", "Urgent", "Normal", "High", "Normal", "Urgent", "Low", "Normal", "High", "Normal", "Low"];
        for (var i = 0; i < priorities.Length; i++)
        {
            if (i % 3 == 0) server.Clock.Advance(TimeSpan.FromMinutes(1)); // ties in time, broken by id
            created.Add((await agent.NewTicketAsync(word, priority: priorities[i])).Ticket.Number);
        }

        var walked = await WalkAsync(agent, $"q={word}", limit: 3);

        walked.Select(t => t.Number).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(created);
        walked.Should().BeInDescendingOrder(t => t.Priority);
        for (var i = 1; i < walked.Count; i++)
        {
            var (a, b) = (walked[i - 1], walked[i]);
            if (a.Priority == b.Priority)
                (a.CreatedAt, a.Id).CompareTo((b.CreatedAt, b.Id)).Should().BeNegative("within a priority the oldest comes first");
        }
    }

    [Fact]
    public async Task Newest_order_pages_walk_every_ticket_once_newest_first()
    {
        var agent = await Agent1;
        var word = TicketsClient.UniqueWord();
        var created = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            if (i % 4 == 0) server.Clock.Advance(TimeSpan.FromMinutes(1));
            created.Add((await agent.NewTicketAsync(word, priority: i % 2 == 0 ? "High" : "Low")).Ticket.Number);
        }

        var walked = await WalkAsync(agent, $"q={word}&sort=Newest", limit: 4);

        walked.Select(t => t.Number).Should().Equal(created.AsEnumerable().Reverse(), "newest first, ties by the later id");
    }

    [Theory]
    [InlineData("sort=Priority", 7)]
    [InlineData("sort=Newest", 5)]
    [InlineData("view=open&sort=Priority", 4)]
    public async Task Paging_through_everything_gives_the_same_tickets_in_the_same_order_as_one_big_page(string query, int limit)
    {
        var agent = await Agent1;
        await agent.NewTicketAsync(priority: "Urgent");

        var onePage = await ListAsync(agent, $"{query}&limit=200");
        var walked = await WalkAsync(agent, query, limit);

        onePage.NextCursor.Should().BeNull("the whole list fits in one page of 200");
        walked.Select(t => t.Number).Should().Equal(onePage.Items.Select(t => t.Number));
        walked.Count.Should().BeGreaterThan(limit * 2);
    }

    [Fact]
    public async Task A_cursor_is_tied_to_its_sort_order_and_a_made_up_cursor_is_refused()
    {
        var agent = await Agent1;
        var page = await ListAsync(agent, "sort=Priority&limit=2");
        page.NextCursor.Should().NotBeNull();

        var otherSort = await agent.Http.GetAsync($"/api/tickets?sort=Newest&limit=2&cursor={page.NextCursor}");
        var madeUp = await agent.Http.GetAsync("/api/tickets?cursor=bm90LWEtY3Vyc29y");

        await otherSort.ShouldBeInvalidAsync("cursor");
        await madeUp.ShouldBeInvalidAsync("cursor");
    }
}
