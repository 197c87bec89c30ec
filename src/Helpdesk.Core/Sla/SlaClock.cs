using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Sla;

public enum SlaState
{
    /// <summary>The clock is counting and the target is not yet missed.</summary>
    Running = 0,
    /// <summary>The ticket is in a pausing status; the deadline moves on by the paused time.</summary>
    Paused = 1,
    /// <summary>Stopped within the target.</summary>
    Met = 2,
    /// <summary>The target was missed: stopped too late, or still open past the deadline.</summary>
    Breached = 3,
}

/// <summary>
/// Where one target of a ticket stands at a given instant. <see cref="Cycle"/> counts next-response
/// clocks (1, 2, ...); first response and resolution have only cycle 1.
/// <see cref="DueAt"/> and <see cref="WarningAt"/> are null while paused before being reached: the
/// deadline is not known until the clock runs again. For a stopped clock they are the deadline as it
/// stood when the clock stopped. <see cref="Taken"/> is business time for business targets and
/// wall-clock time for calendar ones.
/// </summary>
public sealed record SlaTargetStatus(
    SlaTarget Target,
    int Cycle,
    SlaGoal Goal,
    SlaState State,
    DateTimeOffset StartedAt,
    DateTimeOffset? StoppedAt,
    DateTimeOffset? WarningAt,
    DateTimeOffset? DueAt,
    TimeSpan Taken,
    bool WarningReached)
{
    public bool IsStopped => StoppedAt is not null;

    /// <summary>Counting now: neither stopped nor paused (it may already be breached).</summary>
    public bool IsTicking => StoppedAt is null && State != SlaState.Paused;

    public TimeSpan Remaining => Taken < Goal.Within ? Goal.Within - Taken : TimeSpan.Zero;

    public TimeSpan Overdue => Taken > Goal.Within ? Taken - Goal.Within : TimeSpan.Zero;
}

/// <summary>A finished clock, for reports: which target, met or breached, how long it took.</summary>
public sealed record SlaOutcome(
    SlaTarget Target,
    int Cycle,
    bool Met,
    TimeSpan Taken,
    SlaGoal Goal,
    DateTimeOffset StartedAt,
    DateTimeOffset StoppedAt);

/// <summary>Every target of a ticket at one instant, and the outcomes of its finished clocks.</summary>
public sealed record SlaSnapshot(DateTimeOffset At, IReadOnlyList<SlaTargetStatus> Targets, IReadOnlyList<SlaOutcome> Outcomes)
{
    /// <summary>The latest clock of a target, or null when the policy has no such target or none started.</summary>
    public SlaTargetStatus? For(SlaTarget target) => Targets.FirstOrDefault(t => t.Target == target);

    /// <summary>
    /// The next instant something happens by itself (a warning or a deadline of a ticking clock),
    /// for scheduling; null when nothing is pending.
    /// </summary>
    public DateTimeOffset? NextWakeUp =>
        Targets.Where(t => t.IsTicking)
            .SelectMany(t => new[] { t.WarningAt, t.DueAt })
            .Where(x => x > At)
            .Min();
}

/// <summary>
/// The SLA clocks of one ticket, computed from its timeline. Pure: the same policy, calendar,
/// timeline and instant always give the same answer, so the Web layer recomputes after every change
/// (message, status, priority or policy) instead of patching stored deadlines.
/// <para>Rules.</para>
/// <list type="bullet">
/// <item>First response runs from the opening to the first public agent reply. Resolution runs from the
/// opening to the move into a closed status (Resolved, Feedback received, Archived, Merged).</item>
/// <item>Next response: a customer message starts a clock when no response clock is running (the
/// first one after an agent reply, or the one that reopens a closed ticket); later customer
/// messages before the answer do not restart it. The next agent reply stops it.</item>
/// <item>Every clock stands still while the ticket is in one of the policy's pausing statuses; the
/// deadline moves on by the paused time.</item>
/// <item>Closing the ticket stops all its clocks: a response clock stopped by closing counts as
/// answered then (met if within its target). A customer reply that reopens the ticket resumes the
/// resolution clock (the time it lay resolved does not count) and starts a next-response clock.</item>
/// <item>A clock stopped exactly at its deadline is met.</item>
/// </list>
/// </summary>
public static class SlaClock
{
    public static SlaSnapshot Evaluate(SlaPolicy policy, BusinessCalendar calendar, SlaTimeline timeline, TimeProvider time) =>
        Evaluate(policy, calendar, timeline, time.GetUtcNow());

    public static SlaSnapshot Evaluate(SlaPolicy policy, BusinessCalendar calendar, SlaTimeline timeline, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(timeline);

        var cycles = Replay(policy, timeline, now);
        var latest = new Dictionary<SlaTarget, SlaTargetStatus>();
        var outcomes = new List<SlaOutcome>();
        foreach (var cycle in cycles)
        {
            if (policy.GoalFor(cycle.Target) is not { } goal) continue;
            var status = Measure(cycle, goal, policy.WarningThreshold, calendar, now);
            latest[cycle.Target] = status;
            if (status.StoppedAt is { } stopped)
                outcomes.Add(new SlaOutcome(cycle.Target, cycle.Number, status.State == SlaState.Met, status.Taken, goal, cycle.StartedAt, stopped));
        }
        var targets = Enum.GetValues<SlaTarget>().Where(latest.ContainsKey).Select(t => latest[t]).ToArray();
        return new SlaSnapshot(now, targets, outcomes);
    }

    /// <summary>Walks the timeline up to <paramref name="now"/>, cutting each clock into running spans.</summary>
    private static List<Cycle> Replay(SlaPolicy policy, SlaTimeline timeline, DateTimeOffset now)
    {
        var cycles = new List<Cycle>();
        Cycle? response = null;
        Cycle? resolution = null;
        var status = TicketStatus.New;
        var nextResponses = 0;

        Cycle Start(SlaTarget target, int number, DateTimeOffset at)
        {
            var cycle = new Cycle(target, number, at);
            cycles.Add(cycle);
            return cycle;
        }

        foreach (var e in timeline.Events)
        {
            if (e.At > now) break;
            switch (e)
            {
                case SlaTicketOpened opened:
                    status = opened.Status;
                    response = Start(SlaTarget.FirstResponse, 1, e.At);
                    resolution = Start(SlaTarget.Resolution, 1, e.At);
                    if (!TicketLifecycle.IsOpen(status))
                    {
                        response.Stop(e.At);
                        resolution.Stop(e.At);
                    }
                    break;
                case SlaCustomerMessage when response is null || response.IsStopped:
                    response = Start(SlaTarget.NextResponse, ++nextResponses, e.At);
                    break;
                case SlaAgentReply when response is { IsStopped: false }:
                    response.Stop(e.At);
                    break;
                case SlaStatusChange change:
                    var wasOpen = TicketLifecycle.IsOpen(status);
                    status = change.To;
                    if (!TicketLifecycle.IsOpen(status))
                    {
                        if (response is { IsStopped: false }) response.Stop(e.At);
                        if (resolution is { IsStopped: false }) resolution.Stop(e.At);
                    }
                    else if (!wasOpen && resolution is { IsStopped: true })
                    {
                        resolution.Resume();
                    }
                    break;
            }

            var runs = TicketLifecycle.IsOpen(status) && !policy.PausingStatuses.Contains(status);
            foreach (var cycle in cycles)
                cycle.Sync(runs, e.At);
        }
        return cycles;
    }

    private static SlaTargetStatus Measure(Cycle cycle, SlaGoal goal, double warningThreshold, BusinessCalendar business, DateTimeOffset now)
    {
        var calendar = goal.Mode == SlaTimeMode.Business ? business : BusinessCalendar.TwentyFourSeven;
        var target = goal.Within;
        var warnAfter = TimeSpan.FromTicks((long)(target.Ticks * warningThreshold));

        var spans = cycle.Spans.ToList();
        if (cycle.RunningSince is { } since) spans.Add((since, now));

        var taken = TimeSpan.Zero;
        var takenBeforeLast = TimeSpan.Zero;
        DateTimeOffset? due = null, warning = null;
        foreach (var (start, end) in spans)
        {
            var length = calendar.BusinessTimeBetween(start, end);
            due ??= taken + length >= target ? calendar.AddBusinessTime(start, target - taken) : null;
            warning ??= taken + length >= warnAfter ? calendar.AddBusinessTime(start, warnAfter - taken) : null;
            takenBeforeLast = taken;
            taken += length;
        }

        // Not reached yet: a ticking clock projects from its current span, a stopped one from where it
        // stopped; a paused one has no deadline until it runs again.
        DateTimeOffset? From(TimeSpan limit) =>
            cycle.RunningSince is { } running ? calendar.AddBusinessTime(running, limit - takenBeforeLast)
            : cycle.StoppedAt is { } stopped ? calendar.AddBusinessTime(stopped, limit - taken)
            : null;
        due ??= From(target);
        warning ??= From(warnAfter);

        var state = cycle.IsStopped ? (taken <= target ? SlaState.Met : SlaState.Breached)
            : taken > target ? SlaState.Breached
            : cycle.RunningSince is not null ? SlaState.Running
            : SlaState.Paused;
        return new SlaTargetStatus(cycle.Target, cycle.Number, goal, state, cycle.StartedAt, cycle.StoppedAt,
            warning, due, taken, taken >= warnAfter);
    }

    private sealed class Cycle(SlaTarget target, int number, DateTimeOffset startedAt)
    {
        private readonly List<(DateTimeOffset Start, DateTimeOffset End)> _spans = [];

        public SlaTarget Target { get; } = target;
        public int Number { get; } = number;
        public DateTimeOffset StartedAt { get; } = startedAt;
        public DateTimeOffset? RunningSince { get; private set; }
        public DateTimeOffset? StoppedAt { get; private set; }
        public bool IsStopped => StoppedAt is not null;
        public IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> Spans => _spans;

        public void Sync(bool runs, DateTimeOffset at)
        {
            if (IsStopped) return;
            if (runs && RunningSince is null) RunningSince = at;
            else if (!runs && RunningSince is { } since) Close(since, at);
        }

        public void Stop(DateTimeOffset at)
        {
            if (RunningSince is { } since) Close(since, at);
            StoppedAt = at;
        }

        public void Resume() => StoppedAt = null;

        private void Close(DateTimeOffset since, DateTimeOffset at)
        {
            if (at > since) _spans.Add((since, at));
            RunningSince = null;
        }
    }
}
