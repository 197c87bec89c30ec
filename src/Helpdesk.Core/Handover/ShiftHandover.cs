using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Handover;

/// <summary>A submitted shift handover (交班日记): what the author left open, as generated at submission, and what they wrote.</summary>
public sealed class ShiftHandover
{
    public long Id { get; set; }
    public Guid AuthorId { get; set; }
    public string AuthorName { get; set; } = "";
    public int TeamId { get; set; }
    public DateTime ShiftStart { get; set; }
    public DateTime ShiftEnd { get; set; }
    /// <summary>The open items at submission (JSON of <see cref="HandoverItem"/>), so the list does not change when the tickets move on.</summary>
    public string ItemsJson { get; set; } = "[]";
    public string Text { get; set; } = "";
    public DateTime SubmittedAt { get; set; }
}

/// <summary>Someone of the next shift (or a supervisor) read a handover.</summary>
public sealed class HandoverRead
{
    public long Id { get; set; }
    public long HandoverId { get; set; }
    public Guid StaffId { get; set; }
    public string StaffName { get; set; } = "";
    public DateTime ReadAt { get; set; }
}

public enum HandoverItemKind
{
    /// <summary>A ticket the author holds that is not closed.</summary>
    Ticket = 0,
    /// <summary>A chat conversation still going on.</summary>
    Chat = 1,
    /// <summary>A survey follow-up (回访) of the author's not yet done.</summary>
    FollowUp = 2,
}

/// <summary>One open item of a handover.</summary>
/// <param name="DueAt">The earliest running SLA deadline (UTC), if any.</param>
/// <param name="EscalationLevel">0 when not escalated.</param>
public sealed record HandoverItem(HandoverItemKind Kind, long TicketNumber, string Subject, TicketStatus Status, TicketPriority Priority,
    DateTime? DueAt, int EscalationLevel, string? Note = null);
