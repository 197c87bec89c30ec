using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Triage;

public enum RuleSetStatus { Draft = 0, Published = 1, Superseded = 2 }

/// <summary>
/// One version of the triage rules. A draft can be edited; publishing makes it current and
/// freezes it (the previous current becomes Superseded). Past results name their version, so
/// editing rules never rewrites them.
/// </summary>
public sealed class TriageRuleSetVersion
{
    public int Version { get; set; }
    public RuleSetStatus Status { get; set; }
    public string RulesJson { get; set; } = "";
    public string? Note { get; set; }
    public int? BasedOnVersion { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
    public DateTime? PublishedAt { get; set; }
    public string? PublishedBy { get; set; }

    public TriageRuleSet Rules() => TriageRuleSet.FromJson(RulesJson);

    public void Edit(TriageRuleSet rules, string? note, DateTime now)
    {
        if (Status != RuleSetStatus.Draft)
            throw new TicketRuleException("not_a_draft", $"Rules v{Version} are {Status}; published rules never change. Create a draft from them.");
        RulesJson = rules.ToJson();
        Note = note;
        UpdatedAt = now;
    }

    public void Publish(string by, DateTime now)
    {
        if (Status != RuleSetStatus.Draft)
            throw new TicketRuleException("not_a_draft", $"Rules v{Version} are {Status}; only a draft is published.");
        Status = RuleSetStatus.Published;
        PublishedAt = now;
        PublishedBy = by;
        UpdatedAt = now;
    }
}

/// <summary>What triage said about one ticket or customer message, under which rules, and why.</summary>
public sealed class TriageResult
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public long? MessageId { get; set; }
    public int RuleSetVersion { get; set; }
    public DateTime At { get; set; }
    public TicketType Type { get; set; }
    public AfterSalesCategory Category { get; set; }
    public TriageSeverity Severity { get; set; }
    public HandlingMode Handling { get; set; }
    public TriageFlags Flags { get; set; }
    public double Sentiment { get; set; }
    /// <summary>The fired rules, their weights and matched text, and the type scores (JSON).</summary>
    public string ExplanationJson { get; set; } = "";
    /// <summary>The ticket fields this result changed (comma-separated); empty when it changed nothing.</summary>
    public string Applied { get; set; } = "";
}

/// <summary>An agent's correction of a triage result: who, when, from what, to what.</summary>
public sealed class TriageCorrection
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public long TriageResultId { get; set; }
    public DateTime At { get; set; }
    public Guid StaffId { get; set; }
    public string StaffName { get; set; } = "";
    public TicketType FromType { get; set; }
    public TicketType ToType { get; set; }
    public AfterSalesCategory FromCategory { get; set; }
    public AfterSalesCategory ToCategory { get; set; }
    public TriageSeverity FromSeverity { get; set; }
    public TriageSeverity ToSeverity { get; set; }
}
