using System.Text.RegularExpressions;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Triage;

/// <summary>One thing wrong with a rule set: which rule (or "settings"), which field, what.</summary>
public sealed record TriageRuleError(string RuleId, string Field, string Message);

/// <summary>Checks a rule set before it is saved or published, so a bad regex or value is named, not thrown at triage time.</summary>
public static class TriageRuleValidator
{
    public const int MaxRules = 500;
    public const int MaxKeywordsPerRule = 300;
    public const int MaxKeywordLength = 60;
    public const int MaxPatternLength = 1000;
    private static readonly Regex IdShape = new("^[a-z0-9][a-z0-9._-]{0,59}$", RegexOptions.CultureInvariant);
    private static readonly string[] Languages = ["zh", "en"];

    public static IReadOnlyList<TriageRuleError> Validate(TriageRuleSet set)
    {
        var errors = new List<TriageRuleError>();
        void Error(string rule, string field, string message) => errors.Add(new TriageRuleError(rule, field, message));

        if (set.Rules is null || set.Rules.Count == 0)
            Error("ruleset", "rules", "A rule set needs at least one rule.");
        else if (set.Rules.Count > MaxRules)
            Error("ruleset", "rules", $"At most {MaxRules} rules.");
        if (set.Negators is null || set.Negators.Any(string.IsNullOrWhiteSpace))
            Error("ruleset", "negators", "Negators must not be empty strings.");
        if (set.Intensifiers is null || set.Intensifiers.Any(string.IsNullOrWhiteSpace))
            Error("ruleset", "intensifiers", "Intensifiers must not be empty strings.");
        var s = set.Settings;
        if (s is null)
            Error("settings", "settings", "Settings are required.");
        else
        {
            if (s.LookBack is < 0 or > 20) Error("settings", "lookBack", "lookBack is between 0 and 20.");
            if (!(s.P1Points > s.P2Points && s.P2Points > s.P3Points)) Error("settings", "p1Points", "Severity points must fall: p1Points > p2Points > p3Points.");
            if (s.ComplaintThreshold <= 0) Error("settings", "complaintThreshold", "complaintThreshold must be above 0.");
            if (s.RepeatComplaints < 1) Error("settings", "repeatComplaints", "repeatComplaints is at least 1.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (rule, index) in (set.Rules ?? []).Select((r, i) => (r, i)))
        {
            var id = string.IsNullOrWhiteSpace(rule.Id) ? $"#{index + 1}" : rule.Id;
            if (!IdShape.IsMatch(rule.Id ?? ""))
                Error(id, "id", "A rule id is 1–60 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.");
            else if (!seen.Add(rule.Id!))
                Error(id, "id", $"The id '{rule.Id}' is used by another rule.");
            if (rule.Languages is null || rule.Languages.Count == 0 || rule.Languages.Any(l => !Languages.Contains(l)))
                Error(id, "languages", "Languages are 'zh' and/or 'en'.");
            if (!double.IsFinite(rule.Weight) || Math.Abs(rule.Weight) > 10)
                Error(id, "weight", "The weight is a number between -10 and 10.");
            if (!Enum.IsDefined(rule.Kind)) Error(id, "kind", "The kind is Keywords or Pattern.");
            if (!Enum.IsDefined(rule.Target)) Error(id, "target", "Unknown target.");
            if (rule.Priority is { } p && !Enum.IsDefined(p)) Error(id, "priority", "Unknown priority.");
            if (rule.QueueKey is { } q && (q.Length == 0 || q.Length > 40)) Error(id, "queueKey", "A queue key is 1–40 characters.");
            CheckValue(rule, id, Error);

            if (rule.Kind == TriageRuleKind.Keywords)
            {
                if (rule.Keywords is null || rule.Keywords.Count == 0)
                    Error(id, "keywords", "A keyword rule needs at least one keyword.");
                else if (rule.Keywords.Count > MaxKeywordsPerRule)
                    Error(id, "keywords", $"At most {MaxKeywordsPerRule} keywords per rule.");
                else if (rule.Keywords.FirstOrDefault(k => string.IsNullOrWhiteSpace(k) || k.Trim() == "*" || k.Length > MaxKeywordLength) is { } bad)
                    Error(id, "keywords", $"Keyword '{bad}' is empty or longer than {MaxKeywordLength} characters.");
                if (!string.IsNullOrEmpty(rule.Pattern))
                    Error(id, "pattern", "A keyword rule has no pattern; make it a Pattern rule instead.");
            }
            else if (rule.Kind == TriageRuleKind.Pattern)
            {
                if (string.IsNullOrWhiteSpace(rule.Pattern))
                    Error(id, "pattern", "A pattern rule needs a pattern.");
                else if (rule.Pattern.Length > MaxPatternLength)
                    Error(id, "pattern", $"A pattern is at most {MaxPatternLength} characters.");
                else
                {
                    try
                    {
                        var regex = TriageEngine.CompilePattern(rule.Pattern);
                        if (regex.IsMatch(""))
                            Error(id, "pattern", "The pattern matches empty text; it would fire on every message.");
                    }
                    catch (ArgumentException e)
                    {
                        // NonBacktracking refuses lookarounds and back-references: said plainly.
                        Error(id, "pattern", $"Not a usable regular expression: {e.Message}");
                    }
                    catch (NotSupportedException e)
                    {
                        Error(id, "pattern", $"Not supported (patterns run without backtracking: no lookarounds or back-references): {e.Message}");
                    }
                }
                if (rule.Keywords is { Count: > 0 })
                    Error(id, "keywords", "A pattern rule has no keywords; make it a Keywords rule instead.");
            }
        }
        return errors;
    }

    private static void CheckValue(TriageRule rule, string id, Action<string, string, string> error)
    {
        var ok = rule.Target switch
        {
            TriageTarget.Type => Enum.TryParse<TicketType>(rule.Value, false, out var t) && Enum.IsDefined(t) && !int.TryParse(rule.Value, out _),
            TriageTarget.Category => Enum.TryParse<AfterSalesCategory>(rule.Value, false, out var c) && Enum.IsDefined(c) && c != AfterSalesCategory.None && !int.TryParse(rule.Value, out _),
            TriageTarget.Flag => rule.Value is nameof(TriageFlags.RegulatorOrMediaThreat) or nameof(TriageFlags.AbusiveLanguage) or nameof(TriageFlags.MoneyAtStake),
            TriageTarget.Handling => rule.Value is nameof(HandlingMode.Immediate) or nameof(HandlingMode.Deferred),
            TriageTarget.Sentiment or TriageTarget.Severity => string.IsNullOrEmpty(rule.Value),
            _ => true,
        };
        if (!ok)
            error(id, "value", rule.Target switch
            {
                TriageTarget.Type => "The value of a Type rule is Inquiry, Complaint or Suggestion.",
                TriageTarget.Category => "The value of a Category rule is ReturnExchange, Repair, Refund, OrderException, TechnicalSupport or ServiceAttitude.",
                TriageTarget.Flag => "The value of a Flag rule is RegulatorOrMediaThreat, AbusiveLanguage or MoneyAtStake (the others come from the customer's record).",
                TriageTarget.Handling => "The value of a Handling rule is Immediate or Deferred.",
                _ => "Sentiment and Severity rules have no value: the weight says how much.",
            });
    }
}
