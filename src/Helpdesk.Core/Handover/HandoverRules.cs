using System.Globalization;
using System.Text;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Handover;

/// <summary>The rules of the shift handover: the shift it covers and the generated draft text.</summary>
public static class HandoverRules
{
    public const int TextMax = 4000;
    public static readonly TimeSpan DefaultShift = TimeSpan.FromHours(8);

    /// <summary>
    /// A shift starts where the author's previous handover ended, but reaches back no further than
    /// one shift length (a handover after a day off covers this shift, not the days between).
    /// </summary>
    public static DateTime ShiftStart(DateTime? previousEnd, DateTime now, TimeSpan shiftLength)
    {
        var earliest = now - shiftLength;
        return previousEnd is { } p && p > earliest && p <= now ? p : earliest;
    }

    /// <summary>The order of the groups in the draft: chats first (someone is waiting right now), then tickets by status, then follow-ups.</summary>
    public static IReadOnlyList<HandoverItem> Order(IEnumerable<HandoverItem> items) =>
        items.OrderBy(i => i.Kind switch { HandoverItemKind.Chat => 0, HandoverItemKind.Ticket => 1, _ => 2 })
            .ThenBy(i => i.Status).ThenBy(i => i.DueAt ?? DateTime.MaxValue).ThenBy(i => i.TicketNumber).ToList();

    /// <summary>
    /// The draft the author edits: one heading per group (chats in progress, tickets by status,
    /// follow-ups), one line per item with its SLA due time (in the team's zone) and escalation.
    /// Plain text, in the author's language (zh-CN or en).
    /// </summary>
    public static string Draft(IEnumerable<HandoverItem> items, DateTime shiftStart, DateTime shiftEnd, TimeZoneInfo zone, string language)
    {
        var zh = !language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        string Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append(zh ? "交班 " : "Shift handover ").Append(Local(shiftStart)).Append(" – ").Append(Local(shiftEnd)).Append('\n');
        var ordered = Order(items);
        if (ordered.Count == 0)
        {
            text.Append(zh ? "没有未完成的事项。" : "Nothing left open.").Append('\n');
            return text.ToString();
        }
        foreach (var group in ordered.GroupBy(i => (i.Kind, Status: i.Kind == HandoverItemKind.Ticket ? i.Status : (TicketStatus?)null)))
        {
            text.Append('\n').Append(Heading(group.Key.Kind, group.Key.Status, zh)).Append(" (").Append(group.Count()).Append(")\n");
            foreach (var item in group)
            {
                text.Append("- #").Append(item.TicketNumber).Append(' ').Append(item.Subject);
                if (item.Priority >= TicketPriority.High) text.Append(" [").Append(item.Priority).Append(']');
                if (item.DueAt is { } due) text.Append(zh ? "，SLA 截止 " : ", SLA due ").Append(Local(due));
                if (item.EscalationLevel > 0) text.Append(zh ? "，已升级 L" : ", escalated L").Append(item.EscalationLevel);
                if (!string.IsNullOrWhiteSpace(item.Note)) text.Append(zh ? "：" : ": ").Append(item.Note);
                text.Append('\n');
            }
        }
        text.Append('\n').Append(zh ? "备注：" : "Notes: ").Append('\n');
        return text.ToString();
    }

    private static string Heading(HandoverItemKind kind, TicketStatus? status, bool zh) => (kind, status) switch
    {
        (HandoverItemKind.Chat, _) => zh ? "进行中的会话" : "Chats in progress",
        (HandoverItemKind.FollowUp, _) => zh ? "待回访" : "Follow-ups to do",
        (_, TicketStatus.New) => zh ? "新创建" : "New",
        (_, TicketStatus.Assigned) => zh ? "已分配（待处理）" : "Assigned (to handle)",
        (_, TicketStatus.WaitingOnCustomer) => zh ? "等待客户" : "Waiting on customer",
        _ => status?.ToString() ?? "",
    };
}
