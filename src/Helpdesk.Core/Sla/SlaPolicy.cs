using Helpdesk.Core.Customers;
using Helpdesk.Core.Escalation;
using Helpdesk.Core.Tickets;
using Helpdesk.Core.Triage;

namespace Helpdesk.Core.Sla;

/// <summary>The promises a ticket runs against.</summary>
public enum SlaTarget
{
    /// <summary>From the ticket's creation to the first public agent reply.</summary>
    FirstResponse = 0,
    /// <summary>From a customer message that waits for an answer to the next public agent reply.</summary>
    NextResponse = 1,
    /// <summary>From the ticket's creation to its resolution.</summary>
    Resolution = 2,
}

public enum SlaTimeMode
{
    /// <summary>Counted in the policy's business calendar.</summary>
    Business = 0,
    /// <summary>Counted in wall-clock time, day and night.</summary>
    Calendar = 1,
}

/// <summary>One target of a policy: "within 4 business hours", "within 30 seconds".</summary>
public sealed record SlaGoal
{
    public SlaGoal(TimeSpan within, SlaTimeMode mode = SlaTimeMode.Business)
    {
        if (within <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(within), within, "An SLA target must be longer than zero.");
        Within = within;
        Mode = mode;
    }

    public TimeSpan Within { get; }
    public SlaTimeMode Mode { get; }

    public static SlaGoal BusinessMinutes(double minutes) => new(TimeSpan.FromMinutes(minutes), SlaTimeMode.Business);
    public static SlaGoal BusinessHours(double hours) => new(TimeSpan.FromHours(hours), SlaTimeMode.Business);
    public static SlaGoal CalendarMinutes(double minutes) => new(TimeSpan.FromMinutes(minutes), SlaTimeMode.Calendar);
    public static SlaGoal CalendarSeconds(double seconds) => new(TimeSpan.FromSeconds(seconds), SlaTimeMode.Calendar);
}

/// <summary>What a policy is matched against; the Web layer fills it from the ticket and its customer.</summary>
/// <param name="CustomerTier">Null when the ticket has no known customer; a tier condition then does not match.</param>
/// <param name="TeamKey">The team's stable key ("after-sales"), null when no team owns the ticket.</param>
/// <param name="Handling">Triage's handling mode of a complaint (money, account and faults at once); null when none was decided.</param>
public sealed record SlaSubject(TicketChannel Channel, TicketType Type, TicketPriority Priority,
    CustomerTier? CustomerTier = null, string? TeamKey = null, HandlingMode? Handling = null);

/// <summary>
/// When a policy applies. Each condition is optional (null or empty: any value) and lists the
/// values it accepts; all given conditions must hold. No conditions at all is the catch-all.
/// </summary>
public sealed record SlaConditions
{
    public static SlaConditions Any { get; } = new();

    public IReadOnlySet<TicketChannel>? Channels { get; init; }
    public IReadOnlySet<TicketType>? Types { get; init; }
    public IReadOnlySet<TicketPriority>? Priorities { get; init; }
    public IReadOnlySet<CustomerTier>? CustomerTiers { get; init; }
    /// <summary>Team keys, compared without regard to case.</summary>
    public IReadOnlySet<string>? TeamKeys { get; init; }
    /// <summary>Handling modes; a ticket without one (not a triaged complaint) does not match a non-empty set.</summary>
    public IReadOnlySet<HandlingMode>? HandlingModes { get; init; }

    public bool IsCatchAll =>
        IsEmpty(Channels) && IsEmpty(Types) && IsEmpty(Priorities) && IsEmpty(CustomerTiers) && IsEmpty(TeamKeys) && IsEmpty(HandlingModes);

    public bool Matches(SlaSubject subject) =>
        Accepts(Channels, subject.Channel)
        && Accepts(Types, subject.Type)
        && Accepts(Priorities, subject.Priority)
        && (IsEmpty(CustomerTiers) || subject.CustomerTier is { } tier && CustomerTiers!.Contains(tier))
        && (IsEmpty(TeamKeys) || subject.TeamKey is { } team && TeamKeys!.Any(k => string.Equals(k, team, StringComparison.OrdinalIgnoreCase)))
        && (IsEmpty(HandlingModes) || subject.Handling is { } mode && HandlingModes!.Contains(mode));

    private static bool Accepts<T>(IReadOnlySet<T>? accepted, T value) => IsEmpty(accepted) || accepted!.Contains(value);

    private static bool IsEmpty<T>(IReadOnlySet<T>? set) => set is null || set.Count == 0;
}

/// <summary>
/// An SLA policy (服务级别协议): which tickets it covers, its targets, when it warns, which statuses
/// stop its clocks, the calendar its business time uses, and its escalation ladder. Policies are
/// tried in <see cref="Order"/>; the first that matches applies (<see cref="SlaPolicySet"/>).
/// </summary>
public sealed record SlaPolicy
{
    public const double DefaultWarningThreshold = 0.8;

    public static IReadOnlySet<TicketStatus> DefaultPausingStatuses { get; } = new HashSet<TicketStatus> { TicketStatus.WaitingOnCustomer };

    /// <summary>Stable key used by configuration and stored on the ticket ("email-default").</summary>
    public required string Key { get; init; }
    public string Name { get; init; } = "";
    public string NameZh { get; init; } = "";
    /// <summary>Place in the matching order, lowest first; each policy has its own.</summary>
    public required int Order { get; init; }
    public SlaConditions Conditions { get; init; } = SlaConditions.Any;
    /// <summary>The business calendar for targets in <see cref="SlaTimeMode.Business"/>.</summary>
    public string CalendarKey { get; init; } = DefaultBusinessCalendar.Key;

    public SlaGoal? FirstResponse { get; init; }
    public SlaGoal? NextResponse { get; init; }
    public SlaGoal? Resolution { get; init; }

    /// <summary>Share of a target after which the ticket warns (level 1 of the ladder).</summary>
    public double WarningThreshold { get; init; } = DefaultWarningThreshold;

    /// <summary>Open statuses in which every clock of the ticket stands still.</summary>
    public IReadOnlySet<TicketStatus> PausingStatuses { get; init; } = DefaultPausingStatuses;

    public EscalationLadder Escalation { get; init; } = EscalationLadder.Default;

    public SlaGoal? GoalFor(SlaTarget target) => target switch
    {
        SlaTarget.FirstResponse => FirstResponse,
        SlaTarget.NextResponse => NextResponse,
        SlaTarget.Resolution => Resolution,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
    };

    /// <summary>The problems of this policy as sentences, empty when it is sound.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Key))
            problems.Add("An SLA policy needs a key.");
        if (WarningThreshold is <= 0 or >= 1 || double.IsNaN(WarningThreshold))
            problems.Add($"Policy '{Key}': the warning threshold must lie between 0 and 1 (exclusive), not {WarningThreshold}.");
        foreach (var status in PausingStatuses.Where(s => !TicketLifecycle.IsOpen(s)))
            problems.Add($"Policy '{Key}': {status} cannot pause the clocks; only open statuses can (a closed ticket's clocks stop anyway).");
        if (FirstResponse is null && NextResponse is null && Resolution is null)
            problems.Add($"Policy '{Key}' has no target; give it a first response, next response or resolution target.");
        if (string.IsNullOrWhiteSpace(CalendarKey))
            problems.Add($"Policy '{Key}' needs a calendar key.");
        problems.AddRange(Escalation.Problems().Select(p => $"Policy '{Key}': {p}"));
        return problems;
    }
}
