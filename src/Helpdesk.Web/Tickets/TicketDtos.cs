using Helpdesk.Core.Tickets;

namespace Helpdesk.Web.Tickets;

public sealed record TicketSummary(
    long Id, long Number, string Subject, TicketType Type, AfterSalesCategory Category, TicketPriority Priority,
    TicketChannel Channel, TicketStatus Status, int? TeamId, int? QueueId, Guid? AssigneeId, string? AssigneeName,
    long? CustomerId, string? CustomerName, IReadOnlyList<string> Tags, DateTime CreatedAt, DateTime UpdatedAt, int Version,
    TicketSlaSummary? Sla = null);

/// <summary>
/// What the lists show of the SLA (issue 6): the nearest deadline of a running target, the earliest
/// warning, and the escalation. The console works out "due soon" and "breached" against the server time.
/// </summary>
public sealed record TicketSlaSummary(DateTime? NextDueAt, DateTime? WarningAt, int EscalationLevel, bool IsEscalated);

public sealed record TicketPage(IReadOnlyList<TicketSummary> Items, string? NextCursor, DateTime? ServerTime = null);

public sealed record TimelineEntry(
    long Id, int Sequence, MessageKind Kind, string Body, ActorKind AuthorKind, string? AuthorId, string AuthorName,
    DateTime CreatedAt, string? ClientMessageId, string? EventCode, string? EventFrom, string? EventTo, long? MergedFromTicketId,
    Chat.ChatAttachment? Attachment, Email.EmailView? Email = null, string? EventReason = null)
{
    public static TimelineEntry From(TicketMessage m) => new(m.Id, m.Sequence, m.Kind, m.Body, m.AuthorKind, m.AuthorId,
        m.AuthorName, m.CreatedAt, m.ClientMessageId, m.EventCode, m.EventFrom, m.EventTo, m.MergedFromTicketId,
        Chat.ChatMessage.From(0, m).Attachment, EventReason: m.EventReason);
}

public sealed record HistoryEntry(DateTime At, ActorKind ActorKind, string? ActorId, string ActorName, string Field, string? From, string? To, string? Reason = null);

public sealed record TicketDetail(
    TicketSummary Ticket, long? MergedIntoNumber, long? FollowUpOfNumber, IReadOnlyList<long> FollowUpNumbers,
    IReadOnlyList<TicketStatus> AllowedStatuses, IReadOnlyList<TimelineEntry> Timeline, IReadOnlyList<HistoryEntry> History);

/// <summary>What a write returns: the message stored (or the one a retry matched) and the ticket's new version.</summary>
public sealed record MessageResult(long TicketNumber, int TicketVersion, TicketStatus Status, TimelineEntry Message, bool Duplicate);
