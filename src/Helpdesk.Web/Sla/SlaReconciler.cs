using Hangfire.InMemory;
using Hangfire;
using Helpdesk.Core.Escalation;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Data.Sla;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Sla;

public sealed record SlaReconcileReport(int Overdue, int Rescheduled, int Recomputed, int Level3);

/// <summary>
/// The safety net of the SLA timers (a Hangfire recurring job every minute, and a pass at start-up),
/// so that a lost job store (the in-memory one on SQLite) never loses an SLA:
/// wake-ups that passed unacted are acted on now; open tickets whose timer is missing, stale or
/// not in the store are scheduled again; level-2 tickets past their level-3 time climb; at start-up,
/// open tickets whose stored policy is no longer the one they match (the configuration changed)
/// are recomputed. Work goes in pages, so 100,000 open tickets are no problem.
/// </summary>
public sealed class SlaReconciler(HelpdeskDbContext db, IServiceScopeFactory scopes, SlaJobs jobs, SlaRules rules, JobStorage storage, SlaDueTimers due,
    IOptions<SlaTimerOptions> options, TimeProvider clock, ILogger<SlaReconciler> log)
{
    private const int PageSize = 1000;
    private static readonly TimeSpan OverdueGrace = TimeSpan.FromSeconds(5);

    public Task<SlaReconcileReport> RunAsync(CancellationToken ct) => RunAsync(startUp: false, ct);

    public async Task<SlaReconcileReport> RunAsync(bool startUp, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // A wake-up that passed a moment ago is being handled by its timer right now; the net is for the ones no timer took.
        var missed = now - OverdueGrace;
        var overdue = await ProcessAllAsync(Open().Where(t => EF.Property<DateTime?>(t, SlaColumns.WakeUpAt) <= missed), SlaCause.Reconcile, ct, skipHeld: true);
        // Timers before the slower passes: a fresh in-memory store holds none of the timers of the last run.
        var rescheduled = await RescheduleAsync(startUp && storage is InMemoryStorage, now, ct);
        var level3 = await ProcessAllAsync(Open().Where(t => EF.Property<int>(t, SlaColumns.EscalationLevel) == (int)EscalationLevel.Level2
            && EF.Property<DateTime?>(t, SlaColumns.Level3DueAt) <= now), SlaCause.Level3, ct);
        var recomputed = startUp ? await RecomputeChangedPoliciesAsync(ct) : 0;
        var report = new SlaReconcileReport(overdue, rescheduled, recomputed, level3);
        if (overdue + rescheduled + recomputed + level3 > 0)
            log.LogInformation("SLA reconciler: {Overdue} overdue acted on, {Rescheduled} timers scheduled again, {Recomputed} recomputed for a changed policy, {Level3} level-3 checks",
                overdue, rescheduled, recomputed, level3);
        return report;
    }

    private IQueryable<Ticket> Open() =>
        db.Tickets.AsNoTracking().Where(t => t.Status == TicketStatus.New || t.Status == TicketStatus.Assigned || t.Status == TicketStatus.WaitingOnCustomer);

    private async Task<int> ProcessAllAsync(IQueryable<Ticket> query, SlaCause cause, CancellationToken ct, bool skipHeld = false)
    {
        var count = 0;
        long after = 0;
        while (true)
        {
            var page = await query.Where(t => t.Id > after).OrderBy(t => t.Id)
                .Select(t => new { t.Id, Version = EF.Property<int>(t, SlaColumns.Version) }).Take(PageSize).ToListAsync(ct);
            if (page.Count == 0) return count;
            foreach (var t in page)
            {
                // Held by this node's timers, only behind (a busy moment): they come to it; a second writer would only slow them.
                if (skipHeld && due.Holds(t.Id, t.Version)) continue;
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SlaProcessor>().ProcessAsync(t.Id, new SlaWork(cause, ForceSchedule: true), ct);
                count++;
            }
            after = page[^1].Id;
        }
    }

    /// <summary>
    /// Timers to schedule again: a version with no timer, and pending timers the store no longer
    /// holds. Looking each job up costs a store round trip, so only wake-ups within the look-ahead
    /// are checked each minute (the rest are checked as they come near); a start-up on a fresh
    /// in-memory store reschedules every one without looking.
    /// </summary>
    private async Task<int> RescheduleAsync(bool everything, DateTime now, CancellationToken ct)
    {
        var horizon = now + options.Value.ReconcileLookAhead;
        var count = 0;
        // Soonest wake-up first: after a restart with 100,000 timers lost, the next deadlines must not
        // wait behind the ones due next week. A ticket recomputed meanwhile may come round again.
        var seen = new HashSet<long>();
        (DateTime At, long Id) after = (DateTime.MinValue, 0);
        while (true)
        {
            var (afterAt, afterId) = after;
            var page = await Open()
                .Where(t => EF.Property<DateTime?>(t, SlaColumns.WakeUpAt) != null)
                .Where(t => EF.Property<DateTime?>(t, SlaColumns.WakeUpAt) > afterAt
                            || (EF.Property<DateTime?>(t, SlaColumns.WakeUpAt) == afterAt && t.Id > afterId))
                .Where(t => everything || EF.Property<int?>(t, SlaColumns.ScheduledVersion) != EF.Property<int>(t, SlaColumns.Version)
                            || EF.Property<string?>(t, SlaColumns.JobId) == null || EF.Property<DateTime?>(t, SlaColumns.WakeUpAt) <= horizon)
                .OrderBy(t => EF.Property<DateTime?>(t, SlaColumns.WakeUpAt)).ThenBy(t => t.Id)
                .Select(t => new
                {
                    t.Id,
                    Version = EF.Property<int>(t, SlaColumns.Version),
                    Scheduled = EF.Property<int?>(t, SlaColumns.ScheduledVersion),
                    JobId = EF.Property<string?>(t, SlaColumns.JobId),
                    WakeUpAt = EF.Property<DateTime?>(t, SlaColumns.WakeUpAt),
                })
                .Take(PageSize).ToListAsync(ct);
            if (page.Count == 0) return count;
            after = (page[^1].WakeUpAt!.Value, page[^1].Id);
            var jobOnly = new List<(long Id, int Version, string JobId)>();
            foreach (var t in page)
            {
                if (!seen.Add(t.Id)) continue;
                var consistent = t.Scheduled == t.Version;
                if (!everything && consistent && (due.Holds(t.Id, t.Version) || jobs.IsPendingFor(t.JobId, t.Id, t.Version))) continue;
                if (!consistent)
                {
                    // The figures may be older than the last change: recompute, which schedules.
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<SlaProcessor>().ProcessAsync(t.Id, new SlaWork(SlaCause.Reconcile, ForceSchedule: true), ct);
                }
                else
                    // The stored figures belong to this version: only the job is missing.
                    jobOnly.Add((t.Id, t.Version, jobs.ScheduleTimer(t.Id, t.Version, t.WakeUpAt!.Value, clock.GetUtcNow())));
                count++;
            }
            await StoreJobIdsAsync(jobOnly, ct);
        }
    }

    /// <summary>The new job ids of a page, in one transaction (one commit rather than one per ticket).</summary>
    private async Task StoreJobIdsAsync(List<(long Id, int Version, string JobId)> scheduled, CancellationToken ct)
    {
        if (scheduled.Count == 0) return;
        var strategy = db.Database.CreateExecutionStrategy();
        var lost = await strategy.ExecuteAsync(async ct2 =>
        {
            var missed = new List<string>();
            await using var tx = await db.Database.BeginTransactionAsync(ct2);
            foreach (var (id, version, jobId) in scheduled)
                if (await db.Tickets.Where(x => x.Id == id && EF.Property<int>(x, SlaColumns.Version) == version)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => EF.Property<string?>(x, SlaColumns.JobId), jobId), ct2) == 0)
                    missed.Add(jobId);
            await tx.CommitAsync(ct2);
            return missed;
        }, ct);
        // Those tickets changed meanwhile and have a newer timer.
        foreach (var jobId in lost) jobs.Forget(jobId);
    }

    private async Task<int> RecomputeChangedPoliciesAsync(CancellationToken ct)
    {
        var count = 0;
        long after = 0;
        var store = new SlaStore(db);
        while (true)
        {
            var ids = await Open().Where(t => t.Id > after).OrderBy(t => t.Id).Select(t => t.Id).Take(PageSize).ToListAsync(ct);
            if (ids.Count == 0) return count;
            after = ids[^1];
            foreach (var row in await store.ReadManyAsync(ids, ct))
            {
                if (string.Equals(row.PolicyKey, rules.Policies.Match(row.PolicySubject).Key, StringComparison.OrdinalIgnoreCase)) continue;
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SlaProcessor>().ProcessAsync(row.Id, new SlaWork(SlaCause.Reconcile, ForceSchedule: true), ct);
                count++;
            }
        }
    }
}

/// <summary>Bound from "Sla:Timers".</summary>
public sealed class SlaTimerOptions
{
    public const string Section = "Sla:Timers";
    /// <summary>How far ahead the minutely reconciler checks that each pending timer is still in the job store.</summary>
    public TimeSpan ReconcileLookAhead { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Cron of the reconciler (every minute).</summary>
    public string ReconcileCron { get; set; } = "* * * * *";
}
