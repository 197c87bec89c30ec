using Helpdesk.Core.Customers;
using Helpdesk.Core.Email;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Attachments;
using Helpdesk.Web.Infrastructure;
using Helpdesk.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Email;

public enum IntakeKind { NewTicket, Reply, Automatic, Held, Duplicate }

/// <summary>What became of one inbound mail.</summary>
public sealed record IntakeResult(IntakeKind Kind, string MessageId, long? TicketNumber, long? AcknowledgementId = null);

/// <summary>
/// One inbound mail into the ticketing core, in one transaction: the customer (found by address
/// or created), the ticket (new, threaded reply, follow-up) through <see cref="TicketService"/>,
/// the files through <see cref="AttachmentService"/>, the mail's own record with its Message-ID
/// and, for a new ticket, the acknowledgement waiting to be sent. A mail whose Message-ID is
/// already stored is a duplicate and changes nothing: that is what makes marking it processed
/// after the commit safe.
/// </summary>
public sealed class EmailIntake(
    HelpdeskDbContext db,
    TicketService tickets,
    AttachmentService attachments,
    TicketEventPublisher publisher,
    EmailOutbox outbox,
    IOptions<EmailOptions> options,
    TimeProvider clock)
{
    private EmailOptions Options => options.Value;
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public Task<bool> IsKnownAsync(string messageId, CancellationToken ct) =>
        db.EmailMessages.AnyAsync(e => e.MessageId == messageId, ct);

    public async Task<IntakeResult> TakeAsync(string mailboxName, long uid, InboundMail mail, CancellationToken ct)
    {
        if (await IsKnownAsync(mail.MessageId, ct))
            return new IntakeResult(IntakeKind.Duplicate, mail.MessageId, await TicketOfAsync(mail.MessageId, ct));

        var mailbox = Options.Mailboxes.FirstOrDefault(m => m.Name == mailboxName);
        var classification = AutomaticMailRules.Classify(mail.Facts, Options.AllOwnAddresses());
        var sender = mail.FromAddress.ToLowerInvariant();
        var clientId = MessageIds.ClientMessageId(mail.MessageId);
        var body = TimelineText(mail);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var limit = new SenderRateLimit(Options.SenderLimit.Mails, Options.SenderLimit.Window);
        var since = limit.WindowStart(Now);
        var held = !classification.IsAutomatic && limit.IsExceeded(await db.EmailMessages.CountAsync(
            e => e.Direction == EmailDirection.Inbound && e.FromAddress == sender && e.CreatedAt >= since, ct));
        var quiet = classification.IsAutomatic || held;

        // Mail nobody wrote never creates a customer record (a MAILER-DAEMON is nobody's customer).
        var customer = await FindCustomerAsync(sender, ct) ?? (classification.IsAutomatic ? null : await CreateCustomerAsync(mail, sender, ct));
        var actor = Actor.Customer(customer?.Id, Truncate(customer?.Name ?? mail.FromName ?? mail.FromAddress, 200));

        var thread = await FindThreadAsync(mail, ct);
        AppendResult? appended = null;
        Ticket ticket;
        TicketMessage message;
        IntakeKind kind;
        if (thread is null && held && customer is not null && await LatestTicketOfAsync(customer.Id, ct) is { } latest)
            thread = latest;
        if (thread is { } number)
        {
            appended = quiet
                ? await tickets.AddQuietCustomerMessageAsync(number, body, actor, clientId, ct)
                : await tickets.AddCustomerMessageAsync(number, body, actor, clientId, ct);
            (ticket, message) = (appended.Ticket, appended.Message);
            kind = held ? IntakeKind.Held : classification.IsAutomatic ? IntakeKind.Automatic
                : appended.Outcome == Ticket.CustomerMessageOutcome.FollowUpNeeded ? IntakeKind.NewTicket : IntakeKind.Reply;
        }
        else
        {
            var teamId = mailbox?.TeamKey is { } key ? await db.Teams.Where(t => t.Key == key).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct) : null;
            List<string>? tags = classification.IsAutomatic ? ["automatic"] : held ? ["rate-limited"] : null;
            ticket = await tickets.CreateAsync(new NewTicket(
                TicketToken.TicketSubject(mail.Subject, TicketLimits.SubjectMax), TicketType.Inquiry, TicketChannel.Email,
                classification.IsAutomatic ? TicketPriority.Low : TicketPriority.Normal,
                Description: body, CustomerId: customer?.Id, TeamId: teamId, Tags: tags, ClientMessageId: clientId), actor, ct);
            message = ticket.Messages.Last(m => m.Kind == MessageKind.Customer);
            kind = classification.IsAutomatic ? IntakeKind.Automatic : held ? IntakeKind.Held : IntakeKind.NewTicket;
        }

        var record = new EmailMessage
        {
            TicketId = ticket.Id,
            TicketMessageId = message.Id,
            Direction = EmailDirection.Inbound,
            MessageId = mail.MessageId,
            InReplyTo = mail.InReplyTo.FirstOrDefault(),
            References = Truncate(string.Join(' ', mail.References), 8000),
            FromAddress = Truncate(sender, EmailLimits.AddressMax),
            FromName = mail.FromName is null ? null : Truncate(mail.FromName, 200),
            ToAddresses = mail.To,
            Subject = Truncate(mail.Subject, EmailLimits.SubjectMax),
            Html = mail.Html?.Fresh,
            QuotedHtml = mail.Html?.Quoted,
            Text = mail.Text.Fresh,
            QuotedText = mail.Text.Quoted,
            IsAutomatic = quiet,
            AutomaticReason = held ? "rate_limited" : classification.Reason,
            Mailbox = mailboxName,
            Uid = uid,
            Language = MailLanguage.Choose(mail.Subject + "\n" + mail.Text.Fresh),
            CreatedAt = Now,
        };
        foreach (var file in mail.Files)
        {
            await attachments.StoreMailFileAsync(file.Id, ticket.Id, file.FileName, file.Content, actor, ct);
            record.Attachments.Add(new EmailAttachment { AttachmentId = file.Id, ContentId = file.ContentId, IsInline = file.Inline });
        }
        db.EmailMessages.Add(record);

        EmailMessage? acknowledgement = null;
        var wantsAcknowledgement = kind == IntakeKind.NewTicket && !classification.SuppressAcknowledgement && Options.Acknowledgement.Enabled;
        if (wantsAcknowledgement)
            acknowledgement = outbox.PrepareAcknowledgement(ticket, record);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        await publisher.PublishAsync(db, ct);
        if (acknowledgement is not null)
            outbox.Enqueue(acknowledgement.Id);
        return new IntakeResult(kind, mail.MessageId, ticket.Number, acknowledgement?.Id);
    }

    /// <summary>In-Reply-To first, then References from the newest back; else the subject's ticket token.</summary>
    private async Task<long?> FindThreadAsync(InboundMail mail, CancellationToken ct)
    {
        var ids = mail.InReplyTo.Concat(Enumerable.Reverse(mail.References)).Distinct(StringComparer.Ordinal).Take(50).ToList();
        if (ids.Count > 0)
        {
            var known = await db.EmailMessages.Where(e => ids.Contains(e.MessageId))
                .Select(e => new { e.MessageId, e.TicketId, MovedTo = db.TicketMessages.Where(m => m.Id == e.TicketMessageId).Select(m => (long?)m.TicketId).FirstOrDefault() })
                .ToListAsync(ct);
            var best = ids.Select(id => known.FirstOrDefault(k => k.MessageId == id)).FirstOrDefault(k => k is not null);
            if (best is not null)
            {
                var ticketId = best.MovedTo ?? best.TicketId;
                return await db.Tickets.Where(t => t.Id == ticketId).Select(t => (long?)t.Number).FirstOrDefaultAsync(ct);
            }
        }
        if (TicketToken.TryParse(mail.Subject, out var number) && await db.Tickets.AnyAsync(t => t.Number == number, ct))
            return number;
        return null;
    }

    private async Task<long?> TicketOfAsync(string messageId, CancellationToken ct) =>
        await db.EmailMessages.Where(e => e.MessageId == messageId)
            .Select(e => db.Tickets.Where(t => t.Id == e.TicketId).Select(t => (long?)t.Number).FirstOrDefault()).FirstOrDefaultAsync(ct);

    private Task<long?> LatestTicketOfAsync(long customerId, CancellationToken ct) =>
        db.Tickets.Where(t => t.CustomerId == customerId && t.Status != TicketStatus.Merged)
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Select(t => (long?)t.Number).FirstOrDefaultAsync(ct);

    /// <summary>
    /// By address without regard to case. SQL Server's collation is case-insensitive already; on
    /// SQLite a record typed in mixed case is found through the lower(Email) index of the Email migration.
    /// </summary>
    private async Task<Customer?> FindCustomerAsync(string lowered, CancellationToken ct) =>
        await db.Customers.Where(c => c.Email == lowered).OrderBy(c => c.Id).FirstOrDefaultAsync(ct)
        ?? (db.Database.IsSqlite()
            ? await db.Customers.Where(c => c.Email!.ToLower() == lowered).OrderBy(c => c.Id).FirstOrDefaultAsync(ct)
            : null);

    private async Task<Customer> CreateCustomerAsync(InboundMail mail, string lowered, CancellationToken ct)
    {
        var customer = new Customer
        {
            Name = Truncate(mail.FromName ?? mail.FromAddress.Split('@')[0], 200),
            Email = Truncate(lowered, 256),
            CreatedAt = Now,
        };
        db.Customers.Add(customer);
        await db.SaveChangesAsync(ct);
        return customer;
    }

    /// <summary>The timeline shows the new part; files and anything not stored are named so nobody misses them.</summary>
    private static string TimelineText(InboundMail mail)
    {
        var text = mail.Text.Fresh.Trim();
        if (text.Length == 0)
            text = mail.Files.Count > 0 ? "(附件 Attachments: " + string.Join(", ", mail.Files.Select(f => f.FileName)) + ")" : "(空邮件 Empty mail)";
        if (mail.SkippedFiles.Count > 0)
            text += "\n\n[附件过大，未保存，原邮件仍在邮箱中 Attachments too large to store, still in the mailbox: " + string.Join(", ", mail.SkippedFiles) + "]";
        return Truncate(text, TicketLimits.BodyMax);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
