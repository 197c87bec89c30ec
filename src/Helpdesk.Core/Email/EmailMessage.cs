namespace Helpdesk.Core.Email;

public enum EmailDirection { Inbound = 0, Outbound = 1 }

/// <summary>What an outbound mail is: an agent's reply or the automatic acknowledgement of a new ticket.</summary>
public enum OutboundKind { None = 0, Reply = 1, Acknowledgement = 2, SurveyInvitation = 3, SurveyReminder = 4 }

/// <summary>Where an outbound mail stands. Inbound mail is <see cref="NotApplicable"/>.</summary>
public enum DeliveryStatus { NotApplicable = 0, Pending = 1, Retrying = 2, Sent = 3, Failed = 4 }

/// <summary>
/// The mail behind one timeline entry (or, for an acknowledgement, beside the timeline): its RFC
/// Message-ID and threading headers, the sanitised HTML and plain text (new part and quoted
/// history apart), whether it was automatic, and for outbound mail its delivery.
/// The Message-ID of inbound mail is unique: the same mail fetched twice is stored once.
/// </summary>
public sealed class EmailMessage
{
    public long Id { get; set; }
    /// <summary>The ticket it was filed on (a merge moves the timeline entry, which then wins).</summary>
    public long TicketId { get; set; }
    public long? TicketMessageId { get; set; }
    public EmailDirection Direction { get; set; }
    public OutboundKind OutboundKind { get; set; }
    /// <summary>Without angle brackets; derived from the raw bytes when the mail had none.</summary>
    public string MessageId { get; set; } = "";
    public string? InReplyTo { get; set; }
    /// <summary>Space-separated Message-IDs, oldest first.</summary>
    public string? References { get; set; }
    public string FromAddress { get; set; } = "";
    public string? FromName { get; set; }
    public string ToAddresses { get; set; } = "";
    public string Subject { get; set; } = "";
    /// <summary>The new part as sanitised HTML (null for a text-only mail).</summary>
    public string? Html { get; set; }
    public string? QuotedHtml { get; set; }
    /// <summary>The new part as plain text (for search and triage; HTML-only mail is converted).</summary>
    public string Text { get; set; } = "";
    public string? QuotedText { get; set; }
    /// <summary>An auto-reply, bounce, list mail or our own: recorded, but it acknowledges and reopens nothing.</summary>
    public bool IsAutomatic { get; set; }
    /// <summary>Why it was automatic, or "rate_limited" when the sender's storm was held.</summary>
    public string? AutomaticReason { get; set; }
    public string? Mailbox { get; set; }
    public long? Uid { get; set; }
    public string? Language { get; set; }
    public DeliveryStatus DeliveryStatus { get; set; }
    public int DeliveryAttempts { get; set; }
    public string? DeliveryError { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<EmailAttachment> Attachments { get; set; } = [];
}

/// <summary>A file of a mail, stored like any attachment; inline ones are pictures the HTML shows (cid:).</summary>
public sealed class EmailAttachment
{
    public long Id { get; set; }
    public long EmailMessageId { get; set; }
    public Guid AttachmentId { get; set; }
    public string? ContentId { get; set; }
    public bool IsInline { get; set; }
}

/// <summary>A mail that could not be taken in: moved to the quarantine folder, listed for admins. Never dropped.</summary>
public sealed class QuarantinedMail
{
    public long Id { get; set; }
    public string Mailbox { get; set; } = "";
    public long Uid { get; set; }
    public string? MessageId { get; set; }
    public string? Subject { get; set; }
    public string? FromAddress { get; set; }
    public string Reason { get; set; } = "";
    public string Folder { get; set; } = "";
    public DateTime QuarantinedAt { get; set; }
}

public static class EmailLimits
{
    public const int MessageIdMax = 400;
    public const int AddressMax = 320;
    public const int SubjectMax = 998;
    public const int ReasonMax = 2000;
}
