namespace Helpdesk.Core.Escalation;

/// <summary>
/// Where a ticket stands on the ladder; the Web layer stores it on the ticket.
/// <see cref="Reasons"/> holds every reason already acted on, so a repeated trigger (a retried
/// job, a customer who asks twice) does nothing.
/// </summary>
public sealed record EscalationState(EscalationLevel Level, DateTimeOffset? Since, DateTimeOffset? Level3DueAt, IReadOnlySet<string> Reasons)
{
    public static EscalationState None { get; } = new(EscalationLevel.None, null, null, new HashSet<string>());

    public bool IsEscalated => Level >= EscalationLevel.Level2;
}

public enum EscalationEventKind
{
    Escalated = 0,
    /// <summary>A new reason at or below the current level: recorded, no climb.</summary>
    Noted = 1,
    Deescalated = 2,
}

/// <summary>Something the caller must do. The ladder decides; the Web layer performs.</summary>
public abstract record EscalationAction;

/// <summary>Tell the assignee live in the console.</summary>
public sealed record NotifyAssignee(string Reason, string? Detail) : EscalationAction;

/// <summary>Tell the ticket team's supervisors (live in their console and/or by email).</summary>
public sealed record NotifySupervisors(bool Live, bool Email, string Reason, string? Detail) : EscalationAction;

public sealed record NotifyAdmins(string Reason, string? Detail) : EscalationAction;

/// <summary>Set the ticket's escalated flag (the queues show it).</summary>
public sealed record MarkEscalated : EscalationAction;

public sealed record ClearEscalated : EscalationAction;

/// <summary>Move the ticket to this queue of its team.</summary>
public sealed record MoveToQueue(string QueueKey) : EscalationAction;

public sealed record RaisePriority(Tickets.TicketPriority From, Tickets.TicketPriority To) : EscalationAction;

/// <summary>Run the level-3 check (<see cref="EscalationTrigger.StillEscalated"/>) at this instant.</summary>
public sealed record ScheduleLevel3Check(DateTimeOffset At) : EscalationAction;

/// <summary>Write a timeline event: every escalation and de-escalation with its reason.</summary>
public sealed record RecordEscalationEvent(EscalationEventKind Kind, EscalationLevel From, EscalationLevel To,
    string Reason, string? Detail, DateTimeOffset At) : EscalationAction;

public sealed record EscalationDecision(EscalationState State, IReadOnlyList<EscalationAction> Actions)
{
    public static EscalationDecision Nothing(EscalationState state) => new(state, []);

    public bool IsNothing => Actions.Count == 0;
}
