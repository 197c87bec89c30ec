using System.Net;
using Hangfire;
using Helpdesk.Data;
using Helpdesk.Web.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Helpdesk.Web.Escalation;

/// <summary>
/// Tells a supervisor or admin by mail that a ticket escalated (a Hangfire job, so a slow or absent
/// SMTP server never holds up the escalation; Hangfire retries a failed send). The email feature's
/// outbox is for mail on a ticket's thread to its customer; a staff notice is not part of that
/// thread, so it goes straight to the same SMTP server (Email:Smtp) with MailKit.
/// </summary>
[AutomaticRetry(Attempts = 5)]
public sealed class StaffNotificationMailJob(HelpdeskDbContext db, SmtpMailSender smtp, IOptions<EmailOptions> options,
    ILogger<StaffNotificationMailJob> log)
{
    public async Task RunAsync(long ticketId, int level, string reason, string? detail, string to, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().Where(t => t.Id == ticketId).Select(t => new { t.Number, t.Subject }).SingleOrDefaultAsync(ct);
        if (ticket is null) return;
        var o = options.Value;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(o.FromName ?? "Helpdesk", o.FromAddress ?? "helpdesk@helpdesk.local"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = $"[升级 Escalation L{level}] #{ticket.Number} {ticket.Subject}";
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var text = $"工单 #{ticket.Number}「{ticket.Subject}」已升级到第 {level} 级。原因：{reason}{(detail is null ? "" : "（" + detail + "）")}\n"
            + $"Ticket #{ticket.Number} \"{ticket.Subject}\" escalated to level {level}. Reason: {reason}{(detail is null ? "" : " (" + detail + ")")}\n\n"
            + $"/agent/#view=open&ticket={ticket.Number}";
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = "<p>" + WebUtility.HtmlEncode(text).Replace("\n", "<br>") + "</p>" }.ToMessageBody();
        try
        {
            await smtp.SendAsync(message, ct);
        }
        catch (UndeliverableMailException e)
        {
            // No SMTP server configured: nothing to retry; the live notice and the timeline still tell.
            log.LogWarning("Escalation mail for ticket {Number} to {To} not sent: {Reason}", ticket.Number, to, e.Message);
        }
    }
}
