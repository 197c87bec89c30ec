using System.Net;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;

namespace Helpdesk.Web.Tests;

/// <summary>Status changes, customer messages (reopen, follow-up, merged) and merging, over HTTP.</summary>
public sealed class TicketLifecycleTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    private Task<StaffClient> Agent => server.StaffAsync(Demo.Agent1);
    private Task<StaffClient> Supervisor => server.StaffAsync(Demo.Supervisor);

    private DateTime Now => server.Clock.GetUtcNow().UtcDateTime;

    // ---- status -------------------------------------------------------------------------

    [Fact]
    public async Task Legal_status_changes_answer_200_and_are_recorded_with_who_when_from_and_to()
    {
        var agent = await Agent;
        var ticket = await agent.TicketInStatusAsync(TicketStatus.Assigned);
        var number = ticket.Ticket.Number;
        var steps = new[] { TicketStatus.WaitingOnCustomer, TicketStatus.Assigned, TicketStatus.Resolved, TicketStatus.FeedbackReceived, TicketStatus.Archived };
        var expected = new List<(string From, string To, DateTime At)>();
        var from = TicketStatus.Assigned;

        foreach (var to in steps)
        {
            server.Clock.Advance(TimeSpan.FromMinutes(3));
            var summary = await agent.SetStatusAsync(number, to, reason: $"step to {to}");
            summary.Status.Should().Be(to);
            expected.Add((from.ToString(), to.ToString(), Now));
            from = to;
        }

        var detail = await agent.GetTicketAsync(number);
        detail.Ticket.Status.Should().Be(TicketStatus.Archived);
        var changes = detail.History.Where(h => h.Field == "status").Skip(1).ToList(); // the first is New → Assigned
        changes.Select(h => (h.From!, h.To!, h.At)).Should().Equal(expected);
        changes.Should().OnlyContain(h => h.ActorId == agent.Id.ToString() && h.ActorName == agent.Session!.DisplayName);
        detail.Timeline.Where(m => m.EventCode == "status_changed").TakeLast(5).Select(m => m.Body).Should()
            .OnlyContain(b => b.Contains("step to"), "the reason is written in the timeline");
        detail.AllowedStatuses.Should().BeEmpty("an archived ticket is final");
    }

    public static TheoryData<TicketStatus, TicketStatus, string> IllegalTransitions => new()
    {
        { TicketStatus.New, TicketStatus.Resolved, "must be assigned" },
        { TicketStatus.New, TicketStatus.WaitingOnCustomer, "must be assigned" },
        { TicketStatus.Assigned, TicketStatus.FeedbackReceived, "only on a resolved ticket" },
        { TicketStatus.Assigned, TicketStatus.Archived, "Only a resolved ticket" },
        { TicketStatus.Assigned, TicketStatus.Assigned, "already Assigned" },
        { TicketStatus.Assigned, TicketStatus.New, "removing its assignee" },
        { TicketStatus.Assigned, TicketStatus.Merged, "only by merging" },
        { TicketStatus.Resolved, TicketStatus.WaitingOnCustomer, "must be reopened" },
        { TicketStatus.FeedbackReceived, TicketStatus.Assigned, "can only be archived" },
        { TicketStatus.Archived, TicketStatus.Assigned, "archived" },
        { TicketStatus.Archived, TicketStatus.Resolved, "archived" },
    };

    [Theory]
    [MemberData(nameof(IllegalTransitions))]
    public async Task Illegal_status_change_is_refused_409_illegal_transition_with_a_reason_and_writes_nothing(
        TicketStatus from, TicketStatus to, string reason)
    {
        var agent = await Agent;
        var ticket = await agent.TicketInStatusAsync(from);

        var response = await agent.PostJsonAsync($"/api/tickets/{ticket.Ticket.Number}/status", new { status = to.ToString() });

        var problem = await response.ShouldBeRefusedAsync("illegal_transition");
        problem.GetProperty("detail").GetString().Should().Contain(reason);
        await agent.ShouldBeUnchangedAsync(ticket);
    }

    [Fact]
    public async Task Reopening_a_resolved_ticket_that_nobody_holds_asks_for_an_assignee()
    {
        var agent = await Agent;
        var ticket = await agent.TicketInStatusAsync(TicketStatus.Resolved);
        await agent.AssignAsync(ticket.Ticket.Number, new { unassign = true });
        var before = await agent.GetTicketAsync(ticket.Ticket.Number);
        before.Ticket.Status.Should().Be(TicketStatus.Resolved, "unassigning a resolved ticket does not reopen it");

        var response = await agent.PostJsonAsync($"/api/tickets/{ticket.Ticket.Number}/status", new { status = "Assigned" });

        await response.ShouldBeRefusedAsync("assignee_required");
        await agent.ShouldBeUnchangedAsync(before);
    }

    // ---- customer messages --------------------------------------------------------------

    [Fact]
    public async Task Customer_reply_to_a_ticket_waiting_on_the_customer_puts_it_back_to_Assigned()
    {
        var agent = await Agent;
        var ticket = await agent.TicketInStatusAsync(TicketStatus.WaitingOnCustomer);

        var result = await agent.PostMessageAsync(ticket.Ticket.Number, "customer-messages", "Here is the photo you asked for.");

        result.TicketNumber.Should().Be(ticket.Ticket.Number);
        result.Status.Should().Be(TicketStatus.Assigned);
        result.Message.Kind.Should().Be(MessageKind.Customer);
        var detail = await agent.GetTicketAsync(ticket.Ticket.Number);
        detail.Ticket.Status.Should().Be(TicketStatus.Assigned);
        detail.Ticket.AssigneeId.Should().Be(agent.Id);
        // Triage of the customer's message may record after the reopening (its own entries, actor "triage").
        detail.History.Last(h => h.ActorName != "triage").Should().Match<HistoryEntry>(h =>
            h.Field == "status" && h.From == "WaitingOnCustomer" && h.To == "Assigned" && h.ActorKind == ActorKind.System);
    }

    [Fact]
    public async Task Resolved_ticket_reopens_when_customer_replies()
    {
        var agent = await Agent;
        var ticket = await agent.TicketInStatusAsync(TicketStatus.Resolved);

        var result = await agent.PostMessageAsync(ticket.Ticket.Number, "customer-messages", "It broke again.");

        result.TicketNumber.Should().Be(ticket.Ticket.Number, "a resolved ticket is reopened, not followed up");
        result.Status.Should().Be(TicketStatus.Assigned);
        var detail = await agent.GetTicketAsync(ticket.Ticket.Number);
        detail.Ticket.Status.Should().Be(TicketStatus.Assigned);
        detail.Ticket.AssigneeId.Should().Be(agent.Id, "it goes back to the agent who had it");
        detail.Timeline.Last(m => m.EventCode != "triaged").Should().Match<TimelineEntry>(m => m.EventCode == "status_changed" && m.EventFrom == "Resolved" && m.EventTo == "Assigned");
        detail.FollowUpNumbers.Should().BeEmpty();
    }

    [Fact]
    public async Task Customer_message_on_a_new_ticket_is_added_and_keeps_it_New()
    {
        var agent = await Agent;
        var ticket = await agent.NewTicketAsync();

        var result = await agent.PostMessageAsync(ticket.Ticket.Number, "customer-messages", "Anyone there?");

        result.Status.Should().Be(TicketStatus.New);
        result.Message.Sequence.Should().Be(ticket.Timeline.Max(m => m.Sequence) + 1);
    }

    [Theory]
    [InlineData(TicketStatus.FeedbackReceived)]
    [InlineData(TicketStatus.Archived)]
    public async Task Customer_message_after_feedback_or_archiving_opens_a_linked_follow_up(TicketStatus closed)
    {
        var agent = await Agent;
        var original = await agent.TicketInStatusAsync(closed, subject: "Broken kettle");
        var number = original.Ticket.Number;

        var response = await agent.PostJsonAsync($"/api/tickets/{number}/customer-messages", new { body = "The new kettle leaks too." });

        await response.ShouldBeAsync(HttpStatusCode.Created);
        var result = await response.ReadAsync<MessageResult>();
        result.TicketNumber.Should().NotBe(number);
        response.Headers.Location!.OriginalString.Should().Be($"/api/tickets/{result.TicketNumber}");

        var followUp = await agent.GetTicketAsync(result.TicketNumber);
        followUp.FollowUpOfNumber.Should().Be(number);
        followUp.Ticket.Subject.Should().Be("Follow-up: Broken kettle");
        followUp.Ticket.Status.Should().Be(TicketStatus.New);
        followUp.Ticket.TeamId.Should().Be(original.Ticket.TeamId);
        followUp.Ticket.CustomerId.Should().Be(original.Ticket.CustomerId);
        followUp.Timeline.Should().ContainSingle(m => m.Kind == MessageKind.Customer).Which.Body.Should().Be("The new kettle leaks too.");
        followUp.Timeline.Should().Contain(m => m.EventCode == "follow_up_of");

        var after = await agent.GetTicketAsync(number);
        after.FollowUpNumbers.Should().Equal(result.TicketNumber);
        after.Ticket.Status.Should().Be(closed);
        after.Ticket.Version.Should().Be(original.Ticket.Version, "the closed ticket itself is not written to");
        after.Timeline.Should().HaveCount(original.Timeline.Count);
    }

    [Fact]
    public async Task Customer_message_retried_after_archiving_opens_only_one_follow_up()
    {
        var agent = await Agent;
        var original = await agent.TicketInStatusAsync(TicketStatus.Archived);
        var number = original.Ticket.Number;
        var clientId = Guid.NewGuid().ToString();

        var first = await agent.PostMessageAsync(number, "customer-messages", "Still waiting for the invoice.", clientId);
        var retry = await agent.PostMessageAsync(number, "customer-messages", "Still waiting for the invoice.", clientId, HttpStatusCode.OK);

        retry.Duplicate.Should().BeTrue();
        retry.TicketNumber.Should().Be(first.TicketNumber);
        retry.Message.Id.Should().Be(first.Message.Id);
        (await agent.GetTicketAsync(number)).FollowUpNumbers.Should().Equal(first.TicketNumber);
    }

    [Fact]
    public async Task Customer_message_retried_with_the_same_client_message_id_is_stored_once()
    {
        var agent = await Agent;
        var ticket = await agent.TicketInStatusAsync(TicketStatus.WaitingOnCustomer);
        var clientId = Guid.NewGuid().ToString();

        var first = await agent.PostMessageAsync(ticket.Ticket.Number, "customer-messages", "Photo attached.", clientId);
        var retry = await agent.PostMessageAsync(ticket.Ticket.Number, "customer-messages", "Photo attached.", clientId, HttpStatusCode.OK);

        retry.Message.Id.Should().Be(first.Message.Id);
        retry.TicketVersion.Should().Be(first.TicketVersion);
        (await agent.GetTicketAsync(ticket.Ticket.Number)).Timeline.Where(m => m.Body == "Photo attached.").Should().ContainSingle();
    }

    [Fact]
    public async Task Customer_message_to_a_merged_ticket_lands_on_the_ticket_it_was_merged_into()
    {
        var agent = await Agent;
        var source = await agent.NewTicketAsync("Duplicate: refund");
        var target = await agent.NewTicketAsync("Refund");
        await MergeAsync(agent, source.Ticket.Number, target.Ticket.Number);
        var sourceBefore = await agent.GetTicketAsync(source.Ticket.Number);

        var result = await agent.PostMessageAsync(source.Ticket.Number, "customer-messages", "Any news on my refund?");

        result.TicketNumber.Should().Be(target.Ticket.Number);
        (await agent.GetTicketAsync(target.Ticket.Number)).Timeline.Should().ContainSingle(m => m.Body == "Any news on my refund?");
        await agent.ShouldBeUnchangedAsync(sourceBefore);
    }

    // ---- merge --------------------------------------------------------------------------

    private static async Task<TicketsApiMerge> MergeAsync(StaffClient client, long source, long target, int? expectedVersion = null)
    {
        var response = await client.PostJsonAsync($"/api/tickets/{source}/merge", new { targetNumber = target, expectedVersion });
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadAsync<TicketsApiMerge>();
    }

    public sealed record TicketsApiMerge(TicketSummary Source, TicketSummary Target);

    [Fact]
    public async Task Merge_moves_the_timeline_to_the_target_with_new_sequence_numbers_and_ends_the_source_as_Merged()
    {
        var agent = await Agent;
        var supervisor = await Supervisor;
        var target = await agent.NewTicketAsync("Printer does not start", description: "Target: first message.", tags: ["printer"]);
        await agent.PostMessageAsync(target.Ticket.Number, "replies", "Target: have you tried the power button?");
        var source = await agent.NewTicketAsync("Printer dead", description: "Source: first message.", tags: ["hardware"]);
        await agent.PostMessageAsync(source.Ticket.Number, "customer-messages", "Source: second message.");
        await agent.PostMessageAsync(source.Ticket.Number, "notes", "Source: a note.");
        var targetBefore = await agent.GetTicketAsync(target.Ticket.Number);
        var sourceBefore = await agent.GetTicketAsync(source.Ticket.Number);

        var merged = await MergeAsync(supervisor, source.Ticket.Number, target.Ticket.Number, sourceBefore.Ticket.Version);

        merged.Source.Status.Should().Be(TicketStatus.Merged);
        merged.Target.Number.Should().Be(target.Ticket.Number);

        var targetAfter = await agent.GetTicketAsync(target.Ticket.Number);
        targetAfter.Timeline.Select(m => m.Sequence).Should().Equal(Enumerable.Range(1, targetAfter.Timeline.Count), "one unbroken sequence");
        targetAfter.Timeline.Take(targetBefore.Timeline.Count).Select(m => (m.Id, m.Sequence, m.Body))
            .Should().Equal(targetBefore.Timeline.Select(m => (m.Id, m.Sequence, m.Body)), "the target's own timeline stays first");
        var moved = targetAfter.Timeline.Where(m => m.MergedFromTicketId == source.Ticket.Id).ToList();
        moved.Select(m => m.Body).Should().Equal("Source: first message.", "Source: second message.", "Source: a note.");
        moved.Select(m => m.Id).Should().Equal(sourceBefore.Timeline.Where(m => m.Kind != MessageKind.System).Select(m => m.Id), "the same messages, moved");
        moved.First().Sequence.Should().Be(targetBefore.Timeline.Max(m => m.Sequence) + 1, "appended after the target's last message");
        targetAfter.Timeline.Last().EventCode.Should().Be("merged_from");
        targetAfter.Ticket.Tags.Should().BeEquivalentTo(["printer", "hardware"]);
        targetAfter.History.Should().ContainSingle(h => h.Field == "merged_from" && h.To == source.Ticket.Number.ToString() && h.ActorId == supervisor.Id.ToString());

        var sourceAfter = await agent.GetTicketAsync(source.Ticket.Number);
        sourceAfter.Ticket.Status.Should().Be(TicketStatus.Merged);
        sourceAfter.MergedIntoNumber.Should().Be(target.Ticket.Number);
        sourceAfter.Timeline.Should().OnlyContain(m => m.Kind == MessageKind.System);
        sourceAfter.Timeline.Should().Contain(m => m.EventCode == "merged_into" && m.EventTo == target.Ticket.Number.ToString());
        sourceAfter.AllowedStatuses.Should().BeEmpty();

        var reply = await agent.PostMessageAsync(target.Ticket.Number, "replies", "Target: after the merge.");
        reply.Message.Sequence.Should().Be(targetAfter.Timeline.Max(m => m.Sequence) + 1, "numbering continues after the moved messages");
    }

    [Fact]
    public async Task Merge_into_itself_is_refused_and_writes_nothing()
    {
        var agent = await Agent;
        var ticket = await agent.NewTicketAsync();

        var response = await agent.PostJsonAsync($"/api/tickets/{ticket.Ticket.Number}/merge", new { targetNumber = ticket.Ticket.Number });

        await response.ShouldBeRefusedAsync("merge_into_self");
        await agent.ShouldBeUnchangedAsync(ticket);
    }

    [Theory]
    [InlineData(TicketStatus.Archived)]
    [InlineData(TicketStatus.Merged)]
    public async Task Merge_into_an_archived_or_merged_ticket_is_refused_and_writes_nothing(TicketStatus targetStatus)
    {
        var agent = await Agent;
        TicketDetail target;
        if (targetStatus == TicketStatus.Merged)
        {
            target = await agent.NewTicketAsync();
            await MergeAsync(agent, target.Ticket.Number, (await agent.NewTicketAsync()).Ticket.Number);
            target = await agent.GetTicketAsync(target.Ticket.Number);
        }
        else
        {
            target = await agent.TicketInStatusAsync(targetStatus);
        }
        var source = await agent.NewTicketAsync();

        var response = await agent.PostJsonAsync($"/api/tickets/{source.Ticket.Number}/merge", new { targetNumber = target.Ticket.Number });

        await response.ShouldBeRefusedAsync("merge_target_closed");
        await agent.ShouldBeUnchangedAsync(source);
        await agent.ShouldBeUnchangedAsync(target);
    }

    [Fact]
    public async Task Merging_an_archived_ticket_is_refused_as_an_illegal_transition()
    {
        var agent = await Agent;
        var source = await agent.TicketInStatusAsync(TicketStatus.Archived);
        var target = await agent.NewTicketAsync();

        var response = await agent.PostJsonAsync($"/api/tickets/{source.Ticket.Number}/merge", new { targetNumber = target.Ticket.Number });

        await response.ShouldBeRefusedAsync("illegal_transition");
        await agent.ShouldBeUnchangedAsync(source);
        await agent.ShouldBeUnchangedAsync(target);
    }

    [Fact]
    public async Task Merge_into_an_unknown_ticket_is_404_and_writes_nothing()
    {
        var agent = await Agent;
        var source = await agent.NewTicketAsync();

        var response = await agent.PostJsonAsync($"/api/tickets/{source.Ticket.Number}/merge", new { targetNumber = 999_999_999 });

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await agent.ShouldBeUnchangedAsync(source);
    }

    [Fact]
    public async Task Merge_of_two_tickets_holding_the_same_client_message_keeps_one_copy()
    {
        // The same customer message (same client id, e.g. one e-mail sent to two addresses)
        // opened two tickets; merging the duplicate must not fail on the unique client id.
        var agent = await Agent;
        var clientId = Guid.NewGuid().ToString();
        var target = await agent.NewTicketAsync("Invoice wrong");
        var source = await agent.NewTicketAsync("Invoice wrong (again)");
        await agent.PostMessageAsync(target.Ticket.Number, "customer-messages", "Please fix the VAT number.", clientId);
        await agent.PostMessageAsync(source.Ticket.Number, "customer-messages", "Please fix the VAT number.", clientId);

        await MergeAsync(agent, source.Ticket.Number, target.Ticket.Number);

        var after = await agent.GetTicketAsync(target.Ticket.Number);
        after.Timeline.Where(m => m.ClientMessageId == clientId).Should().ContainSingle();
        after.Timeline.Select(m => m.Sequence).Should().Equal(Enumerable.Range(1, after.Timeline.Count));
        (await agent.GetTicketAsync(source.Ticket.Number)).Ticket.Status.Should().Be(TicketStatus.Merged);
    }

    [Theory]
    [InlineData("replies")]
    [InlineData("notes")]
    public async Task Writing_to_a_merged_ticket_is_refused_with_ticket_merged(string kind)
    {
        var agent = await Agent;
        var source = await agent.NewTicketAsync();
        await MergeAsync(agent, source.Ticket.Number, (await agent.NewTicketAsync()).Ticket.Number);
        var before = await agent.GetTicketAsync(source.Ticket.Number);

        var response = await agent.PostJsonAsync($"/api/tickets/{source.Ticket.Number}/{kind}", new { body = "Too late." });

        await response.ShouldBeRefusedAsync("ticket_merged");
        await agent.ShouldBeUnchangedAsync(before);
    }

    [Fact]
    public async Task Replying_to_an_archived_ticket_is_refused_with_ticket_archived()
    {
        var agent = await Agent;
        var ticket = await agent.TicketInStatusAsync(TicketStatus.Archived);

        var response = await agent.PostJsonAsync($"/api/tickets/{ticket.Ticket.Number}/replies", new { body = "Hello again." });

        await response.ShouldBeRefusedAsync("ticket_archived");
        await agent.ShouldBeUnchangedAsync(ticket);
    }
}
