using Helpdesk.Core.Sla;

namespace Helpdesk.Core.Escalation;

public enum EscalationTriggerKind
{
    SlaWarning = 0,
    SlaBreach = 1,
    /// <summary>The level-3 check: the ticket is still at level 2 after the ladder's further delay.</summary>
    StillEscalated = 2,
    CustomerAskedForSupervisor = 3,
    TriageThreat = 4,
    LowSurveyScore = 5,
}

/// <summary>Something that may escalate a ticket, with its reason code for the timeline.</summary>
public sealed record EscalationTrigger
{
    private EscalationTrigger(EscalationTriggerKind kind, SlaTarget? target, string? detail)
    {
        Kind = kind;
        Target = target;
        Detail = detail;
    }

    public EscalationTriggerKind Kind { get; }
    public SlaTarget? Target { get; }
    /// <summary>Free text for people: the phrase the customer used, the survey's score.</summary>
    public string? Detail { get; }

    /// <summary>Stable code: "sla_breach:first_response", "customer_asked_for_supervisor".</summary>
    public string Reason => Target is { } target ? $"{KindCode(Kind)}:{TargetCode(target)}" : KindCode(Kind);

    public static EscalationTrigger SlaWarning(SlaTarget target) => new(EscalationTriggerKind.SlaWarning, target, null);
    public static EscalationTrigger SlaBreach(SlaTarget target) => new(EscalationTriggerKind.SlaBreach, target, null);
    public static EscalationTrigger StillEscalated() => new(EscalationTriggerKind.StillEscalated, null, null);
    public static EscalationTrigger CustomerAskedForSupervisor(string? phrase = null) => new(EscalationTriggerKind.CustomerAskedForSupervisor, null, phrase);
    public static EscalationTrigger TriageThreat(string? detail = null) => new(EscalationTriggerKind.TriageThreat, null, detail);
    public static EscalationTrigger LowSurveyScore(int stars) => new(EscalationTriggerKind.LowSurveyScore, null, $"{stars}/5");

    public static string TargetCode(SlaTarget target) => target switch
    {
        SlaTarget.FirstResponse => "first_response",
        SlaTarget.NextResponse => "next_response",
        SlaTarget.Resolution => "resolution",
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
    };

    private static string KindCode(EscalationTriggerKind kind) => kind switch
    {
        EscalationTriggerKind.SlaWarning => "sla_warning",
        EscalationTriggerKind.SlaBreach => "sla_breach",
        EscalationTriggerKind.StillEscalated => "still_escalated",
        EscalationTriggerKind.CustomerAskedForSupervisor => "customer_asked_for_supervisor",
        EscalationTriggerKind.TriageThreat => "triage_threat",
        EscalationTriggerKind.LowSurveyScore => "low_survey_score",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

public enum DeescalationReason
{
    Resolved = 0,
    SupervisorCleared = 1,
}

public static class DeescalationReasons
{
    public static string Code(DeescalationReason reason) => reason switch
    {
        DeescalationReason.Resolved => "resolved",
        DeescalationReason.SupervisorCleared => "supervisor_cleared",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
