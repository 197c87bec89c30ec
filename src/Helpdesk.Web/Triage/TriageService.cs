using System.Text.Json;
using Helpdesk.Core.Customers;
using Helpdesk.Core.Tickets;
using Helpdesk.Core.Triage;
using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Helpdesk.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Triage;

/// <summary>Runs triage on a ticket and stores the result; agents' corrections and the accuracy they add up to.</summary>
/// <summary>One ticket to triage: the text is the new customer text (subject and first message for a new ticket).</summary>
public sealed record TriageRequest(long TicketId, long? MessageId, string Text);

public sealed class TriageService(HelpdeskDbContext db, TriageRuleStore rules, TicketRouting routing, TicketEventPublisher publisher, TimeProvider clock)
{
    private const int MaxAttempts = 4;
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromDays(30);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Classifies <paramref name="text"/> for the ticket with the current rules, applies the result
    /// through the aggregate and stores it, in one commit. A concurrent change of the ticket makes
    /// it start again on a fresh copy. Null when the ticket is gone or closed.
    /// </summary>
    public async Task<TriageResult?> TriageAsync(long ticketId, long? messageId, string text, CancellationToken ct) =>
        await TriageAsync(ticketId, messageId, text, storeUnchanged: true, ct);

    /// <summary>
    /// As above; with <paramref name="storeUnchanged"/> false, a result that changes nothing on the
    /// ticket and says what the ticket's last stored result said is not stored again (a long chat
    /// would otherwise add a row, and a commit, per pass that only repeats itself).
    /// </summary>
    public async Task<TriageResult?> TriageAsync(long ticketId, long? messageId, string text, bool storeUnchanged, CancellationToken ct)
    {
        var engine = await rules.CurrentAsync(ct);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TriageOnceAsync(engine, new TriageRequest(ticketId, messageId, text), storeUnchanged, ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<bool> SaysTheSameAsAsync(TriageResult result, CancellationToken ct)
    {
        var last = await db.TriageResults.AsNoTracking().Where(r => r.TicketId == result.TicketId).OrderByDescending(r => r.Id)
            .Select(r => new { r.Type, r.Category, r.Severity, r.Handling, r.Flags, r.RuleSetVersion }).FirstOrDefaultAsync(ct);
        return last is not null && last.Type == result.Type && last.Category == result.Category && last.Severity == result.Severity
            && last.Handling == result.Handling && last.Flags == result.Flags && last.RuleSetVersion == result.RuleSetVersion;
    }

    /// <summary>
    /// Several tickets (a batch of mail) in one transaction: one commit, then their events. Throws
    /// if any of them fails, with nothing stored: the caller then triages each on its own.
    /// </summary>
    public async Task<IReadOnlyList<TriageResult>> TriageManyAsync(IReadOnlyList<TriageRequest> requests, CancellationToken ct)
    {
        if (requests.Count == 1)
            return await TriageAsync(requests[0].TicketId, requests[0].MessageId, requests[0].Text, ct) is { } one ? [one] : [];
        var engine = await rules.CurrentAsync(ct);
        var results = new List<TriageResult>(requests.Count);
        db.Database.AutoSavepointsEnabled = false; // all or nothing: a failure undoes the whole transaction
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct2 =>
        {
            results.Clear();
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct2);
            foreach (var request in requests)
                if (await TriageOnceAsync(engine, request, storeUnchanged: true, ct2) is { } result)
                    results.Add(result);
            await tx.CommitAsync(ct2);
        }, ct);
        await publisher.PublishAsync(db, ct);
        return results;
    }

    private async Task<TriageResult?> TriageOnceAsync(TriageEngine engine, TriageRequest request, bool storeUnchanged, CancellationToken ct)
    {
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Id == request.TicketId, ct);
        if (ticket is null || !ticket.IsOpen)
            return null;
        var (tier, earlier) = await CustomerContextAsync(ticket, ct);
        var outcome = engine.Classify(new TriageInput(request.Text, tier, earlier));
        var (queueId, fromRule) = await QueueForAsync(ticket, outcome, ct);
        var changed = ticket.ApplyTriage(TriageDecision.From(outcome, queueId, fromRule), Now);
        var result = new TriageResult
        {
            TicketId = ticket.Id, MessageId = request.MessageId, RuleSetVersion = outcome.RuleSetVersion, At = Now,
            Type = outcome.Type, Category = outcome.Category, Severity = outcome.Severity, Handling = outcome.Handling,
            Flags = outcome.Flags, Sentiment = outcome.Sentiment, Applied = string.Join(",", changed),
            ExplanationJson = JsonSerializer.Serialize(new TriageExplanation(outcome.Scores, outcome.SeverityPoints, outcome.Priority, outcome.QueueKey, outcome.Fired), TriageRuleSet.Json),
        };
        if (!storeUnchanged && changed.Count == 0 && await SaysTheSameAsAsync(result, ct))
            return null;
        db.TriageResults.Add(result);
        await db.SaveChangesAsync(ct);
        return result;
    }

    private async Task<(CustomerTier? Tier, int EarlierComplaints)> CustomerContextAsync(Ticket ticket, CancellationToken ct)
    {
        if (ticket.CustomerId is not { } customerId)
            return (null, 0);
        var tier = await db.Customers.Where(c => c.Id == customerId).Select(c => (CustomerTier?)c.Tier).FirstOrDefaultAsync(ct);
        var since = Now - RepeatWindow;
        var earlier = await db.Tickets.CountAsync(t => t.CustomerId == customerId && t.Id != ticket.Id
            && t.Type == TicketType.Complaint && t.CreatedAt >= since, ct);
        return (tier, earlier);
    }

    /// <summary>The queue a rule named in the ticket's team, else the team's complaint queue for a complaint.</summary>
    private async Task<(int? QueueId, bool FromRule)> QueueForAsync(Ticket ticket, TriageOutcome outcome, CancellationToken ct)
    {
        if (ticket.TeamId is not { } teamId)
            return (null, false);
        if (outcome.QueueKey is { } key)
        {
            var named = await db.Queues.Where(q => q.TeamId == teamId && q.Key == key).Select(q => (int?)q.Id).FirstOrDefaultAsync(ct);
            if (named is not null)
                return (named, true);
        }
        if (outcome.Type != TicketType.Complaint && ticket.Type != TicketType.Complaint)
            return (null, false);
        return (await routing.QueueForAsync(teamId, null, TicketType.Complaint, ct), false);
    }

    public async Task<TicketTriageView> GetAsync(long number, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Number == number, ct)
            ?? throw new NotFoundException($"Ticket {number} does not exist.");
        var results = await db.TriageResults.AsNoTracking().Where(r => r.TicketId == ticket.Id).OrderByDescending(r => r.Id).Take(50).ToListAsync(ct);
        var corrections = await db.TriageCorrections.AsNoTracking().Where(c => c.TicketId == ticket.Id).OrderByDescending(c => c.Id).ToListAsync(ct);
        var views = results.Select(View).ToList();
        return new TicketTriageView(ticket.Number, ticket.Version, ticket.HandlingMode, TriageViews.Names(ticket.TriageFlags),
            TriageViews.Names(ticket.ManualFields), views.FirstOrDefault(), views, corrections.Select(View).ToList());
    }

    /// <summary>An agent says what the ticket really is. Stored with what triage had said; the ticket follows.</summary>
    public async Task<TriageCorrection> CorrectAsync(long number, TriageCorrectionRequest request, Actor staff, Guid staffId, CancellationToken ct)
    {
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Number == number, ct)
            ?? throw new NotFoundException($"Ticket {number} does not exist.");
        if (request.ExpectedVersion is { } expected && expected != ticket.Version)
            throw new StaleVersionException(expected, ticket.Version);
        var latest = await db.TriageResults.Where(r => r.TicketId == ticket.Id).OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct)
            ?? throw new TicketRuleException("not_triaged", $"Ticket {number} has no triage result to correct.");

        int? queueId = null;
        if (request.Type is { } type && type != ticket.Type && ticket.TeamId is { } team)
            queueId = await routing.QueueForAsync(team, null, type, ct);
        ticket.CorrectTriage(request.Type, request.Category, request.Severity is { } s ? TriageOutcome.PriorityFor(s) : null, queueId, staff, Now);
        var correction = new TriageCorrection
        {
            TicketId = ticket.Id, TriageResultId = latest.Id, At = Now, StaffId = staffId, StaffName = staff.Name,
            FromType = latest.Type, ToType = request.Type ?? latest.Type,
            FromCategory = latest.Category, ToCategory = request.Category ?? latest.Category,
            FromSeverity = latest.Severity, ToSeverity = request.Severity ?? latest.Severity,
        };
        db.TriageCorrections.Add(correction);
        await db.SaveChangesAsync(ct);
        return correction;
    }

    /// <summary>
    /// Share of triaged tickets nobody corrected, per day or ISO week of their first triage, and
    /// per field (a correction that kept the type counts against category or severity only).
    /// </summary>
    public async Task<TriageAccuracy> AccuracyAsync(bool weekly, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var firsts = await db.TriageResults.AsNoTracking().GroupBy(r => r.TicketId)
            .Select(g => new { TicketId = g.Key, At = g.Min(r => r.At) })
            .Where(x => x.At >= start && x.At < end).ToListAsync(ct);
        var ids = firsts.Select(f => f.TicketId).ToList();
        var corrections = await db.TriageCorrections.AsNoTracking().Where(c => ids.Contains(c.TicketId))
            .Select(c => new { c.TicketId, Type = c.FromType != c.ToType, Category = c.FromCategory != c.ToCategory, Severity = c.FromSeverity != c.ToSeverity })
            .ToListAsync(ct);
        var byTicket = corrections.GroupBy(c => c.TicketId).ToDictionary(g => g.Key,
            g => (Type: g.Any(c => c.Type), Category: g.Any(c => c.Category), Severity: g.Any(c => c.Severity)));

        AccuracyBucket Bucket(DateOnly bucketStart, IReadOnlyCollection<long> tickets)
        {
            var n = tickets.Count;
            var fixedTickets = tickets.Where(byTicket.ContainsKey).Select(t => byTicket[t]).ToList();
            double Share(int wrong) => n == 0 ? 1 : Math.Round((n - wrong) / (double)n, 4);
            var corrected = fixedTickets.Count(c => c.Type || c.Category || c.Severity);
            return new AccuracyBucket(bucketStart, n, corrected, Share(corrected), Share(fixedTickets.Count(c => c.Type)),
                Share(fixedTickets.Count(c => c.Category)), Share(fixedTickets.Count(c => c.Severity)));
        }

        DateOnly BucketOf(DateTime at)
        {
            var day = DateOnly.FromDateTime(at);
            return weekly ? day.AddDays(-(((int)day.DayOfWeek + 6) % 7)) : day;
        }

        var buckets = firsts.GroupBy(f => BucketOf(f.At)).OrderBy(g => g.Key)
            .Select(g => Bucket(g.Key, g.Select(f => f.TicketId).ToList())).ToList();
        var all = Bucket(from, ids);
        return new TriageAccuracy(weekly ? "week" : "day", from, to, all.Triaged, all.Corrected, all.Accuracy, all.TypeAccuracy,
            all.CategoryAccuracy, all.SeverityAccuracy, buckets);
    }

    public static TriageResultView View(TriageResult r) => new(r.Id, r.MessageId, r.RuleSetVersion, r.At, r.Type, r.Category, r.Severity, r.Handling,
        TriageViews.Names(r.Flags), r.Sentiment, r.Applied.Split(',', StringSplitOptions.RemoveEmptyEntries),
        JsonSerializer.Deserialize<TriageExplanation>(r.ExplanationJson, TriageRuleSet.Json)!);

    private static TriageCorrectionView View(TriageCorrection c) => new(c.Id, c.TriageResultId, c.At, c.StaffId, c.StaffName,
        c.FromType, c.ToType, c.FromCategory, c.ToCategory, c.FromSeverity, c.ToSeverity);
}
