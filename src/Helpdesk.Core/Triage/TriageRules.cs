using System.Text.Json;
using System.Text.Json.Serialization;
using Helpdesk.Core.Customers;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Triage;

/// <summary>How a rule finds its text: a list of keywords/phrases, or one regular expression.</summary>
public enum TriageRuleKind { Keywords = 0, Pattern = 1 }

/// <summary>What a fired rule votes for.</summary>
public enum TriageTarget
{
    /// <summary>Value: Inquiry, Complaint or Suggestion.</summary>
    Type = 0,
    /// <summary>Value: an <see cref="AfterSalesCategory"/> name.</summary>
    Category = 1,
    /// <summary>Value: RegulatorOrMediaThreat, AbusiveLanguage or MoneyAtStake (the two others come from the customer's record).</summary>
    Flag = 2,
    /// <summary>No value: a positive weight is good feeling, a negative one bad.</summary>
    Sentiment = 3,
    /// <summary>No value: severity points (more points, a more urgent P-level).</summary>
    Severity = 4,
    /// <summary>Value: Immediate or Deferred.</summary>
    Handling = 5,
}

/// <summary>
/// One rule, as admins edit it. Keywords are matched on normalised text (lower case, half-width,
/// simplified Chinese), over characters, so Chinese needs no spaces; a keyword whose edge is a
/// Latin letter or digit matches whole words only, and a trailing <c>*</c> lets it take a suffix
/// (<c>refund*</c> also finds "refunded"). Patterns are .NET regular expressions run on the same
/// normalised text without backtracking (so an admin's pattern can never hang the engine).
/// </summary>
public sealed record TriageRule
{
    public string Id { get; init; } = "";
    public string? Description { get; init; }
    public TriageRuleKind Kind { get; init; }
    /// <summary>zh, en or both: documentation for the editor, and checked to be one of those.</summary>
    public IReadOnlyList<string> Languages { get; init; } = ["zh", "en"];
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public string? Pattern { get; init; }
    public TriageTarget Target { get; init; }
    public string? Value { get; init; }
    public double Weight { get; init; }
    /// <summary>When false a negator in front does not cancel the rule (a mention of 12315 counts even in "I don't want to call 12315").</summary>
    public bool Negatable { get; init; } = true;
    /// <summary>Optional: the key of the queue (in the ticket's team) this rule sends the ticket to.</summary>
    public string? QueueKey { get; init; }
    /// <summary>Optional: the lowest priority a ticket gets when this rule fires.</summary>
    public TicketPriority? Priority { get; init; }
}

/// <summary>The numbers that turn fired rules into a decision; data like the rules.</summary>
public sealed record TriageSettings
{
    /// <summary>The score an inquiry starts with: other types must beat it.</summary>
    public double InquiryBase { get; init; } = 0.6;
    /// <summary>A complaint needs at least this score.</summary>
    public double ComplaintThreshold { get; init; } = 1.0;
    public double SuggestionThreshold { get; init; } = 0.8;
    /// <summary>How much bad feeling (the negative part of the raw sentiment sum) adds to the complaint score.</summary>
    public double NegativeSentimentToComplaint { get; init; } = 0.6;
    /// <summary>A threat to go to a regulator, the media or court is a complaint in itself; so is abuse.</summary>
    public double ThreatToComplaint { get; init; } = 1.5;
    public double AbuseToComplaint { get; init; } = 1.0;
    /// <summary>A category needs at least this score; a lone generic word ("order") is not enough.</summary>
    public double CategoryThreshold { get; init; } = 0.5;
    /// <summary>Each further distinct word of a category rule adds this share of its weight (at most three more).</summary>
    public double CategoryEvidenceBonus { get; init; } = 0.3;
    /// <summary>How far back a negator or intensifier is looked for: Chinese characters or Latin words.</summary>
    public int LookBack { get; init; } = 4;
    public double IntensifierFactor { get; init; } = 1.5;
    /// <summary>A negated good word counts this much of its weight as bad ("not happy" ≈ unhappy).</summary>
    public double NegatedPositiveFactor { get; init; } = 0.8;
    /// <summary>A negated bad word counts this much of its weight as good ("不是不满意" ≈ mildly content).</summary>
    public double NegatedNegativeFactor { get; init; } = 0.3;
    /// <summary>Severity points for P1, P2, P3; fewer is P4.</summary>
    public double P1Points { get; init; } = 4.0;
    public double P2Points { get; init; } = 2.5;
    public double P3Points { get; init; } = 1.0;
    public double ComplaintPoints { get; init; } = 1.0;
    public double ThreatPoints { get; init; } = 2.0;
    public double MoneyPoints { get; init; } = 0.5;
    public double AbusivePoints { get; init; } = 0.5;
    public double ImportantCustomerPoints { get; init; } = 1.0;
    public double RepeatComplainantPoints { get; init; } = 1.0;
    /// <summary>Complaints in 30 days, this one included, that make a repeat complainant.</summary>
    public int RepeatComplaints { get; init; } = 2;
    public IReadOnlyList<CustomerTier> ImportantTiers { get; init; } = [CustomerTier.StrategicPartner, CustomerTier.KeyAccount];
    /// <summary>Categories handled at once (money and faults, design §5); attitude and unclear matters are deferred.</summary>
    public IReadOnlyList<AfterSalesCategory> ImmediateCategories { get; init; } =
        [AfterSalesCategory.Refund, AfterSalesCategory.OrderException, AfterSalesCategory.Repair, AfterSalesCategory.TechnicalSupport];
}

/// <summary>
/// A whole rule set: negators and intensifiers, the settings, and the rules. A published version
/// never changes; editing makes a new draft version.
/// </summary>
public sealed record TriageRuleSet
{
    public IReadOnlyList<string> Negators { get; init; } = [];
    /// <summary>Words that contain a negator but do not negate (不过 "however", 不错 "not bad"): matched first, ignored.</summary>
    public IReadOnlyList<string> NotNegators { get; init; } = [];
    public IReadOnlyList<string> Intensifiers { get; init; } = [];
    public TriageSettings Settings { get; init; } = new();
    public IReadOnlyList<TriageRule> Rules { get; init; } = [];

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TriageRuleSet FromJson(string json) =>
        JsonSerializer.Deserialize<TriageRuleSet>(json, Json) ?? throw new JsonException("The rule set is empty.");

    /// <summary>The bilingual defaults shipped with the product (DefaultTriageRules.json, embedded).</summary>
    public static TriageRuleSet Defaults => _defaults.Value;

    private static readonly Lazy<TriageRuleSet> _defaults = new(() =>
    {
        using var stream = typeof(TriageRuleSet).Assembly.GetManifestResourceStream("Helpdesk.Core.Triage.DefaultTriageRules.json")
            ?? throw new InvalidOperationException("The default triage rules are not embedded.");
        return JsonSerializer.Deserialize<TriageRuleSet>(stream, Json)!;
    });
}
