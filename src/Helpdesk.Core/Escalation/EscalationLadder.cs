using Helpdesk.Core.Sla;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Escalation;

public enum EscalationLevel
{
    None = 0,
    /// <summary>The assignee is told (SLA warning).</summary>
    Level1 = 1,
    /// <summary>The team's supervisors are told, the ticket is marked escalated (SLA breach).</summary>
    Level2 = 2,
    /// <summary>Admins are told and the priority goes up (still escalated after a further delay).</summary>
    Level3 = 3,
}

/// <summary>
/// The escalation ladder of a policy, and the rules that climb it (pure: the caller performs the
/// returned actions). Level 1 at the SLA warning tells the assignee; level 2 at a breach tells the
/// team's supervisors live and by email, marks the ticket escalated and can move it to a senior
/// queue; level 3, <see cref="Level3After"/> after level 2, tells admins and raises the priority.
/// Other triggers enter the same ladder at their <see cref="EntryLevels">entry level</see>.
/// </summary>
public sealed record EscalationLadder
{
    public static IReadOnlyDictionary<EscalationTriggerKind, EscalationLevel> DefaultEntryLevels { get; } =
        new Dictionary<EscalationTriggerKind, EscalationLevel>
        {
            [EscalationTriggerKind.SlaWarning] = EscalationLevel.Level1,
            [EscalationTriggerKind.SlaBreach] = EscalationLevel.Level2,
            [EscalationTriggerKind.StillEscalated] = EscalationLevel.Level3,
            // A customer who asks for a supervisor, or threatens the regulator or the press, needs a
            // supervisor now; a 1–2 star survey is a supervisor's to review.
            [EscalationTriggerKind.CustomerAskedForSupervisor] = EscalationLevel.Level2,
            [EscalationTriggerKind.TriageThreat] = EscalationLevel.Level2,
            [EscalationTriggerKind.LowSurveyScore] = EscalationLevel.Level2,
        };

    // After DefaultEntryLevels: static initialisers run in order and the default ladder uses it.
    public static EscalationLadder Default { get; } = new();

    public bool NotifyAssignee { get; init; } = true;
    public bool NotifySupervisorsLive { get; init; } = true;
    public bool EmailSupervisors { get; init; } = true;
    /// <summary>Queue key (within the ticket's team) that level 2 moves the ticket to; null keeps it where it is.</summary>
    public string? SeniorQueueKey { get; init; }
    /// <summary>How long after reaching level 2 the ticket climbs to level 3; null: the ladder stops at 2.</summary>
    public TimeSpan? Level3After { get; init; } = TimeSpan.FromHours(1);
    public bool RaisePriorityAtLevel3 { get; init; } = true;
    public IReadOnlyDictionary<EscalationTriggerKind, EscalationLevel> EntryLevels { get; init; } = DefaultEntryLevels;

    public EscalationLevel EntryLevelOf(EscalationTriggerKind kind) =>
        kind == EscalationTriggerKind.StillEscalated ? EscalationLevel.Level3
        : EntryLevels.TryGetValue(kind, out var level) ? level : DefaultEntryLevels[kind];

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Level3After is { } delay && delay <= TimeSpan.Zero)
            problems.Add($"the delay before escalation level 3 must be longer than zero, not {delay}.");
        foreach (var (kind, level) in EntryLevels)
            if (level is < EscalationLevel.Level1 or > EscalationLevel.Level3)
                problems.Add($"trigger {kind} must enter the ladder at level 1, 2 or 3, not {level}.");
        if (SeniorQueueKey is { } queue && string.IsNullOrWhiteSpace(queue))
            problems.Add("the senior queue key is blank; leave it out to keep tickets in their queue.");
        return problems;
    }

    /// <summary>
    /// What to do about a trigger. Climbing performs every crossed level's actions in order; a
    /// trigger whose reason is already recorded does nothing (a retried job is harmless); a new
    /// reason at or below the current level is recorded and its level's audience told, and
    /// nothing else changes. The level-3 trigger acts only when it is due.
    /// </summary>
    public EscalationDecision Escalate(EscalationState current, EscalationTrigger trigger, TicketPriority priority, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(trigger);
        if (trigger.Kind == EscalationTriggerKind.StillEscalated
            && (current.Level != EscalationLevel.Level2 || current.Level3DueAt is not { } due || now < due))
            return EscalationDecision.Nothing(current);
        if (current.Reasons.Contains(trigger.Reason))
            return EscalationDecision.Nothing(current);

        var target = EntryLevelOf(trigger.Kind);
        var reasons = new HashSet<string>(current.Reasons) { trigger.Reason };
        var actions = new List<EscalationAction>();

        if (target <= current.Level)
        {
            actions.AddRange(Audience(target, trigger));
            actions.Add(new RecordEscalationEvent(EscalationEventKind.Noted, current.Level, current.Level, trigger.Reason, trigger.Detail, now));
            return new EscalationDecision(current with { Reasons = reasons }, actions);
        }

        var state = current with { Level = target, Since = now, Reasons = reasons };
        for (var level = current.Level + 1; level <= target; level++)
            switch (level)
            {
                case EscalationLevel.Level1:
                    actions.AddRange(Audience(level, trigger));
                    break;
                case EscalationLevel.Level2:
                    actions.AddRange(Audience(level, trigger));
                    actions.Add(new MarkEscalated());
                    if (SeniorQueueKey is { } queue) actions.Add(new MoveToQueue(queue));
                    if (Level3After is { } delay)
                    {
                        state = state with { Level3DueAt = now + delay };
                        actions.Add(new ScheduleLevel3Check(now + delay));
                    }
                    break;
                case EscalationLevel.Level3:
                    actions.AddRange(Audience(level, trigger));
                    if (RaisePriorityAtLevel3 && priority < TicketPriority.Urgent)
                        actions.Add(new RaisePriority(priority, priority + 1));
                    state = state with { Level3DueAt = null };
                    break;
            }
        actions.Add(new RecordEscalationEvent(EscalationEventKind.Escalated, current.Level, target, trigger.Reason, trigger.Detail, now));
        return new EscalationDecision(state, actions);
    }

    /// <summary>Back to no escalation (the ticket was resolved, or a supervisor cleared it). Queue and priority stay as they are.</summary>
    public EscalationDecision Deescalate(EscalationState current, DeescalationReason reason, DateTimeOffset now, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.Level == EscalationLevel.None && current.Reasons.Count == 0)
            return EscalationDecision.Nothing(current);
        var actions = new List<EscalationAction>();
        if (current.Level >= EscalationLevel.Level2) actions.Add(new ClearEscalated());
        actions.Add(new RecordEscalationEvent(EscalationEventKind.Deescalated, current.Level, EscalationLevel.None,
            DeescalationReasons.Code(reason), detail, now));
        return new EscalationDecision(EscalationState.None, actions);
    }

    private IEnumerable<EscalationAction> Audience(EscalationLevel level, EscalationTrigger trigger)
    {
        switch (level)
        {
            case EscalationLevel.Level1 when NotifyAssignee:
                yield return new NotifyAssignee(trigger.Reason, trigger.Detail);
                break;
            case EscalationLevel.Level2 when NotifySupervisorsLive || EmailSupervisors:
                yield return new NotifySupervisors(NotifySupervisorsLive, EmailSupervisors, trigger.Reason, trigger.Detail);
                break;
            case EscalationLevel.Level3:
                yield return new NotifyAdmins(trigger.Reason, trigger.Detail);
                break;
        }
    }
}
