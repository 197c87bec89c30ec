using Helpdesk.Core.Email;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Email;

/// <summary>A customer as intake needs it: who the ticket is for and the name on the timeline.</summary>
public sealed record KnownCustomer(long Id, string Name);

/// <summary>
/// What the mails of one intake batch need from the database, read in a few queries for the whole
/// batch inside its transaction, and kept up to date as each mail of the batch is taken in: a
/// reply to a mail earlier in the same batch finds its thread, a second copy of a Message-ID is a
/// duplicate, a sender's mail counts towards the rate limit at once.
/// </summary>
public sealed class BatchKnowledge
{
    /// <summary>Values per IN (...) query: well under SQL Server's 2,100 parameters.</summary>
    private const int Chunk = 500;

    /// <summary>Message-ID (ours or received) → the number of the ticket that shows it now.</summary>
    private readonly Dictionary<string, long?> _stored = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KnownCustomer> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _recent = new(StringComparer.Ordinal);
    private readonly HashSet<long> _numbers = [];

    /// <summary>The team of the mailbox's new tickets (Email:Mailboxes:N:TeamKey), if any.</summary>
    public int? TeamId { get; private set; }

    public static async Task<BatchKnowledge> LoadAsync(HelpdeskDbContext db, IReadOnlyList<IncomingMail> mails, string? teamKey, DateTime windowStart, CancellationToken ct)
    {
        var k = new BatchKnowledge();
        if (teamKey is not null)
            k.TeamId = await db.Teams.Where(t => t.Key == teamKey).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct);

        var ids = mails.SelectMany(m => ThreadIds(m.Mail).Prepend(m.Mail.MessageId)).Distinct(StringComparer.Ordinal).ToList();
        var rows = new List<(string MessageId, long TicketId)>();
        foreach (var chunk in ids.Chunk(Chunk))
        {
            // A message moved by a merge is found where it is now.
            var found = await db.EmailMessages.Where(e => chunk.Contains(e.MessageId))
                .Select(e => new { e.MessageId, e.TicketId, MovedTo = db.TicketMessages.Where(m => m.Id == e.TicketMessageId).Select(m => (long?)m.TicketId).FirstOrDefault() })
                .ToListAsync(ct);
            rows.AddRange(found.Select(f => (f.MessageId, f.MovedTo ?? f.TicketId)));
        }
        var ticketIds = rows.Select(r => r.TicketId).Distinct().ToList();
        var numberOf = new Dictionary<long, long>();
        foreach (var chunk in ticketIds.Chunk(Chunk))
            foreach (var t in await db.Tickets.Where(t => chunk.Contains(t.Id)).Select(t => new { t.Id, t.Number }).ToListAsync(ct))
                numberOf[t.Id] = t.Number;
        foreach (var (messageId, ticketId) in rows)
            k._stored.TryAdd(messageId, numberOf.TryGetValue(ticketId, out var n) ? n : null);

        var tokens = mails.Select(m => TicketToken.TryParse(m.Mail.Subject, out var n) ? n : (long?)null).OfType<long>().Distinct().ToList();
        foreach (var chunk in tokens.Chunk(Chunk))
            k._numbers.UnionWith(await db.Tickets.Where(t => chunk.Contains(t.Number)).Select(t => t.Number).ToListAsync(ct));

        var senders = mails.Select(m => Sender(m.Mail)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var chunk in senders.Chunk(Chunk))
        {
            var counts = await db.EmailMessages
                .Where(e => e.Direction == EmailDirection.Inbound && chunk.Contains(e.FromAddress) && e.CreatedAt >= windowStart)
                .GroupBy(e => e.FromAddress).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
            foreach (var c in counts)
                k._recent[c.Key] = c.Count;

            // By address without regard to case: SQL Server's collation is case-insensitive already;
            // on SQLite and PostgreSQL a record typed in mixed case is found through the lower(Email) index.
            foreach (var c in await db.Customers.Where(c => chunk.Contains(c.Email!)).OrderBy(c => c.Id)
                         .Select(c => new { c.Id, c.Name, c.Email }).ToListAsync(ct))
                k._customers.TryAdd(c.Email!.ToLowerInvariant(), new KnownCustomer(c.Id, c.Name));
        }
        var missing = senders.Where(s => !k._customers.ContainsKey(s)).ToList();
        if (missing.Count > 0 && !db.Database.IsSqlServer())
            foreach (var chunk in missing.Chunk(Chunk))
                foreach (var c in await db.Customers.Where(c => chunk.Contains(c.Email!.ToLower())).OrderBy(c => c.Id)
                             .Select(c => new { c.Id, c.Name, c.Email }).ToListAsync(ct))
                    k._customers.TryAdd(c.Email!.ToLowerInvariant(), new KnownCustomer(c.Id, c.Name));
        return k;
    }

    /// <summary>The sender as stored on the mail's record: lower case, cut to the column.</summary>
    public static string Sender(InboundMail mail)
    {
        var lowered = mail.FromAddress.ToLowerInvariant();
        return lowered.Length <= EmailLimits.AddressMax ? lowered : lowered[..EmailLimits.AddressMax];
    }

    public bool StoredTicketOf(string messageId, out long? number) => _stored.TryGetValue(messageId, out number);

    public KnownCustomer? CustomerOf(string sender) => _customers.GetValueOrDefault(sender);

    /// <summary>Inbound mails from this sender inside the rate-limit window, this batch's included.</summary>
    public int RecentMailsFrom(string sender) => _recent.GetValueOrDefault(sender);

    /// <summary>In-Reply-To first, then References from the newest back; else the subject's ticket token.</summary>
    public long? ThreadOf(InboundMail mail)
    {
        foreach (var id in ThreadIds(mail))
            if (_stored.TryGetValue(id, out var number))
                return number;
        return TicketToken.TryParse(mail.Subject, out var token) && _numbers.Contains(token) ? token : null;
    }

    /// <summary>A mail of the batch is in (its savepoint released): later mails of the batch see it.</summary>
    public void Remember(InboundMail mail, long? ticketNumber, KnownCustomer? newCustomer)
    {
        _stored[mail.MessageId] = ticketNumber;
        if (ticketNumber is { } n)
            _numbers.Add(n);
        var sender = Sender(mail);
        _recent[sender] = _recent.GetValueOrDefault(sender) + 1;
        if (newCustomer is not null)
            _customers[sender] = newCustomer;
    }

    private static IEnumerable<string> ThreadIds(InboundMail mail) =>
        mail.InReplyTo.Concat(Enumerable.Reverse(mail.References)).Distinct(StringComparer.Ordinal).Take(50);
}
