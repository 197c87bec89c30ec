using Helpdesk.Core.Customers;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Triage;

/// <summary>P1 is the most urgent. Priority follows it: P1 Urgent, P2 High, P3 Normal, P4 Low.</summary>
public enum TriageSeverity { P1 = 1, P2 = 2, P3 = 3, P4 = 4 }

/// <summary>
/// Design §5: money, account and fault complaints are handled at once; attitude and complex ones
/// are deferred (evidence first, the customer told when to expect an answer).
/// </summary>
public enum HandlingMode { Deferred = 0, Immediate = 1 }

[Flags]
public enum TriageFlags
{
    None = 0,
    /// <summary>Two or more complaints in 30 days.</summary>
    RepeatComplainant = 1,
    /// <summary>By CRM tier (战略合作伙伴, 大客户 by default).</summary>
    ImportantCustomer = 2,
    /// <summary>12315, 消协, the media, a lawyer, a chargeback...: the escalation ladder starts at once.</summary>
    RegulatorOrMediaThreat = 4,
    AbusiveLanguage = 8,
    MoneyAtStake = 16,
}

/// <summary>What the engine is told about one message.</summary>
/// <param name="Text">The subject and/or the message body.</param>
/// <param name="CustomerTier">From the CRM record, when the customer is known.</param>
/// <param name="EarlierComplaints">The customer's other complaints in the last 30 days.</param>
public sealed record TriageInput(string Text, CustomerTier? CustomerTier = null, int EarlierComplaints = 0);

/// <summary>One rule that fired (or was cancelled by a negator), with what it matched.</summary>
/// <param name="Weight">The weight as counted: intensified, flipped or zero when negated.</param>
/// <param name="Spans">Where in the original text, and the text itself.</param>
public sealed record FiredRule(string RuleId, TriageTarget Target, string? Value, double RuleWeight, double Weight,
    bool Negated, bool Intensified, IReadOnlyList<MatchedSpan> Spans);

public sealed record MatchedSpan(int Start, int Length, string Text);

public sealed record TypeScores(double Inquiry, double Complaint, double Suggestion);

/// <summary>The engine's answer for one message, with its reasons.</summary>
public sealed record TriageOutcome(
    int RuleSetVersion,
    TicketType Type,
    AfterSalesCategory Category,
    TriageSeverity Severity,
    HandlingMode Handling,
    TriageFlags Flags,
    double Sentiment,
    TypeScores Scores,
    double SeverityPoints,
    string? QueueKey,
    TicketPriority Priority,
    IReadOnlyList<FiredRule> Fired)
{
    public static TicketPriority PriorityFor(TriageSeverity severity) => severity switch
    {
        TriageSeverity.P1 => TicketPriority.Urgent,
        TriageSeverity.P2 => TicketPriority.High,
        TriageSeverity.P3 => TicketPriority.Normal,
        _ => TicketPriority.Low,
    };

    /// <summary>The rule that weighed most for the decided type (for history: "triage rule X").</summary>
    public string? DecidingRule(TriageTarget target, string? value) =>
        Fired.Where(f => f.Target == target && f.Value == value && f.Weight > 0)
            .OrderByDescending(f => f.Weight).Select(f => f.RuleId).FirstOrDefault();
}
