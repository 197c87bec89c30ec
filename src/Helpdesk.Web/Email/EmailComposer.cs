using System.Net;
using Helpdesk.Core.Email;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Attachments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Helpdesk.Web.Email;

/// <summary>
/// Builds the MIME message of an outbound row: our From, the customer as To, "Re: subject [#n]",
/// the row's fixed Message-ID, In-Reply-To the customer's latest mail and References the chain,
/// HTML with a plain-text alternative, the reply's file.
/// </summary>
public sealed class EmailComposer(HelpdeskDbContext db, IAttachmentStore store, IEmailAcknowledgementText acknowledgementText,
    IOptions<EmailOptions> options, Microsoft.Extensions.Options.IOptions<Data.DemoOptions> company)
{
    public async Task<MimeMessage> ComposeAsync(EmailMessage row, CancellationToken ct)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.FromAddress))
            throw new UndeliverableMailException("Email:FromAddress is not set.");
        if (!MailboxAddress.TryParse(row.ToAddresses, out var to) || string.IsNullOrWhiteSpace(to.Address) || !to.Address.Contains('@'))
            throw new UndeliverableMailException("The customer has no email address to write to.");

        var ticket = await db.Tickets.AsNoTracking().Where(t => t.Id == row.TicketId).Select(t => new { t.Number, t.Subject, t.CustomerId, t.MergedIntoTicketId, t.TeamId }).SingleAsync(ct);
        var customerName = await db.Customers.Where(c => c.Id == ticket.CustomerId).Select(c => c.Name).FirstOrDefaultAsync(ct);
        var thread = await ThreadAsync(row, ct);

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(o.FromName, o.FromAddress));
        message.To.Add(new MailboxAddress(customerName ?? "", to.Address));
        message.MessageId = row.MessageId;
        message.Date = new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc));
        if (thread.Parent is { } parent)
            message.InReplyTo = parent;
        foreach (var id in thread.References)
            message.References.Add(id);

        var body = new BodyBuilder();
        if (row.OutboundKind == OutboundKind.Acknowledgement)
        {
            var text = await acknowledgementText.ComposeAsync(row.Language ?? "en",
                new AcknowledgementContext(ticket.Number, TicketToken.Bare(row.Subject) is { Length: > 0 } s ? s : ticket.Subject,
                    customerName ?? to.Address, company.Value.CompanyName, ticket.CustomerId, ticket.TeamId), ct);
            message.Subject = text.Subject.Contains(TicketToken.Format(ticket.Number)) ? text.Subject : $"{text.Subject} {TicketToken.Format(ticket.Number)}";
            body.TextBody = text.Body;
            body.HtmlBody = ToHtml(text.Body);
            // RFC 3834: an automatic answer says so, and asks other robots not to answer it.
            message.Headers.Add("Auto-Submitted", "auto-replied");
            message.Headers.Add("X-Auto-Response-Suppress", "All");
        }
        else if (row.OutboundKind is OutboundKind.SurveyInvitation or OutboundKind.SurveyReminder)
        {
            // The survey feature wrote subject and text (wording from the script library, the link inside).
            message.Subject = row.Subject;
            body.TextBody = row.Text;
            body.HtmlBody = System.Text.RegularExpressions.Regex.Replace(ToHtml(row.Text ?? ""), "https?://[^\\s<\"]+", m => $"<a href=\"{m.Value}\">{m.Value}</a>");
            message.Headers.Add("Auto-Submitted", "auto-generated");
            message.Headers.Add("X-Auto-Response-Suppress", "All");
        }
        else
        {
            message.Subject = TicketToken.ReplySubject(ticket.Subject, ticket.Number);
            var reply = await db.TicketMessages.AsNoTracking().SingleAsync(m => m.Id == row.TicketMessageId, ct);
            body.TextBody = reply.Body;
            body.HtmlBody = ToHtml(reply.Body);
            if (reply.AttachmentId is { } attachmentId)
            {
                var file = await db.Attachments.AsNoTracking().SingleAsync(a => a.Id == attachmentId, ct);
                await using var stream = await store.OpenAsync(file.StorageKey, ct)
                    ?? throw new UndeliverableMailException($"The file {file.FileName} of the reply is missing from storage.");
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, ct);
                body.Attachments.Add(file.FileName, copy.ToArray(), ContentType.Parse(file.ContentType));
            }
        }
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>The customer's latest mail on the ticket is the parent; References carry every mail of the ticket before this one.</summary>
    private async Task<(string? Parent, IReadOnlyList<string> References)> ThreadAsync(EmailMessage row, CancellationToken ct)
    {
        var earlier = await db.EmailMessages.AsNoTracking()
            .Where(e => e.Id < row.Id && (e.TicketId == row.TicketId || db.TicketMessages.Any(m => m.Id == e.TicketMessageId && m.TicketId == row.TicketId)))
            .OrderBy(e => e.Id).Select(e => new { e.MessageId, e.Direction, e.References, e.IsAutomatic }).ToListAsync(ct);
        var parent = earlier.LastOrDefault(e => e.Direction == EmailDirection.Inbound && !e.IsAutomatic) ?? earlier.LastOrDefault(e => e.Direction == EmailDirection.Inbound);
        if (parent is null)
            return (null, MessageIds.Chain(earlier.Select(e => e.MessageId)));
        var chain = (parent.References ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Concat(earlier.Select(e => e.MessageId)).Where(id => id != parent.MessageId).Append(parent.MessageId);
        return (parent.MessageId, MessageIds.Chain(chain));
    }

    private static string ToHtml(string text)
    {
        var paragraphs = text.Replace("\r\n", "\n").Split("\n\n").Select(p => "<p>" + WebUtility.HtmlEncode(p).Replace("\n", "<br>") + "</p>");
        return "<!DOCTYPE html><html><body style=\"font-family:-apple-system,'PingFang SC','Microsoft YaHei',Arial,sans-serif;font-size:14px;line-height:1.6\">"
            + string.Concat(paragraphs) + "</body></html>";
    }
}

/// <summary>Hands a message to the configured SMTP server with MailKit; one connection per mail.</summary>
public sealed class SmtpMailSender(IOptions<EmailOptions> options)
{
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host))
            throw new UndeliverableMailException("No SMTP server is configured (Email:Smtp:Host).");
        using var client = new MailKit.Net.Smtp.SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync(smtp.Host, smtp.Port, MailConnections.Socket(smtp.Security), ct);
        if (!string.IsNullOrEmpty(smtp.User))
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}

public static class MailConnections
{
    public static MailKit.Security.SecureSocketOptions Socket(MailSecurity security) => security switch
    {
        MailSecurity.None => MailKit.Security.SecureSocketOptions.None,
        MailSecurity.StartTls => MailKit.Security.SecureSocketOptions.StartTls,
        _ => MailKit.Security.SecureSocketOptions.SslOnConnect,
    };
}
