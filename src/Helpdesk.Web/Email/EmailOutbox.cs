using Hangfire;
using Helpdesk.Core.Email;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Email;

/// <summary>
/// Mail waiting to go out: a row per outbound mail (its Message-ID fixed before the first try, its
/// delivery status for the console), and a Hangfire job that sends it.
/// </summary>
public sealed class EmailOutbox(HelpdeskDbContext db, IBackgroundJobClient jobs, IOptions<EmailOptions> options, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Adds (not saves) the acknowledgement of a new ticket, to the address the mail came from.</summary>
    public EmailMessage PrepareAcknowledgement(Ticket ticket, EmailMessage inbound)
    {
        var row = Outbound(ticket.Id, null, OutboundKind.Acknowledgement, inbound.FromAddress, inbound.Subject, inbound.Language);
        db.EmailMessages.Add(row);
        return row;
    }

    /// <summary>Adds (not saves) the mail of an agent's reply.</summary>
    public EmailMessage PrepareReply(long ticketId, TicketMessage reply, string to, string subject, string? language)
    {
        var row = Outbound(ticketId, reply.Id, OutboundKind.Reply, to, subject, language);
        row.Text = reply.Body;
        db.EmailMessages.Add(row);
        return row;
    }

    /// <summary>Adds (not saves) a survey invitation or reminder: its text is written here, the link inside.</summary>
    public EmailMessage PrepareSurvey(long ticketId, OutboundKind kind, string to, string subject, string text, string? language)
    {
        var row = Outbound(ticketId, null, kind, to, subject, language);
        row.Text = text;
        db.EmailMessages.Add(row);
        return row;
    }

    public void Enqueue(long emailMessageId) =>
        jobs.Enqueue<EmailSendJob>(j => j.RunAsync(emailMessageId, null, CancellationToken.None));

    private EmailMessage Outbound(long ticketId, long? ticketMessageId, OutboundKind kind, string to, string subject, string? language)
    {
        var from = options.Value.FromAddress ?? "support@helpdesk.local";
        return new EmailMessage
        {
            TicketId = ticketId,
            TicketMessageId = ticketMessageId,
            Direction = EmailDirection.Outbound,
            OutboundKind = kind,
            MessageId = MessageIds.New(from.Contains('@') ? from[(from.IndexOf('@') + 1)..] : "helpdesk.local"),
            FromAddress = from.ToLowerInvariant(),
            FromName = options.Value.FromName,
            ToAddresses = to,
            Subject = subject.Length <= EmailLimits.SubjectMax ? subject : subject[..EmailLimits.SubjectMax],
            Language = language,
            DeliveryStatus = DeliveryStatus.Pending,
            CreatedAt = Now,
        };
    }
}

/// <summary>
/// An agent's public reply on an email ticket becomes a mail. Runs after the reply is committed;
/// <see cref="EmailOutboxReconciler"/> catches a reply whose listener never ran (a crash in between).
/// </summary>
public sealed class EmailReplyListener(IServiceScopeFactory scopes) : ITicketEventListener
{
    public async Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        if (e is not MessageAdded { Message.Kind: MessageKind.Agent } added || e.Ticket.Channel != TicketChannel.Email)
            return;
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EmailReplies>().QueueAsync(added.Message.Id, ct);
    }
}

/// <summary>Turns a committed agent reply into an outbound mail row and its send job, once.</summary>
public sealed class EmailReplies(HelpdeskDbContext db, EmailOutbox outbox)
{
    public async Task<long?> QueueAsync(long ticketMessageId, CancellationToken ct)
    {
        if (await db.EmailMessages.AnyAsync(m => m.TicketMessageId == ticketMessageId, ct))
            return null;
        var found = await (from m in db.TicketMessages
                           join t in db.Tickets on m.TicketId equals t.Id
                           where m.Id == ticketMessageId
                           select new { Message = m, t.Id, t.Subject, t.CustomerId }).SingleAsync(ct);
        var to = await db.Customers.Where(c => c.Id == found.CustomerId).Select(c => c.Email).FirstOrDefaultAsync(ct)
            ?? await LastSenderAsync(found.Id, ct) ?? "";
        var language = await db.EmailMessages.Where(x => x.TicketId == found.Id && x.Direction == EmailDirection.Inbound)
            .OrderByDescending(x => x.Id).Select(x => x.Language).FirstOrDefaultAsync(ct);
        var row = outbox.PrepareReply(found.Id, found.Message, to, found.Subject, language);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The reconciler (or the listener) got there first: one mail per reply.
            db.ChangeTracker.Clear();
            if (await db.EmailMessages.AnyAsync(m => m.TicketMessageId == ticketMessageId, ct))
                return null;
            throw;
        }
        outbox.Enqueue(row.Id);
        return row.Id;
    }

    private Task<string?> LastSenderAsync(long ticketId, CancellationToken ct) =>
        db.EmailMessages.Where(x => x.TicketId == ticketId && x.Direction == EmailDirection.Inbound && !x.IsAutomatic)
            .OrderByDescending(x => x.Id).Select(x => x.FromAddress).FirstOrDefaultAsync(ct);
}

/// <summary>
/// The safety net of the outbox (a Hangfire recurring job and a start-up pass): agent replies on
/// email tickets that have no mail yet get one; with the in-memory job store, mail still waiting
/// when the app stopped is queued again (its jobs went with the process).
/// </summary>
public sealed class EmailOutboxReconciler(HelpdeskDbContext db, EmailReplies replies, EmailOutbox outbox, TimeProvider clock)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-7);
        var missing = await (from m in db.TicketMessages
                             join t in db.Tickets on m.TicketId equals t.Id
                             where t.Channel == TicketChannel.Email && m.Kind == MessageKind.Agent && m.CreatedAt >= since
                                   && !db.EmailMessages.Any(e => e.TicketMessageId == m.Id)
                             select m.Id).Take(500).ToListAsync(ct);
        var queued = 0;
        foreach (var id in missing)
            if (await replies.QueueAsync(id, ct) is not null) queued++;
        return queued;
    }

    public async Task RequeueWaitingAsync(CancellationToken ct)
    {
        var waiting = await db.EmailMessages.Where(e => e.Direction == EmailDirection.Outbound
            && (e.DeliveryStatus == DeliveryStatus.Pending || e.DeliveryStatus == DeliveryStatus.Retrying)).Select(e => e.Id).ToListAsync(ct);
        foreach (var id in waiting) outbox.Enqueue(id);
    }
}
