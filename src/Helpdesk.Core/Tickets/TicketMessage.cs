namespace Helpdesk.Core.Tickets;

/// <summary>One entry of a ticket's timeline, numbered by the ticket's own sequence.</summary>
public sealed class TicketMessage
{
    private TicketMessage() { }

    internal TicketMessage(int sequence, MessageKind kind, string body, Actor author, DateTime createdAt,
        string? clientMessageId, string? eventCode = null, string? eventFrom = null, string? eventTo = null)
    {
        Sequence = sequence;
        Kind = kind;
        Body = body;
        AuthorKind = author.Kind;
        AuthorId = author.Id;
        AuthorName = author.Name;
        CreatedAt = createdAt;
        ClientMessageId = clientMessageId;
        EventCode = eventCode;
        EventFrom = eventFrom;
        EventTo = eventTo;
    }

    public long Id { get; private set; }
    public long TicketId { get; internal set; }
    public int Sequence { get; internal set; }
    public MessageKind Kind { get; private set; }
    public string Body { get; private set; } = "";
    public ActorKind AuthorKind { get; private set; }
    public string? AuthorId { get; private set; }
    public string AuthorName { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }

    /// <summary>The sender's own id for the message; a retry with the same id is not stored twice.</summary>
    public string? ClientMessageId { get; private set; }

    /// <summary>For system events: a stable code (status_changed, assigned, merged_into...) so that
    /// each console can word it in its own language; <see cref="Body"/> is the English fallback.</summary>
    public string? EventCode { get; private set; }
    public string? EventFrom { get; private set; }
    public string? EventTo { get; private set; }
    /// <summary>For escalation events: the reason code ("sla_breach:first_response", "supervisor_cleared").</summary>
    public string? EventReason { get; internal set; }

    /// <summary>A file sent with the message (name, type and size copied here so timelines need no join).</summary>
    public Guid? AttachmentId { get; internal set; }
    public string? AttachmentName { get; internal set; }
    public string? AttachmentType { get; internal set; }
    public long? AttachmentSize { get; internal set; }

    /// <summary>Set when the message was moved here from a merged duplicate.</summary>
    public long? MergedFromTicketId { get; internal set; }
}
