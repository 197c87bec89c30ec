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

    /// <summary>The timers this node held until their wake-up, looked at together (one scope).</summary>
    public async Task ProcessTimersAsync(IReadOnlyList<SlaDueTimer> timers, CancellationToken ct)
    {
        foreach (var timer in timers)
        {
            var result = await ProcessAsync(timer.TicketId, new SlaWork(SlaCause.Timer, JobVersion: timer.Version), ct);
            // Scheduled just before its version was committed and already due: the commit is a moment away.
            if (result == SlaResult.NotYetCommitted && timer.Deferrals < MaxDeferrals)
                jobs.Defer(timer.TicketId, timer.Version, clock.GetUtcNow(), timer.Deferrals + 1);
        }
    }

    private const int MaxDeferrals = 5;

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
        if (open)
            foreach (var target in snapshot.Targets.Where(t => t.IsTicking))
            {
                var breached = target.State == SlaState.Breached;
                if (!breached && !target.WarningReached) continue;
                var decision = ladder.Escalate(state, breached ? EscalationTrigger.SlaBreach(target.Target) : EscalationTrigger.SlaWarning(target.Target), priority, now);
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
            var ticketActions = plan.Actions.Where(a => a is RecordEscalationEvent or MoveToQueue or RaisePriority).ToList();
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
        var events = plan.Alerts.Select(a => a.Breached
            ? (TicketEvent)new SlaBreached(written, a.Target, a.DueAt)
            : new SlaWarning(written, a.Target, a.DueAt)).ToList();
        // The ticket's own events first (the timeline entry reaches the consoles), then the SLA alerts.
        await publisher.PublishAsync(store.Db, ct);
        await publisher.PublishEventsAsync(events, ct);
        await actions.NotifyAsync(row, plan.State, plan.Actions, ct);
    }
}
