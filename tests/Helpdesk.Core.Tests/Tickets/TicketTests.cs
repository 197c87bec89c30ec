using Helpdesk.Core.Tickets;
using Microsoft.Extensions.Time.Testing;

namespace Helpdesk.Core.Tests.Tickets;

public sealed class TicketTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private static readonly Guid AgentId = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid OtherAgentId = Guid.Parse("22222222-2222-2222-2222-222222222222");
    private static readonly Actor Agent = Actor.Staff(AgentId, "李娜");
    private static readonly Actor Customer = Actor.Customer(7, "陈明");

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private Ticket Open(string? description = "我的耳机坏了", Guid? assignee = null) =>
        Ticket.Open(100001, new NewTicket("耳机没有声音", TicketType.Inquiry, TicketChannel.WebForm,
            Description: description, CustomerId: 7, TeamId: 2, AssigneeId: assignee), Customer, Now);

    private Ticket Assigned() => Open(assignee: AgentId);

    private Ticket Resolved()
    {
        var t = Assigned();
        t.ChangeStatus(TicketStatus.Resolved, Agent, Now);
        return t;
    }

    [Fact]
    public void Opened_ticket_is_new_with_the_description_as_first_customer_message()
    {
        var t = Open();
        t.Status.Should().Be(TicketStatus.New);
        t.Number.Should().Be(100001);
        t.Messages.Should().ContainSingle(m => m.Kind == MessageKind.Customer)
            .Which.Should().BeEquivalentTo(new { Sequence = 1, Body = "我的耳机坏了", AuthorName = "陈明" });
        t.History.Should().ContainSingle(h => h.Field == "created");
        t.CreatedAt.Should().Be(Now);
    }

    [Fact]
    public void Subject_is_required()
    {
        var act = () => Ticket.Open(1, new NewTicket("  ", TicketType.Inquiry, TicketChannel.Api), Agent, Now);
        act.Should().Throw<TicketRuleException>().Which.Code.Should().Be("subject_required");
    }

    [Fact]
    public void Timeline_sequence_numbers_every_entry_once_in_order()
    {
        var t = Assigned();
        t.AddAgentReply("您好", Agent, AgentId, Now, "c1");
        t.AddInternalNote("note", Agent, Now, null);
        t.AddCustomerMessage("谢谢", Customer, Now, "c2", out _);
        t.Messages.Select(m => m.Sequence).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        t.Messages.Select(m => m.Sequence).Should().Equal(Enumerable.Range(1, t.Messages.Count));
        t.LastSequence.Should().Be(t.Messages.Count);
    }

    [Fact]
    public void Assigning_a_new_ticket_makes_it_assigned_and_records_who_when_from_to()
    {
        var t = Open();
        _clock.Advance(TimeSpan.FromMinutes(5));
        t.Assign(AgentId, 2, Agent, Now);
        t.Status.Should().Be(TicketStatus.Assigned);
        t.AssigneeId.Should().Be(AgentId);
        t.History.Should().ContainEquivalentOf(new { Field = "status", From = "New", To = "Assigned", ActorName = "李娜", At = Now, ActorKind = ActorKind.Staff });
        t.History.Should().ContainEquivalentOf(new { Field = "assignee", From = (string?)null, To = AgentId.ToString() });
        t.Messages.Should().Contain(m => m.Kind == MessageKind.System && m.EventCode == "status_changed" && m.EventTo == "Assigned");
    }

    [Fact]
    public void Removing_the_assignee_puts_the_ticket_back_in_the_queue()
    {
        var t = Assigned();
        t.Assign(null, 2, Agent, Now);
        t.Status.Should().Be(TicketStatus.New);
        t.AssigneeId.Should().BeNull();
    }

    [Fact]
    public void Assigning_to_the_same_assignee_and_team_is_refused()
    {
        var t = Assigned();
        var act = () => t.Assign(AgentId, 2, Agent, Now);
        act.Should().Throw<TicketRuleException>().Which.Code.Should().Be("no_change");
    }

    [Fact]
    public void Moving_team_keeps_the_assignee_and_records_the_team()
    {
        var t = Assigned();
        t.Assign(AgentId, 3, Agent, Now, queueId: 9);
        t.TeamId.Should().Be(3);
        t.QueueId.Should().Be(9);
        t.History.Should().ContainEquivalentOf(new { Field = "team", From = "2", To = "3" });
    }

    [Fact]
    public void Agent_reply_to_an_unassigned_ticket_takes_it()
    {
        var t = Open();
        t.AddAgentReply("您好，请稍等", Agent, AgentId, Now, null);
        t.AssigneeId.Should().Be(AgentId);
        t.Status.Should().Be(TicketStatus.Assigned);
    }

    [Fact]
    public void Customer_reply_while_waiting_goes_back_to_the_agent()
    {
        var t = Assigned();
        t.ChangeStatus(TicketStatus.WaitingOnCustomer, Agent, Now);
        var outcome = t.AddCustomerMessage("照片已上传", Customer, Now, null, out var message);
        outcome.Should().Be(Ticket.CustomerMessageOutcome.Added);
        message!.Kind.Should().Be(MessageKind.Customer);
        t.Status.Should().Be(TicketStatus.Assigned);
    }

    [Fact]
    public void Resolved_ticket_reopens_when_customer_replies()
    {
        var t = Resolved();
        t.ResolvedAt.Should().NotBeNull();
        var outcome = t.AddCustomerMessage("还是不行", Customer, Now, null, out _);
        outcome.Should().Be(Ticket.CustomerMessageOutcome.Reopened);
        t.Status.Should().Be(TicketStatus.Assigned);
        t.ResolvedAt.Should().BeNull();
        t.History.Should().ContainEquivalentOf(new { Field = "status", From = "Resolved", To = "Assigned", ActorKind = ActorKind.System });
    }

    [Fact]
    public void Resolved_ticket_without_assignee_reopens_into_the_queue()
    {
        var t = Resolved();
        t.Assign(null, 2, Agent, Now);
        t.Status.Should().Be(TicketStatus.Resolved);
        t.AddCustomerMessage("还是不行", Customer, Now, null, out _).Should().Be(Ticket.CustomerMessageOutcome.Reopened);
        t.Status.Should().Be(TicketStatus.New);
    }

    [Theory]
    [InlineData(TicketStatus.FeedbackReceived)]
    [InlineData(TicketStatus.Archived)]
    public void Customer_reply_after_feedback_or_archive_asks_for_a_follow_up_and_adds_nothing(TicketStatus end)
    {
        var t = Resolved();
        if (end == TicketStatus.FeedbackReceived) t.ChangeStatus(TicketStatus.FeedbackReceived, Actor.System, Now);
        else t.ChangeStatus(TicketStatus.Archived, Actor.System, Now);
        var before = t.Messages.Count;
        var version = t.Version;
        t.AddCustomerMessage("又坏了", Customer, Now, null, out var message).Should().Be(Ticket.CustomerMessageOutcome.FollowUpNeeded);
        message.Should().BeNull();
        t.Messages.Should().HaveCount(before);
        t.Version.Should().Be(version);
        t.Status.Should().Be(end);
    }

    [Fact]
    public void Follow_up_ticket_links_to_the_original()
    {
        var f = Ticket.Open(100002, new NewTicket("Follow-up: 耳机没有声音", TicketType.Inquiry, TicketChannel.Email,
            Description: "又坏了", FollowUpOfTicketId: 41), Customer, Now);
        f.FollowUpOfTicketId.Should().Be(41);
        f.Messages.Should().Contain(m => m.EventCode == "follow_up_of" && m.EventTo == "41");
    }

    [Fact]
    public void Explicit_status_change_is_checked_against_the_lifecycle()
    {
        var t = Open();
        var act = () => t.ChangeStatus(TicketStatus.Resolved, Agent, Now);
        act.Should().Throw<TicketRuleException>().Where(e => e.Code == "illegal_transition" && e.Message.Contains("assigned"));
        t.Status.Should().Be(TicketStatus.New);
        t.History.Should().NotContain(h => h.Field == "status");
    }

    [Fact]
    public void Status_assigned_needs_an_assignee()
    {
        var t = Resolved();
        t.Assign(null, 2, Agent, Now);
        var act = () => t.ChangeStatus(TicketStatus.Assigned, Agent, Now);
        act.Should().Throw<TicketRuleException>().Which.Code.Should().Be("assignee_required");
    }

    [Theory]
    [InlineData(TicketStatus.New)]
    [InlineData(TicketStatus.Merged)]
    public void New_and_merged_are_not_reached_by_a_plain_status_change(TicketStatus to)
    {
        var t = Assigned();
        var act = () => t.ChangeStatus(to, Agent, Now);
        act.Should().Throw<TicketRuleException>().Which.Code.Should().Be("illegal_transition");
    }

    [Fact]
    public void Every_change_bumps_the_version()
    {
        var t = Open();
        var v0 = t.Version;
        t.Assign(AgentId, 2, Agent, Now);
        var v1 = t.Version;
        t.AddInternalNote("n", Agent, Now, null);
        var v2 = t.Version;
        v1.Should().BeGreaterThan(v0);
        v2.Should().BeGreaterThan(v1);
    }

    [Fact]
    public void Archived_ticket_refuses_replies_and_assignment()
    {
        var t = Resolved();
        t.ChangeStatus(TicketStatus.Archived, Agent, Now);
        FluentActions.Invoking(() => t.AddAgentReply("x", Agent, AgentId, Now, null)).Should().Throw<TicketRuleException>().Which.Code.Should().Be("ticket_archived");
        FluentActions.Invoking(() => t.Assign(OtherAgentId, 2, Agent, Now)).Should().Throw<TicketRuleException>().Which.Code.Should().Be("ticket_archived");
    }

    [Fact]
    public void Empty_message_is_refused_and_nothing_is_numbered()
    {
        var t = Assigned();
        var last = t.LastSequence;
        FluentActions.Invoking(() => t.AddAgentReply(" ", Agent, AgentId, Now, null)).Should().Throw<TicketRuleException>().Which.Code.Should().Be("body_required");
        t.LastSequence.Should().Be(last);
    }

    [Fact]
    public void Merge_moves_the_timeline_into_the_target_and_closes_the_source_with_a_link()
    {
        var target = Ticket.Open(100010, new NewTicket("耳机问题", TicketType.Inquiry, TicketChannel.Email, Description: "第一封邮件"), Customer, Now);
        SetId(target, 10);
        var source = Open();
        SetId(source, 11);
        source.AddInternalNote("duplicate?", Agent, Now, null);
        var targetLast = target.LastSequence;

        source.MergeInto(target, Agent, Now);

        source.Status.Should().Be(TicketStatus.Merged);
        source.MergedIntoTicketId.Should().Be(10);
        target.Messages.Where(m => m.MergedFromTicketId == 11).Select(m => m.Body).Should().Equal("我的耳机坏了", "duplicate?");
        target.Messages.Where(m => m.MergedFromTicketId == 11).Select(m => m.Sequence).Should().OnlyContain(s => s > targetLast);
        target.Messages.Select(m => m.Sequence).Should().OnlyHaveUniqueItems();
        target.Messages.Should().Contain(m => m.EventCode == "merged_from" && m.EventFrom == "100001");
        source.Messages.Should().Contain(m => m.EventCode == "merged_into" && m.EventTo == "100010");
        source.Messages.Should().NotContain(m => m.Kind == MessageKind.Customer);
        FluentActions.Invoking(() => source.AddInternalNote("x", Agent, Now, null)).Should().Throw<TicketRuleException>();
        source.AddCustomerMessage("hello", Customer, Now, null, out _).Should().Be(Ticket.CustomerMessageOutcome.GoesToMergeTarget);
    }

    [Fact]
    public void Merge_into_itself_or_into_an_archived_ticket_is_refused()
    {
        var t = Open();
        FluentActions.Invoking(() => t.MergeInto(t, Agent, Now)).Should().Throw<TicketRuleException>().Which.Code.Should().Be("merge_into_self");
        var archived = Resolved();
        SetId(archived, 5);
        archived.ChangeStatus(TicketStatus.Archived, Agent, Now);
        FluentActions.Invoking(() => t.MergeInto(archived, Agent, Now)).Should().Throw<TicketRuleException>().Which.Code.Should().Be("merge_target_closed");
        t.Status.Should().Be(TicketStatus.New);
    }

    [Fact]
    public void Tags_are_trimmed_and_deduplicated()
    {
        var t = Open();
        t.Retag(["投诉", " 投诉 ", "VIP", "vip", ""], Agent, Now);
        t.Tags.Should().Equal("投诉", "VIP");
    }

    [Fact]
    public void Changes_record_events_for_the_listeners_until_cleared()
    {
        var t = Open();
        t.PendingEvents.OfType<TicketCreated>().Should().ContainSingle();
        t.PendingEvents.OfType<MessageAdded>().Should().ContainSingle(e => e.Message.Kind == MessageKind.Customer);
        t.ClearPendingEvents();

        t.Assign(AgentId, 2, Agent, Now);
        t.PendingEvents.OfType<TicketAssigned>().Should().ContainSingle(e => e.ToAssignee == AgentId && e.FromAssignee == null);
        t.PendingEvents.OfType<StatusChanged>().Should().ContainSingle(e => e.From == TicketStatus.New && e.To == TicketStatus.Assigned);
        t.ClearPendingEvents();

        var reply = t.AddAgentReply("您好", Agent, AgentId, Now, null);
        t.PendingEvents.Should().ContainSingle().Which.Should().Be(new MessageAdded(t, reply));
    }

    [Fact]
    public void A_refused_change_records_no_event()
    {
        var t = Open();
        t.ClearPendingEvents();
        FluentActions.Invoking(() => t.ChangeStatus(TicketStatus.Resolved, Agent, Now)).Should().Throw<TicketRuleException>();
        t.PendingEvents.Should().BeEmpty();
    }

    [Fact]
    public void A_message_may_be_only_a_file_and_carries_its_name_type_and_size()
    {
        var t = Assigned();
        var file = new Attachment { Id = Guid.NewGuid(), FileName = "照片.png", ContentType = "image/png", Size = 1234 };
        t.AddCustomerMessage("", Customer, Now, "f1", out var m, file);
        m!.AttachmentId.Should().Be(file.Id);
        m.AttachmentName.Should().Be("照片.png");
        m.AttachmentType.Should().Be("image/png");
        m.AttachmentSize.Should().Be(1234);
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, "image/png")]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "image/jpeg")]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a' }, "image/gif")]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P' }, "image/webp")]
    [InlineData(new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-', (byte)'1' }, "application/pdf")]
    [InlineData(new byte[] { (byte)'<', (byte)'s', (byte)'v', (byte)'g' }, null)]
    [InlineData(new byte[] { (byte)'M', (byte)'Z', 0x90, 0 }, null)]
    [InlineData(new byte[0], null)]
    public void Attachment_type_is_judged_by_content(byte[] head, string? expected) =>
        AttachmentRules.Sniff(head).Should().Be(expected);

    [Theory]
    [InlineData("../../etc/passwd.png", "image/png", "passwd.png")]
    [InlineData("C:\\Users\\me\\发票.pdf", "application/pdf", "发票.pdf")]
    [InlineData("a<b>c\"d.png", "image/png", "abcd.png")]
    [InlineData("", "image/jpeg", "file.jpg")]
    [InlineData("invoice\u202Egnp.exe", "application/octet-stream", "invoicegnp.exe")]
    [InlineData("\u2067\u0641\u0627\u062A\u0648\u0631\u0629\u2069.pdf", "application/pdf", "\u0641\u0627\u062A\u0648\u0631\u0629.pdf")]
    [InlineData("\u202E", "image/png", "file.png")]
    public void Attachment_names_lose_paths_and_unsafe_characters(string name, string type, string clean) =>
        AttachmentRules.CleanFileName(name, type).Should().Be(clean);

    [Fact]
    public void A_long_attachment_name_is_cut_before_its_extension()
    {
        var clean = AttachmentRules.CleanFileName(new string('长', 300) + ".png", "image/png");
        clean.Should().HaveLength(AttachmentRules.FileNameMax).And.EndWith("长.png");
        AttachmentRules.CleanFileName(new string('a', 250) + ".verylongextension-not-one", "application/pdf").Should().HaveLength(AttachmentRules.FileNameMax);
        AttachmentRules.CleanFileName(string.Concat(Enumerable.Repeat("😀", 150)) + ".png", "image/png").Should().EndWith("😀.png");
    }

    [Theory]
    [InlineData(TicketStatus.Resolved)]
    [InlineData(TicketStatus.WaitingOnCustomer)]
    [InlineData(TicketStatus.Archived)]
    public void A_quiet_customer_message_is_kept_but_moves_no_status(TicketStatus status)
    {
        var t = Assigned();
        if (status == TicketStatus.WaitingOnCustomer) t.ChangeStatus(status, Agent, Now);
        else
        {
            t.ChangeStatus(TicketStatus.Resolved, Agent, Now);
            if (status == TicketStatus.Archived) t.ChangeStatus(TicketStatus.Archived, Agent, Now);
        }
        var message = t.AddQuietCustomerMessage("Out of office until Monday", Actor.Customer(7, "陈明"), Now, "mail:1");
        message.Should().NotBeNull();
        message!.Kind.Should().Be(MessageKind.Customer);
        t.Status.Should().Be(status);
        t.Messages.Last().Body.Should().Be("Out of office until Monday");
    }

    private static void SetId(Ticket t, long id) =>
        typeof(Ticket).GetProperty(nameof(Ticket.Id))!.SetValue(t, id);
}
