using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Attachments;

/// <summary>
/// Receives a file for a conversation: checks size and type by content, stores the bytes, then
/// adds the message that carries it (so the other side sees it like any message).
/// </summary>
public sealed class AttachmentService(HelpdeskDbContext db, IAttachmentStore store, TimeProvider clock)
{
    public async Task<(Ticket Ticket, TicketMessage Message, bool Duplicate)> AddAsync(long ticketNumber, IFormFile file, string? text,
        Actor author, Guid? agentId, string? clientMessageId, CancellationToken ct)
    {
        if (file.Length == 0)
            throw new AttachmentRejectedException("empty", "The file is empty.");
        if (file.Length > AttachmentRules.MaxBytes)
            throw new AttachmentRejectedException("too_large", $"Files up to {AttachmentRules.MaxBytes / 1024 / 1024} MB are accepted.");
        var head = new byte[16];
        int read;
        await using (var s = file.OpenReadStream())
            read = await s.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var contentType = AttachmentRules.Sniff(head.AsSpan(0, read))
            ?? throw new AttachmentRejectedException("unsupported_type", "Only images (PNG, JPEG, GIF, WebP) and PDF files are accepted.");

        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Number == ticketNumber, ct)
            ?? throw new NotFoundException($"Ticket {ticketNumber} does not exist.");
        if (clientMessageId is not null && await db.TicketMessages.SingleOrDefaultAsync(m => m.TicketId == ticket.Id && m.ClientMessageId == clientMessageId, ct) is { } earlier)
            return (ticket, earlier, true);

        // Refuse before storing anything: a file for a conversation that is over is never kept.
        if (author.Kind == ActorKind.Customer && ticket.Channel == TicketChannel.Chat && ticket.ChatEndedAt is not null)
            throw new TicketRuleException("chat_ended", "This conversation has ended; start a new one.");
        var now = clock.GetUtcNow().UtcDateTime;
        var attachment = new Attachment
        {
            Id = Guid.NewGuid(), TicketId = ticket.Id, FileName = AttachmentRules.CleanFileName(file.FileName, contentType),
            ContentType = contentType, Size = file.Length, UploadedByKind = author.Kind, UploadedById = author.Id, CreatedAt = now,
        };
        attachment.StorageKey = $"{now:yyyy}/{now:MM}/{attachment.Id:N}";
        // Bytes first: a message must never point at a file that is not there.
        await using (var s = file.OpenReadStream())
            await store.SaveAsync(attachment.StorageKey, s, ct);
        db.Attachments.Add(attachment);

        var body = string.IsNullOrWhiteSpace(text) ? "" : text.Trim();
        TicketMessage message;
        if (author.Kind == ActorKind.Customer)
        {
            ticket.AddCustomerMessage(body, author, now, clientMessageId, out var added, attachment);
            message = added ?? throw new TicketRuleException("ticket_closed", "This conversation is closed.");
        }
        else
        {
            message = ticket.AddAgentReply(body, author, agentId!.Value, now, clientMessageId, attachment);
        }
        await db.SaveChangesAsync(ct);
        return (ticket, message, false);
    }

    /// <summary>
    /// Stores a file that arrived with a mail (any type: a customer may send a spreadsheet). It is
    /// served as the type its bytes prove (pictures, PDF) or as a download, never as what the mail
    /// claimed. The row is added to the context, not saved: the caller's transaction commits it.
    /// </summary>
    public async Task<Attachment> StoreMailFileAsync(Guid id, long ticketId, string fileName, byte[] content, Actor author, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var contentType = AttachmentRules.Sniff(content.AsSpan(0, Math.Min(16, content.Length))) ?? "application/octet-stream";
        var attachment = new Attachment
        {
            Id = id, TicketId = ticketId, FileName = AttachmentRules.CleanFileName(fileName, contentType),
            ContentType = contentType, Size = content.Length, UploadedByKind = author.Kind, UploadedById = author.Id, CreatedAt = now,
            StorageKey = $"{now:yyyy}/{now:MM}/{id:N}",
        };
        using (var s = new MemoryStream(content, writable: false))
            await store.SaveAsync(attachment.StorageKey, s, ct);
        db.Attachments.Add(attachment);
        return attachment;
    }

    public async Task<(Attachment Attachment, long TicketId)?> FindAsync(Guid id, CancellationToken ct)
    {
        var attachment = await db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (attachment is null) return null;
        // The message may have moved with a merge: access follows the ticket that shows it now.
        var ticketId = await db.TicketMessages.Where(m => m.AttachmentId == id).Select(m => (long?)m.TicketId).FirstOrDefaultAsync(ct) ?? attachment.TicketId;
        return (attachment, ticketId);
    }

    public Task<Stream?> OpenAsync(Attachment attachment, CancellationToken ct) => store.OpenAsync(attachment.StorageKey, ct);
}

public sealed class AttachmentRejectedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
