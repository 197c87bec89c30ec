using Helpdesk.Core.Email;
using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Email;

public sealed record EmailFileView(Guid Id, string FileName, string ContentType, long Size, string Url, bool Inline);

/// <summary>The mail behind a timeline entry, as the console shows it (HTML already sanitised on the way in).</summary>
public sealed record EmailView(
    EmailDirection Direction, string MessageId, string FromAddress, string? FromName, string To, string Subject,
    string? Html, string? QuotedHtml, string Text, string? QuotedText, bool IsAutomatic, string? AutomaticReason,
    DeliveryStatus DeliveryStatus, int DeliveryAttempts, string? DeliveryError, DateTime? DeliveredAt,
    IReadOnlyList<EmailFileView> Files);

public static class EmailViews
{
    /// <summary>The mails of these timeline entries, by entry id.</summary>
    public static async Task<Dictionary<long, EmailView>> ForMessagesAsync(HelpdeskDbContext db, IReadOnlyCollection<long> messageIds, CancellationToken ct)
    {
        if (messageIds.Count == 0) return [];
        var rows = await db.EmailMessages.AsNoTracking().Where(e => e.TicketMessageId != null && messageIds.Contains(e.TicketMessageId.Value))
            .Include(e => e.Attachments).ToListAsync(ct);
        if (rows.Count == 0) return [];
        var fileIds = rows.SelectMany(r => r.Attachments).Select(a => a.AttachmentId).ToList();
        var files = await db.Attachments.AsNoTracking().Where(a => fileIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        return rows.ToDictionary(r => r.TicketMessageId!.Value, r => new EmailView(
            r.Direction, r.MessageId, r.FromAddress, r.FromName, r.ToAddresses, r.Subject, r.Html, r.QuotedHtml, r.Text, r.QuotedText,
            r.IsAutomatic, r.AutomaticReason, r.DeliveryStatus, r.DeliveryAttempts, r.DeliveryError, r.DeliveredAt,
            r.Attachments.Where(a => files.ContainsKey(a.AttachmentId)).Select(a => files[a.AttachmentId]).Select(f =>
                new EmailFileView(f.Id, f.FileName, f.ContentType, f.Size, MailHtml.AttachmentUrlPrefix + f.Id,
                    r.Attachments.First(x => x.AttachmentId == f.Id).IsInline)).ToList()));
    }
}
