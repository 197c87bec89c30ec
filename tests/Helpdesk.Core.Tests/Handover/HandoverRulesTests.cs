using Helpdesk.Core.Handover;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Tests.Handover;

public sealed class HandoverRulesTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTime Now = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc); // 17:00 in Shanghai
    private static readonly TimeSpan Shift = TimeSpan.FromHours(8);

    [Fact]
    public void Shift_starts_at_the_previous_handover_but_no_earlier_than_one_shift_back()
    {
        HandoverRules.ShiftStart(null, Now, Shift).Should().Be(Now.AddHours(-8), "no earlier handover");
        HandoverRules.ShiftStart(Now.AddHours(-3), Now, Shift).Should().Be(Now.AddHours(-3), "a second handover within the shift covers only what came after the first");
        HandoverRules.ShiftStart(Now.AddDays(-2), Now, Shift).Should().Be(Now.AddHours(-8), "a handover after days off covers this shift only");
    }

    [Fact]
    public void Draft_groups_chats_then_tickets_by_status_then_follow_ups_with_due_times_in_Shanghai_and_escalation()
    {
        HandoverItem[] items =
        [
            new(HandoverItemKind.Ticket, 1002, "Waiting ticket", TicketStatus.WaitingOnCustomer, TicketPriority.Normal, null, 0),
            new(HandoverItemKind.FollowUp, 1003, "Unhappy customer", TicketStatus.FeedbackReceived, TicketPriority.Normal, null, 0, "2★ low_score"),
            new(HandoverItemKind.Ticket, 1001, "Refund not received", TicketStatus.Assigned, TicketPriority.Urgent, new DateTime(2026, 11, 23, 10, 30, 0, DateTimeKind.Utc), 2),
            new(HandoverItemKind.Chat, 1004, "Chat with visitor", TicketStatus.Assigned, TicketPriority.Normal, null, 0),
        ];
        var en = HandoverRules.Draft(items, Now.AddHours(-8), Now, Shanghai, "en");
        en.Should().Be(
            "Shift handover 2026-11-23 09:00 – 2026-11-23 17:00\n" +
            "\nChats in progress (1)\n" +
            "- #1004 Chat with visitor\n" +
            "\nAssigned (to handle) (1)\n" +
            "- #1001 Refund not received [Urgent], SLA due 2026-11-23 18:30, escalated L2\n" +
            "\nWaiting on customer (1)\n" +
            "- #1002 Waiting ticket\n" +
            "\nFollow-ups to do (1)\n" +
            "- #1003 Unhappy customer: 2★ low_score\n" +
            "\nNotes: \n");
        var zh = HandoverRules.Draft(items, Now.AddHours(-8), Now, Shanghai, "zh-CN");
        zh.Should().StartWith("交班 2026-11-23 09:00 – 2026-11-23 17:00\n").And.Contain("进行中的会话 (1)")
            .And.Contain("- #1001 Refund not received [Urgent]，SLA 截止 2026-11-23 18:30，已升级 L2\n").And.Contain("待回访 (1)");
    }

    [Fact]
    public void Draft_without_open_items_says_so()
    {
        HandoverRules.Draft([], Now.AddHours(-8), Now, Shanghai, "en").Should().Be("Shift handover 2026-11-23 09:00 – 2026-11-23 17:00\nNothing left open.\n");
    }
}
