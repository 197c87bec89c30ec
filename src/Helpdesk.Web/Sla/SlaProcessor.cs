using Helpdesk.Core.Escalation;
using Helpdesk.Core.Sla;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Escalation;
using Helpdesk.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Sla;

public enum SlaCause
{
    /// <summary>Something happened to the ticket (message, status, priority, team).</summary>
    TicketChanged,
    /// <summary>The ticket's timer job fired.</summary>
    Timer,
    /// <summary>The level-3 check of the ladder.</summary>
    Level3,
    /// <summary>The reconciler found the ticket needing a look.</summary>
    Reconcile,
    /// <summary>Another feature raised a trigger (a customer's request, triage, a survey).</summary>
    Trigger,
    /// <summary>A supervisor clears the escalation.</summary>
    Clear,
}

/// <summary>One request to look at a ticket's SLA.</summary>
/// <param name="JobVersion">For a timer job: the SLA version it was scheduled for.</param>
/// <param name="Closed">The ticket moved to a closed status: de-escalate (resolution ends an escalation).</param>
public sealed record SlaWork(SlaCause Cause, int? JobVersion = null, EscalationTrigger? Trigger = null, bool Closed = false,
    string? Detail = null, bool ForceSchedule = false);

public enum SlaResult { Missing, Stale, NotYetCommitted, Unchanged, Written, NotEscalated, Conflict }

/// <summary>
/// Evaluates a ticket's SLA clocks (Core's <see cref="SlaClock"/>) against the policy it matches
/// now, climbs the escalation ladder for every warning and breach reached (and for a trigger it is
/// given), stores the figures and the escalation state under the SLA version guard, performs the
/// ladder's actions, and schedules the one timer job at the next wake-up. Everything is recomputed
/// from the stored history each time, so a retried job, a second node or a lost event does no harm:
/// the reasons already acted on make a repeat do nothing.
/// </summary>
public sealed class SlaProcessor(SlaStore store, SlaRules rules, SlaJobs jobs, EscalationActions actions,
    TicketEventPublisher publisher, TimeProvider clock, ILogger<SlaProcessor> log)
{
    private const int MaxAttempts = 8;

    public async Task<SlaResult> ProcessAsync(long ticketId, SlaWork work, CancellationToken ct)
    {
        var db = store.Db;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            db.ChangeTracker.Clear();
            var row = await store.ReadAsync(ticketId, ct);
            if (row is null) return SlaResult.Missing;
            if (work.JobVersion is { } version && row.SlaVersion != version)
                return row.SlaVersion > version ? SlaResult.Stale : SlaResult.NotYetCommitted;

            var now = clock.GetUtcNow();
            var policy = rules.Policies.Match(row.PolicySubject);
            var snapshot = SlaClock.Evaluate(policy, rules.CalendarOf(policy), await store.TimelineAsync(row, ct), now);
            var plan = Decide(row, policy, snapshot, work, now);
            if (plan is null) return SlaResult.NotEscalated;
            var figures = SlaFigures.From(policy, snapshot, plan.State, now);

            var stateChanged = !Same(plan.State, row.Escalation);
            var figuresChanged = figures != row.Figures;
            var jobCurrent = row.ScheduledVersion == row.SlaVersion && row.JobId is not null;
            var needJob = figures.WakeUpAt is not null && (work.ForceSchedule || work.JobVersion is not null || !jobCurrent);
            if (!stateChanged && !figuresChanged && !needJob)
                return SlaResult.Unchanged;

            // The next timer is scheduled before the commit so that no committed version is ever
            // without one; a timer that runs before the commit sees the older version and looks again.
            var newVersion = row.SlaVersion + 1;
            var jobId = figures.WakeUpAt is { } wake ? jobs.ScheduleTimer(row.Id, newVersion, wake, now) : null;
            var written = await WriteAsync(row, policy, snapshot, figures, plan, jobId, newVersion,
                writeOutcomes: work.Cause != SlaCause.Timer && (figuresChanged || work.Cause == SlaCause.Reconcile), now, ct);
            if (!written.Ok)
            {
                jobs.Forget(jobId);
                continue;
            }
            // A timer that ran is done with; any other pending one is now stale.
            if (row.JobId != jobId && work.Cause != SlaCause.Timer) jobs.Forget(row.JobId);
            await AfterCommitAsync(row, written.Ticket, plan, ct);
            return SlaResult.Written;
        }
        log.LogWarning("SLA of ticket {TicketId} not stored after {Attempts} attempts: other writers kept changing it", ticketId, MaxAttempts);
        return SlaResult.Conflict;
    }

    /// <summary>
    /// The timers this node held until their wake-up, looked at together: one read of their rows and
    /// histories, one transaction for all their writes (one commit, not one per ticket), then the
    /// notices. A ticket whose row changed meanwhile, or a batch that clashes, falls back to the
    /// one-ticket path, which re-reads and retries.
    /// </summary>
    public async Task ProcessTimersAsync(IReadOnlyList<SlaDueTimer> timers, CancellationToken ct)
    {
        var db = store.Db;
        db.ChangeTracker.Clear();
        var rows = (await store.ReadManyAsync(timers.Select(t => t.TicketId).Distinct().ToList(), ct)).ToDictionary(r => r.Id);
        var timelines = await store.TimelinesAsync(rows.Values.ToList(), ct);
        var now = clock.GetUtcNow();
        var planned = new List<Planned>();
        foreach (var timer in timers)
        {
            if (!rows.TryGetValue(timer.TicketId, out var row)) continue;
            if (row.SlaVersion != timer.Version)
            {
                // Scheduled just before its version was committed and already due: the commit is a moment away.
                if (row.SlaVersion < timer.Version && timer.Deferrals < MaxDeferrals)
                    jobs.Defer(timer.TicketId, timer.Version, now, timer.Deferrals + 1);
                continue;
            }
            var policy = rules.Policies.Match(row.PolicySubject);
            var snapshot = SlaClock.Evaluate(policy, rules.CalendarOf(policy), timelines[row.Id], now);
            var plan = Decide(row, policy, snapshot, new SlaWork(SlaCause.Timer, JobVersion: timer.Version), now)!;
            var figures = SlaFigures.From(policy, snapshot, plan.State, now);
            if (figures.WakeUpAt is null && figures == row.Figures && Same(plan.State, row.Escalation)) continue;
            var newVersion = row.SlaVersion + 1;
            var jobId = figures.WakeUpAt is { } wake ? jobs.ScheduleTimer(row.Id, newVersion, wake, now) : null;
            planned.Add(new Planned(row, policy, snapshot, figures, plan, jobId, newVersion));
        }
        if (planned.Count == 0) return;

        var written = await WriteBatchAsync(planned, now, ct);
        if (written is null)
        {
            foreach (var p in planned) jobs.Forget(p.JobId);
            foreach (var p in planned)
                await ProcessAsync(p.Row.Id, new SlaWork(SlaCause.Timer, JobVersion: p.Row.SlaVersion), ct);
            return;
        }
        var (stored, clashed) = written.Value;
        foreach (var p in clashed)
        {
            jobs.Forget(p.JobId);
            await ProcessAsync(p.Row.Id, new SlaWork(SlaCause.Timer), ct);
        }
        if (stored.Count == 0) return;
        // The tickets' own events first (timeline entries reach the consoles), then the SLA alerts and the notices.
        // Looked up once: every ChangeTracker.Entries call detects changes over the whole batch.
        var tracked = db.ChangeTracker.Entries<Ticket>().ToDictionary(e => e.Entity.Id, e => e.Entity);
        await publisher.PublishAsync(tracked.Values, ct);
        foreach (var p in stored.Where(p => p.Plan.Actions.Count > 0))
        {
            if (!tracked.TryGetValue(p.Row.Id, out var ticket)) continue;
            await publisher.PublishEventsAsync(Alerts(ticket, p.Plan), ct);
            await actions.NotifyAsync(p.Row, p.Plan.State, p.Plan.Actions, ct);
        }
    }

    private sealed record Planned(SlaRow Row, SlaPolicy Policy, SlaSnapshot Snapshot, SlaFigures Figures, Plan Plan, string? JobId, int NewVersion);

    /// <summary>All the batch's writes in one transaction; null when the tickets' own save clashed (then nothing is stored).</summary>
    private async Task<(List<Planned> Stored, List<Planned> Clashed)?> WriteBatchAsync(List<Planned> planned, DateTimeOffset now, CancellationToken ct)
    {
        var db = store.Db;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync<(List<Planned>, List<Planned>)?>(async ct2 =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct2);
            var stored = new List<Planned>(planned.Count);
            var clashed = new List<Planned>();
            foreach (var p in planned)
                (await store.TryUpdateAsync(p.Row.Id, p.Row.SlaVersion, p.Figures, p.Plan.State, p.JobId is null ? null : p.NewVersion, p.JobId, ct2)
                    ? stored : clashed).Add(p);
            var touching = stored.Where(p => p.Plan.Actions.Any(IsTicketAction)).ToList();
            if (touching.Count > 0)
            {
                var ids = touching.Select(p => p.Row.Id).ToList();
                var tickets = await db.Tickets.Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct2);
                foreach (var p in touching)
                    foreach (var action in p.Plan.Actions.Where(IsTicketAction))
                        await actions.ApplyToTicketAsync(tickets[p.Row.Id], action, now.UtcDateTime, ct2);
                try
                {
                    await db.SaveChangesAsync(ct2);
                }
                catch (DbUpdateConcurrencyException)
                {
                    await tx.RollbackAsync(ct2);
                    return null;
                }
            }
            await tx.CommitAsync(ct2);
            return (stored, clashed);
        }, ct);
    }

    private static bool IsTicketAction(EscalationAction a) => a is RecordEscalationEvent or MoveToQueue or RaisePriority;

    private static List<TicketEvent> Alerts(Ticket ticket, Plan plan) =>
        plan.Alerts.Select(a => a.Breached ? (TicketEvent)new SlaBreached(ticket, a.Target, a.DueAt) : new SlaWarning(ticket, a.Target, a.DueAt)).ToList();

    private const int MaxDeferrals = 5;

    /// <summary>How long past a deadline may be on a ticket's first look and still escalate (a timer a little late, not history).</summary>
    private static readonly TimeSpan HistoryGrace = TimeSpan.FromMinutes(30);

    private sealed record Plan(EscalationState State, List<EscalationAction> Actions, List<(SlaTarget Target, bool Breached, DateTimeOffset? DueAt)> Alerts);

    /// <summary>The ladder's decisions for this look; null when a clear was asked of a ticket that is not escalated.</summary>
    private static Plan? Decide(SlaRow row, SlaPolicy policy, SlaSnapshot snapshot, SlaWork work, DateTimeOffset now)
    {
        var ladder = policy.Escalation;
        var state = Prune(row.Escalation, snapshot);
        var acts = new List<EscalationAction>();
        var alerts = new List<(SlaTarget, bool, DateTimeOffset?)>();
        var priority = row.Priority;
        void Apply(EscalationDecision d)
        {
            state = d.State;
            acts.AddRange(d.Actions);
            if (d.Actions.OfType<RaisePriority>().LastOrDefault() is { } raised) priority = raised.To;
        }

        var open = TicketLifecycle.IsOpen(row.Status);
        if (work.Closed && !open && state.Level > EscalationLevel.None)
            Apply(ladder.Deescalate(state, DeescalationReason.Resolved, now));
        if (work.Cause == SlaCause.Clear)
        {
            if (state.Level == EscalationLevel.None) return null;
            Apply(ladder.Deescalate(state, DeescalationReason.SupervisorCleared, now, work.Detail));
            // A cleared ticket is not escalated again for the warnings and breaches it already had.
            state = state with { Reasons = ReachedReasons(snapshot) };
        }
        // Seen for the first time with a deadline long past (tickets from before the SLA feature, an
        // import, the demo's history): recorded as reached, not escalated; climbing the ladder for
        // days-old history would only flood the supervisors' consoles and mailboxes.
        var firstLook = row.SlaVersion == 0 && row.PolicyKey is null;
        if (open)
            foreach (var target in snapshot.Targets.Where(t => t.IsTicking))
            {
                var breached = target.State == SlaState.Breached;
                if (!breached && !target.WarningReached) continue;
                var reachedTrigger = breached ? EscalationTrigger.SlaBreach(target.Target) : EscalationTrigger.SlaWarning(target.Target);
                if (firstLook && (breached ? target.DueAt : target.WarningAt) is { } reached && reached < now - HistoryGrace)
                {
                    state = state with { Reasons = new HashSet<string>(state.Reasons) { reachedTrigger.Reason } };
                    continue;
                }
                var decision = ladder.Escalate(state, reachedTrigger, priority, now);
                if (decision.IsNothing) continue;
                Apply(decision);
                alerts.Add((target.Target, breached, target.DueAt));
            }
        if (work.Trigger is { } trigger)
            Apply(ladder.Escalate(state, trigger, priority, now));
        if (state.Level == EscalationLevel.Level2 && state.Level3DueAt <= now)
            Apply(ladder.Escalate(state, EscalationTrigger.StillEscalated(), priority, now));
        return new Plan(state, acts, alerts);
    }

    /// <summary>
    /// A new next-response cycle may warn and breach again: its reasons are forgotten once the
    /// latest cycle is running and has not reached them (the level stays; a repeat is "noted").
    /// </summary>
    private static EscalationState Prune(EscalationState state, SlaSnapshot snapshot)
    {
        if (snapshot.For(SlaTarget.NextResponse) is not { IsStopped: false } next || state.Reasons.Count == 0) return state;
        var code = EscalationTrigger.TargetCode(SlaTarget.NextResponse);
        var reasons = state.Reasons.Where(r =>
            !(r == $"sla_warning:{code}" && !next.WarningReached) && !(r == $"sla_breach:{code}" && next.State != SlaState.Breached)).ToHashSet();
        return reasons.Count == state.Reasons.Count ? state : state with { Reasons = reasons };
    }

    private static HashSet<string> ReachedReasons(SlaSnapshot snapshot)
    {
        var reasons = new HashSet<string>();
        foreach (var t in snapshot.Targets.Where(t => t.IsTicking))
        {
            if (t.WarningReached) reasons.Add(EscalationTrigger.SlaWarning(t.Target).Reason);
            if (t.State == SlaState.Breached) reasons.Add(EscalationTrigger.SlaBreach(t.Target).Reason);
        }
        return reasons;
    }

    private static bool Same(EscalationState a, EscalationState b) =>
        a.Level == b.Level && a.Since == b.Since && a.Level3DueAt == b.Level3DueAt && a.Reasons.SetEquals(b.Reasons);

    /// <summary>One transaction: the guarded SLA columns, the ticket's own changes (timeline event, queue, priority), the outcomes. Null on a clash.</summary>
    private async Task<(bool Ok, Ticket? Ticket)> WriteAsync(SlaRow row, SlaPolicy policy, SlaSnapshot snapshot, SlaFigures figures, Plan plan,
        string? jobId, int newVersion, bool writeOutcomes, DateTimeOffset now, CancellationToken ct)
    {
        var db = store.Db;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct2 =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct2);
            if (!await store.TryUpdateAsync(row.Id, row.SlaVersion, figures, plan.State, jobId is null ? null : newVersion, jobId, ct2))
                return (false, null);
            Ticket? ticket = null;
            var ticketActions = plan.Actions.Where(IsTicketAction).ToList();
            if (ticketActions.Count > 0)
            {
                ticket = await db.Tickets.SingleAsync(t => t.Id == row.Id, ct2);
                foreach (var action in ticketActions)
                    await actions.ApplyToTicketAsync(ticket, action, now.UtcDateTime, ct2);
                try
                {
                    await db.SaveChangesAsync(ct2);
                }
                catch (DbUpdateConcurrencyException)
                {
                    return (false, null);
                }
            }
            if (writeOutcomes)
                await store.ReplaceOutcomesAsync(row.Id, policy, snapshot, ct2);
            await tx.CommitAsync(ct2);
            return (true, ticket);
        }, ct);
    }

    private async Task AfterCommitAsync(SlaRow row, Ticket? written, Plan plan, CancellationToken ct)
    {
        if (plan.Actions.Count == 0 || written is null) return;
        var events = Alerts(written, plan);
        // The ticket's own events first (the timeline entry reaches the consoles), then the SLA alerts.
        await publisher.PublishAsync(store.Db, ct);
        await publisher.PublishEventsAsync(events, ct);
        await actions.NotifyAsync(row, plan.State, plan.Actions, ct);
    }
}
