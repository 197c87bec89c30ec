using System.Data.Common;
using System.Runtime.ExceptionServices;
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

/// <summary>A fetched and parsed mail with its UID in the mailbox.</summary>
public sealed record IncomingMail(long Uid, InboundMail Mail);

/// <summary>
/// What became of a batch once its transaction committed: the mails taken in (or recognised as
/// taken before), and the mails whose work a savepoint undid, with the exception that undid it.
/// </summary>
public sealed record IntakeBatchResult(IReadOnlyList<(long Uid, IntakeResult Result)> Taken, IReadOnlyList<(long Uid, Exception Error)> Failed);

/// <summary>
/// Inbound mail into the ticketing core. A batch is one transaction (one commit, one fsync) and
/// each mail in it has its own savepoint: the customer (found by address or created), the ticket
/// (new, threaded reply, follow-up) through <see cref="TicketService"/>, the files through
/// <see cref="AttachmentService"/>, the mail's own record with its Message-ID and, for a new
/// ticket, the acknowledgement waiting to be sent. A mail that fails is rolled back to its
/// savepoint and reported; the others still commit. A mail whose Message-ID is already stored
/// (before or earlier in the batch) is a duplicate and changes nothing: that is what makes
/// marking mail processed after the commit safe.
/// What the mails of a batch need to know (stored Message-IDs, customers, recent mail per sender,
/// ticket numbers in subjects) is read once per batch, not once per mail.
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
    private const string Savepoint = "mail";

    private EmailOptions Options => options.Value;
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>One mail on its own (a batch of one); a failure is thrown as it happened.</summary>
    public async Task<IntakeResult> TakeAsync(string mailboxName, long uid, InboundMail mail, CancellationToken ct)
    {
        var outcome = await TakeBatchAsync(mailboxName, [new IncomingMail(uid, mail)], ct);
        if (outcome.Failed.Count > 0)
            ExceptionDispatchInfo.Throw(outcome.Failed[0].Error);
        return outcome.Taken[0].Result;
    }

    /// <summary>
    /// The mails in one transaction, in order. Throws (and commits nothing) only for what concerns
    /// the whole batch: the database or the disk gone, cancellation.
    /// </summary>
    public async Task<IntakeBatchResult> TakeBatchAsync(string mailboxName, IReadOnlyList<IncomingMail> mails, CancellationToken ct)
    {
        var taken = new List<(long, IntakeResult)>(mails.Count);
        var failed = new List<(long, Exception)>();
        var touched = new List<Ticket>();
        var acknowledgements = new List<long>();
        // Our savepoint per mail is the one that matters; EF's own around each SaveChanges would double it.
        db.Database.AutoSavepointsEnabled = false;
        // SQL Server and PostgreSQL retry transient failures: the whole batch is one retriable unit, started afresh.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct2 =>
        {
            taken.Clear();
            failed.Clear();
            touched.Clear();
            acknowledgements.Clear();
            db.ChangeTracker.Clear();
            await TakeInTransactionAsync(mailboxName, mails, taken, failed, touched, acknowledgements, ct2);
        }, ct);

        await publisher.PublishAsync(touched, ct);
        foreach (var id in acknowledgements)
            outbox.Enqueue(id);
        return new IntakeBatchResult(taken, failed);
    }

    private async Task TakeInTransactionAsync(string mailboxName, IReadOnlyList<IncomingMail> mails, List<(long, IntakeResult)> taken,
        List<(long, Exception)> failed, List<Ticket> touched, List<long> acknowledgements, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var known = await BatchKnowledge.LoadAsync(db, mails, Options.Mailboxes.FirstOrDefault(m => m.Name == mailboxName)?.TeamKey,
            new SenderRateLimit(Options.SenderLimit.Mails, Options.SenderLimit.Window).WindowStart(Now), ct);
        var batch = tickets.BeginBatch();
        foreach (var (uid, mail) in mails)
        {
            if (known.StoredTicketOf(mail.MessageId, out var earlier))
            {
                taken.Add((uid, new IntakeResult(IntakeKind.Duplicate, mail.MessageId, earlier)));
                continue;
            }
            await tx.CreateSavepointAsync(Savepoint, ct);
            try
            {
                var took = await TakeInsideAsync(mailboxName, uid, mail, known, batch, ct);
                await tx.ReleaseSavepointAsync(Savepoint, ct);
                known.Remember(mail, took.Result.TicketNumber, took.NewCustomer);
                touched.AddRange(db.ChangeTracker.Entries<Ticket>().Select(e => e.Entity));
                taken.Add((uid, took.Result));
                if (took.Result.AcknowledgementId is { } id)
                    acknowledgements.Add(id);
            }
            catch (Exception e) when (IsThisMailsFault(e))
            {
                await tx.RollbackToSavepointAsync(Savepoint, ct);
                await tx.ReleaseSavepointAsync(Savepoint, ct);
                batch.Forget();
                failed.Add((uid, e));
            }
            finally
            {
                // Saved or undone, nothing of this mail stays tracked: the next mail's SaveChanges
                // scans only its own entities, and an undone mail leaves nothing to be saved later.
                db.ChangeTracker.Clear();
            }
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// A mail's own trouble (a refused statement, a rule, a bug on its content) is undone by its
    /// savepoint; a database or disk that stopped answering concerns the whole batch.
    /// </summary>
    private static bool IsThisMailsFault(Exception e) =>
        e is not (OperationCanceledException or DbException or IOException or TimeoutException)
        && e is not InvalidOperationException { Source: "Microsoft.Data.Sqlite" };

    private sealed record Took(IntakeResult Result, KnownCustomer? NewCustomer);

    private async Task<Took> TakeInsideAsync(string mailboxName, long uid, InboundMail mail, BatchKnowledge known, TicketBatch batch, CancellationToken ct)
    {
        var classification = AutomaticMailRules.Classify(mail.Facts, Options.AllOwnAddresses());
        var sender = Truncate(mail.FromAddress.ToLowerInvariant(), EmailLimits.AddressMax);
        var clientId = MessageIds.ClientMessageId(mail.MessageId);
        var body = TimelineText(mail);

        var limit = new SenderRateLimit(Options.SenderLimit.Mails, Options.SenderLimit.Window);
        var held = !classification.IsAutomatic && limit.IsExceeded(known.RecentMailsFrom(sender));
        var quiet = classification.IsAutomatic || held;

        // Mail nobody wrote never creates a customer record (a MAILER-DAEMON is nobody's customer).
        var customer = known.CustomerOf(sender);
        KnownCustomer? created = null;
        if (customer is null && !classification.IsAutomatic)
            customer = created = await CreateCustomerAsync(mail, sender, ct);
        if (customer is not null)
            batch.Vouch(customer.Id);
        var actor = Actor.Customer(customer?.Id, Truncate(customer?.Name ?? mail.FromName ?? mail.FromAddress, 200));

        var thread = known.ThreadOf(mail);
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
            List<string>? tags = classification.IsAutomatic ? ["automatic"] : held ? ["rate-limited"] : null;
            ticket = await tickets.CreateAsync(new NewTicket(
                TicketToken.TicketSubject(mail.Subject, TicketLimits.SubjectMax), TicketType.Inquiry, TicketChannel.Email,
                classification.IsAutomatic ? TicketPriority.Low : TicketPriority.Normal,
                Description: body, CustomerId: customer?.Id, TeamId: known.TeamId, Tags: tags, ClientMessageId: clientId), actor, ct);
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
            FromAddress = sender,
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
        return new Took(new IntakeResult(kind, mail.MessageId, ticket.Number, acknowledgement?.Id), created);
    }

    private Task<long?> LatestTicketOfAsync(long customerId, CancellationToken ct) =>
        db.Tickets.Where(t => t.CustomerId == customerId && t.Status != TicketStatus.Merged)
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Select(t => (long?)t.Number).FirstOrDefaultAsync(ct);

    private async Task<KnownCustomer> CreateCustomerAsync(InboundMail mail, string lowered, CancellationToken ct)
    {
        var customer = new Customer
        {
            Name = Truncate(mail.FromName ?? mail.FromAddress.Split('@')[0], 200),
            Email = Truncate(lowered, 256),
            CreatedAt = Now,
        };
        db.Customers.Add(customer);
        await db.SaveChangesAsync(ct);
        return new KnownCustomer(customer.Id, customer.Name);
    }

    /// <summary>The timeline shows the new part; files and anything not stored are named so nobody misses them.</summary>
    private static string TimelineText(InboundMail mail)
    {
        var text = mail.Text.Fresh.Trim();
        if (text.Length == 0)
            text = mail.Files.Count > 0 ? "(附件 Attachments: " + string.Join(", ", mail.Files.Select(f => f.FileName)) + ")" : "(空邮件 Empty mail)";
        if (mail.SkippedFiles.Count == 0)
            return Truncate(text, TicketLimits.BodyMax);
        // The note goes after the text but must survive the cut: a long mail is the likeliest to carry a big file.
        var note = "\n\n[附件过大，未保存，原邮件仍在邮箱中 Attachments too large to store, still in the mailbox: " + string.Join(", ", mail.SkippedFiles) + "]";
        return Truncate(Truncate(text, Math.Max(0, TicketLimits.BodyMax - note.Length)) + note, TicketLimits.BodyMax);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
