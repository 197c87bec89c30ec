using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Triage;

/// <summary>Fields a person set on a ticket; automatic triage does not touch them afterwards.</summary>
[Flags]
public enum ManualTriageFields { None = 0, Type = 1, Category = 2, Priority = 4, Queue = 8 }

/// <summary>
/// What triage asks of a ticket: the outcome, with the queue already resolved to the ticket's
/// team (its complaint queue, or the queue a rule named) and the rules to cite in its history.
/// </summary>
public sealed record TriageDecision(
    int RuleSetVersion,
    TicketType Type,
    AfterSalesCategory Category,
    TriageSeverity Severity,
    TicketPriority Priority,
    HandlingMode? Handling,
    TriageFlags Flags,
    int? QueueId,
    bool QueueFromRule,
    string? TypeRule,
    string? CategoryRule,
    string? PriorityRule,
    string? QueueRule,
    IReadOnlyList<string> FlagRules)
{
    /// <summary>The decision for an outcome; <paramref name="queueId"/> is resolved by the caller, which knows the teams.</summary>
    public static TriageDecision From(TriageOutcome o, int? queueId, bool queueFromRule)
    {
        var flagRules = o.Fired.Where(f => f.Target == TriageTarget.Flag && !f.Negated && f.Weight > 0).Select(f => f.RuleId).Distinct().ToList();
        var priorityRule = o.Fired.Where(f => !f.Negated && f.Weight > 0 && o.Priority > TriageOutcome.PriorityFor(o.Severity))
            .Select(f => f.RuleId).FirstOrDefault();
        return new TriageDecision(o.RuleSetVersion, o.Type, o.Category, o.Severity, o.Priority,
            o.Type == TicketType.Complaint ? o.Handling : null, o.Flags, queueId, queueFromRule,
            o.DecidingRule(TriageTarget.Type, o.Type.ToString()), o.DecidingRule(TriageTarget.Category, o.Category.ToString()),
            priorityRule ?? o.DecidingRule(TriageTarget.Type, o.Type.ToString()), queueFromRule ? o.Fired.FirstOrDefault(f => f.Weight > 0)?.RuleId : o.DecidingRule(TriageTarget.Type, o.Type.ToString()),
            flagRules);
    }
}
