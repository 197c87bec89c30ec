using Helpdesk.Core.Customers;
using Helpdesk.Core.Escalation;
using Helpdesk.Core.Sla;
using Helpdesk.Core.Tickets;
using Helpdesk.Core.Triage;
using Helpdesk.Data;
using Helpdesk.Data.Sla;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Sla;

/// <summary>A ticket as the SLA feature reads it: what picks the policy, and the stored SLA and escalation columns.</summary>
public sealed record SlaRow(
    long Id, long Number, string Title, TicketStatus Status, TicketChannel Channel, TicketType Type, TicketPriority Priority,
    int? TeamId, string? TeamKey, CustomerTier? CustomerTier, Guid? AssigneeId, DateTime CreatedAt,
    int SlaVersion, string? PolicyKey, DateTime? FirstResponseDueAt, DateTime? NextResponseDueAt, DateTime? ResolutionDueAt,
    DateTime? WarningAt, DateTime? WakeUpAt, int? ScheduledVersion, string? JobId,
    int EscalationLevel, DateTime? EscalatedSince, DateTime? Level3DueAt, string? Reasons, bool IsEscalated, HandlingMode? Handling = null)
{
    public SlaSubject PolicySubject => new(Channel, Type, Priority, CustomerTier, TeamKey, Handling);

    public SlaFigures Figures => new(PolicyKey, FirstResponseDueAt, NextResponseDueAt, ResolutionDueAt, WarningAt, WakeUpAt);

    public EscalationState Escalation => new((EscalationLevel)EscalationLevel, At(EscalatedSince), At(Level3DueAt), SlaStore.ParseReasons(Reasons));

    private static DateTimeOffset? At(DateTime? utc) => utc is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)) : null;
}

/// <summary>The stored SLA figures of a ticket: its policy, the due time of each running target, the earliest warning, the next wake-up.</summary>
public sealed record SlaFigures(string? PolicyKey, DateTime? FirstResponseDueAt, DateTime? NextResponseDueAt, DateTime? ResolutionDueAt,
    DateTime? WarningAt, DateTime? WakeUpAt)
{
    /// <summary>The figures of a snapshot; a ticket at level 2 also wakes up for the ladder's level-3 step (one timer per ticket does both).</summary>
    public static SlaFigures From(SlaPolicy policy, SlaSnapshot snapshot, EscalationState escalation, DateTimeOffset now)
    {
        DateTime? Due(SlaTarget target) => snapshot.For(target) is { IsStopped: false, DueAt: { } due } ? due.UtcDateTime : null;
        var warning = snapshot.Targets.Where(t => t.IsTicking && t.WarningAt is not null).Select(t => (DateTime?)t.WarningAt!.Value.UtcDateTime).Min();
        return new SlaFigures(policy.Key, Due(SlaTarget.FirstResponse), Due(SlaTarget.NextResponse), Due(SlaTarget.Resolution),
            warning, Earliest(snapshot.NextWakeUp, escalation is { Level: EscalationLevel.Level2, Level3DueAt: { } level3 } && level3 > now ? level3 : null)?.UtcDateTime);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => (a, b) switch
    {
        (null, _) => b,
        (_, null) => a,
        _ => a < b ? a : b,
    };
}

/// <summary>Reads and writes the SLA columns and outcomes; every write is guarded by the SLA version read.</summary>
public sealed class SlaStore(HelpdeskDbContext db)
{
    public HelpdeskDbContext Db => db;

    public Task<SlaRow?> ReadAsync(long ticketId, CancellationToken ct) =>
        Rows(db.Tickets.Where(t => t.Id == ticketId)).SingleOrDefaultAsync(ct);

    public Task<List<SlaRow>> ReadManyAsync(IReadOnlyCollection<long> ids, CancellationToken ct) =>
        Rows(db.Tickets.Where(t => ids.Contains(t.Id))).ToListAsync(ct);

    private IQueryable<SlaRow> Rows(IQueryable<Ticket> tickets) =>
        tickets.AsNoTracking().Select(t => new SlaRow(
            t.Id, t.Number, t.Subject, t.Status, t.Channel, t.Type, t.Priority, t.TeamId,
            db.Teams.Where(x => x.Id == t.TeamId).Select(x => x.Key).FirstOrDefault(),
            db.Customers.Where(c => c.Id == t.CustomerId).Select(c => (CustomerTier?)c.Tier).FirstOrDefault(),
            t.AssigneeId, t.CreatedAt,
            EF.Property<int>(t, SlaColumns.Version),
            EF.Property<string?>(t, SlaColumns.PolicyKey),
            EF.Property<DateTime?>(t, SlaColumns.FirstResponseDueAt),
            EF.Property<DateTime?>(t, SlaColumns.NextResponseDueAt),
            EF.Property<DateTime?>(t, SlaColumns.ResolutionDueAt),
            EF.Property<DateTime?>(t, SlaColumns.WarningAt),
            EF.Property<DateTime?>(t, SlaColumns.WakeUpAt),
            EF.Property<int?>(t, SlaColumns.ScheduledVersion),
            EF.Property<string?>(t, SlaColumns.JobId),
            EF.Property<int>(t, SlaColumns.EscalationLevel),
            EF.Property<DateTime?>(t, SlaColumns.EscalatedSince),
            EF.Property<DateTime?>(t, SlaColumns.Level3DueAt),
            EF.Property<string?>(t, SlaColumns.Reasons),
            EF.Property<bool>(t, SlaColumns.IsEscalated),
            t.HandlingMode));

    /// <summary>
    /// The SLA-relevant history (a narrow query, no bodies): customer messages, public agent replies
    /// and status changes in sequence order, as <see cref="SlaTimeline.FromTicket"/> reads them.
    /// </summary>
    public async Task<SlaTimeline> TimelineAsync(SlaRow row, CancellationToken ct)
    {
        var entries = await db.TicketMessages.AsNoTracking()
            .Where(m => m.TicketId == row.Id && (m.Kind == MessageKind.Customer || m.Kind == MessageKind.Agent
                        || (m.Kind == MessageKind.System && m.EventCode == "status_changed")))
            .OrderBy(m => m.Sequence)
            .Select(m => new { m.Kind, m.CreatedAt, m.EventTo })
            .ToListAsync(ct);
        return Timeline(row, entries.Select(e => (e.Kind, e.CreatedAt, e.EventTo)).ToList());
    }

    private static SlaTimeline Timeline(SlaRow row, List<(MessageKind Kind, DateTime CreatedAt, string? EventTo)> entries)
    {
        var opened = Utc(row.CreatedAt);
        var events = new List<SlaEvent>(entries.Count + 1) { new SlaTicketOpened(opened) };
        foreach (var m in entries)
        {
            // Messages merged in from an older duplicate count from this ticket's opening.
            var at = Utc(m.CreatedAt) is var written && written > opened ? written : opened;
            switch (m.Kind)
            {
                case MessageKind.Customer: events.Add(new SlaCustomerMessage(at)); break;
                case MessageKind.Agent: events.Add(new SlaAgentReply(at)); break;
                case MessageKind.System when Enum.TryParse<TicketStatus>(m.EventTo, out var to): events.Add(new SlaStatusChange(at, to)); break;
            }
        }
        return SlaTimeline.Of(events);
    }

    /// <summary>The histories of several tickets in one query (the timers that came due together).</summary>
    public async Task<Dictionary<long, SlaTimeline>> TimelinesAsync(IReadOnlyList<SlaRow> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var entries = ids.Count == 0 ? [] : await db.TicketMessages.AsNoTracking()
            .Where(m => ids.Contains(m.TicketId) && (m.Kind == MessageKind.Customer || m.Kind == MessageKind.Agent
                        || (m.Kind == MessageKind.System && m.EventCode == "status_changed")))
            .OrderBy(m => m.TicketId).ThenBy(m => m.Sequence)
            .Select(m => new { m.TicketId, m.Kind, m.CreatedAt, m.EventTo })
            .ToListAsync(ct);
        var byTicket = entries.GroupBy(e => e.TicketId).ToDictionary(g => g.Key, g => g.Select(e => (e.Kind, e.CreatedAt, e.EventTo)).ToList());
        return rows.ToDictionary(r => r.Id, r => Timeline(r, byTicket.GetValueOrDefault(r.Id) ?? []));
    }

    /// <summary>Writes new figures and escalation state if the row is still at <paramref name="seenVersion"/>; false when another writer came first.</summary>
    public async Task<bool> TryUpdateAsync(long ticketId, int seenVersion, SlaFigures f, EscalationState e, int? scheduledVersion, string? jobId, CancellationToken ct)
    {
        var reasons = FormatReasons(e.Reasons);
        var level = (int)e.Level;
        var since = e.Since?.UtcDateTime;
        var level3 = e.Level3DueAt?.UtcDateTime;
        var escalated = e.IsEscalated;
        var rows = await db.Tickets.Where(t => t.Id == ticketId && EF.Property<int>(t, SlaColumns.Version) == seenVersion)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => EF.Property<int>(t, SlaColumns.Version), seenVersion + 1)
                .SetProperty(t => EF.Property<string?>(t, SlaColumns.PolicyKey), f.PolicyKey)
                .SetProperty(t => EF.Property<DateTime?>(t, SlaColumns.FirstResponseDueAt), f.FirstResponseDueAt)
                .SetProperty(t => EF.Property<DateTime?>(t, SlaColumns.NextResponseDueAt), f.NextResponseDueAt)
                .SetProperty(t => EF.Property<DateTime?>(t, SlaColumns.ResolutionDueAt), f.ResolutionDueAt)
                .SetProperty(t => EF.Property<DateTime?>(t, SlaColumns.WarningAt), f.WarningAt)
                .SetProperty(t => EF.Property<DateTime?>(t, SlaColumns.WakeUpAt), f.WakeUpAt)
                .SetProperty(t => EF.Property<int?>(t, SlaColumns.ScheduledVersion), scheduledVersion)
                .SetProperty(t => EF.Property<string?>(t, SlaColumns.JobId), jobId)
                .SetProperty(t => EF.Property<int>(t, SlaColumns.EscalationLevel), level)
                .SetProperty(t => EF.Property<DateTime?>(t, SlaColumns.EscalatedSince), since)
                .SetProperty(t => EF.Property<DateTime?>(t, SlaColumns.Level3DueAt), level3)
                .SetProperty(t => EF.Property<string?>(t, SlaColumns.Reasons), reasons)
                .SetProperty(t => EF.Property<bool>(t, SlaColumns.IsEscalated), escalated), ct);
        return rows == 1;
    }

    /// <summary>Only the job columns, for a re-scheduled timer whose figures did not change (the reconciler's fast path).</summary>
    public async Task<bool> TrySetJobAsync(long ticketId, int seenVersion, string jobId, CancellationToken ct) =>
        await db.Tickets.Where(t => t.Id == ticketId && EF.Property<int>(t, SlaColumns.Version) == seenVersion)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => EF.Property<int?>(t, SlaColumns.ScheduledVersion), seenVersion)
                .SetProperty(t => EF.Property<string?>(t, SlaColumns.JobId), jobId), ct) == 1;

    /// <summary>Replaces the ticket's outcome rows by the snapshot's (a reopened ticket's resolution is running again).</summary>
    public async Task ReplaceOutcomesAsync(long ticketId, SlaPolicy policy, SlaSnapshot snapshot, CancellationToken ct)
    {
        await db.SlaOutcomes.Where(o => o.TicketId == ticketId).ExecuteDeleteAsync(ct);
        if (snapshot.Outcomes.Count == 0) return;
        db.SlaOutcomes.AddRange(snapshot.Outcomes.Select(o => new SlaOutcomeRecord
        {
            TicketId = ticketId,
            Target = o.Target,
            Cycle = o.Cycle,
            PolicyKey = policy.Key,
            Met = o.Met,
            TakenSeconds = (long)Math.Round(o.Taken.TotalSeconds),
            GoalSeconds = (long)Math.Round(o.Goal.Within.TotalSeconds),
            Mode = o.Goal.Mode,
            StartedAt = o.StartedAt.UtcDateTime,
            StoppedAt = o.StoppedAt.UtcDateTime,
        }));
        await db.SaveChangesAsync(ct);
    }

    public static IReadOnlySet<string> ParseReasons(string? text) =>
        (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    public static string? FormatReasons(IReadOnlySet<string> reasons) =>
        reasons.Count == 0 ? null : string.Join(' ', reasons.Order(StringComparer.Ordinal));

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
