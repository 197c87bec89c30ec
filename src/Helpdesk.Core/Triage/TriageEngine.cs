using System.Text.RegularExpressions;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Triage;

/// <summary>
/// A rule set compiled for speed: all keywords (and the negators and intensifiers) in one
/// Aho–Corasick automaton each, patterns as non-backtracking regular expressions. Immutable and
/// thread-safe; build one per published rule-set version and share it.
/// </summary>
public sealed class TriageEngine
{
    private readonly TriageRuleSet _set;
    private readonly TriageSettings _s;
    private readonly KeywordAutomaton _keywords;
    private readonly (int Rule, int KeywordIndex)[] _keywordOwners;
    private readonly (int Rule, Regex Regex)[] _patterns;
    private readonly KeywordAutomaton _modifiers;
    // Per modifier keyword: 1 negator, 0 not-a-negator (不过), 2 intensifier.
    private readonly byte[] _modifierKinds;

    public int Version { get; }
    public TriageRuleSet RuleSet => _set;

    private TriageEngine(int version, TriageRuleSet set)
    {
        Version = version;
        _set = set;
        _s = set.Settings;
        var words = new List<string>();
        var owners = new List<(int, int)>();
        var patterns = new List<(int, Regex)>();
        for (var r = 0; r < set.Rules.Count; r++)
        {
            var rule = set.Rules[r];
            if (rule.Kind == TriageRuleKind.Pattern)
            {
                patterns.Add((r, CompilePattern(rule.Pattern!)));
                continue;
            }
            for (var k = 0; k < rule.Keywords.Count; k++)
            {
                var word = TriageText.Normalise(rule.Keywords[k].Trim());
                if (word.Length == 0) continue;
                words.Add(word);
                owners.Add((r, k));
            }
        }
        _keywords = new KeywordAutomaton(words);
        _keywordOwners = owners.ToArray();
        _patterns = patterns.ToArray();

        var modifiers = new List<string>();
        var kinds = new List<byte>();
        void Add(IEnumerable<string> list, byte kind)
        {
            foreach (var w in list.Select(w => TriageText.Normalise(w.Trim())).Where(w => w.Length > 0))
            {
                modifiers.Add(w);
                kinds.Add(kind);
            }
        }
        Add(set.Negators, 1);
        Add(set.NotNegators, 0);
        Add(set.Intensifiers, 2);
        _modifiers = new KeywordAutomaton(modifiers);
        _modifierKinds = kinds.ToArray();
    }

    /// <summary>Compiles a rule set that <see cref="TriageRuleValidator"/> accepted; throws on one it would refuse.</summary>
    public static TriageEngine Compile(int version, TriageRuleSet set)
    {
        var errors = TriageRuleValidator.Validate(set);
        if (errors.Count > 0)
            throw new ArgumentException($"The rule set is invalid: {errors[0].RuleId} {errors[0].Field}: {errors[0].Message}", nameof(set));
        return new TriageEngine(version, set);
    }

    internal static Regex CompilePattern(string pattern) =>
        new(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private readonly record struct Match(int Rule, int Start, int Length);

    private readonly record struct Modifier(int Start, int End, byte Kind);

    public TriageOutcome Classify(TriageInput input)
    {
        var original = input.Text ?? "";
        var text = TriageText.Normalise(original);

        var hits = new List<KeywordAutomaton.Hit>();
        _keywords.FindAll(text, hits);
        var matches = new List<Match>(hits.Count + 4);
        foreach (var hit in hits)
            matches.Add(new Match(_keywordOwners[hit.Keyword].Rule, hit.Start, hit.Length));
        foreach (var (rule, regex) in _patterns)
            foreach (var m in regex.EnumerateMatches(text))
                if (m.Length > 0)
                    matches.Add(new Match(rule, m.Index, m.Length));
        DropContained(matches);

        var modifiers = FindModifiers(text);
        var fired = new Dictionary<int, FiredBuilder>();
        foreach (var m in matches)
        {
            var rule = _set.Rules[m.Rule];
            var (negations, intensified) = LookBack(text, m.Start, modifiers);
            var negated = rule.Negatable && negations % 2 == 1;
            var weight = rule.Weight;
            if (intensified && rule.Target is TriageTarget.Sentiment or TriageTarget.Severity)
                weight *= _s.IntensifierFactor;
            if (negated)
                weight = rule.Target == TriageTarget.Sentiment
                    ? -weight * (weight > 0 ? _s.NegatedPositiveFactor : _s.NegatedNegativeFactor)
                    : 0;
            if (!fired.TryGetValue(m.Rule, out var b))
                fired[m.Rule] = b = new FiredBuilder(m.Rule, weight, negated, intensified);
            else if (Math.Abs(weight) > Math.Abs(b.Weight) || (b.Negated && !negated))
                (b.Weight, b.Negated, b.Intensified) = (weight, negated, intensified);
            var word = text.Substring(m.Start, m.Length);
            if (!negated && b.Words.Add(word) && b.Spans.Count < 5)
                b.Spans.Add(new MatchedSpan(m.Start, m.Length, original.Substring(m.Start, m.Length)));
            else if (negated && b.Spans.Count == 0)
                b.Spans.Add(new MatchedSpan(m.Start, m.Length, original.Substring(m.Start, m.Length)));
        }

        return Decide(input, fired.Values.OrderBy(f => f.Rule).ToList());
    }

    private sealed class FiredBuilder(int rule, double weight, bool negated, bool intensified)
    {
        public int Rule { get; } = rule;
        public double Weight { get; set; } = weight;
        public bool Negated { get; set; } = negated;
        public bool Intensified { get; set; } = intensified;
        public List<MatchedSpan> Spans { get; } = [];
        public HashSet<string> Words { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// A match inside a longer match voting for the same thing is the same evidence: "满意" within
    /// "不满意", "投诉" within "我要投诉". It is dropped so it is not counted twice. For type,
    /// category and sentiment the longer phrase decides even against another value: "怎么回事"
    /// (a complaint) is not also the question word "怎么"; "上门取件" (a return) not "上门" (a repair).
    /// </summary>
    private void DropContained(List<Match> matches)
    {
        if (matches.Count < 2) return;
        matches.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var keep = new List<Match>(matches.Count);
        foreach (var m in matches)
        {
            var rule = _set.Rules[m.Rule];
            var inside = false;
            foreach (var k in keep)
            {
                if (k.Start <= m.Start && k.Start + k.Length >= m.Start + m.Length && (k.Length > m.Length || k.Rule == m.Rule))
                {
                    var other = _set.Rules[k.Rule];
                    if (other.Target == rule.Target && (other.Value == rule.Value || rule.Target is TriageTarget.Type or TriageTarget.Category or TriageTarget.Sentiment))
                    { inside = true; break; }
                }
            }
            if (!inside) keep.Add(m);
        }
        matches.Clear();
        matches.AddRange(keep);
    }

    /// <summary>Negators and intensifiers, longest first where they overlap (不是 over 不, 不过 over 不).</summary>
    private List<Modifier> FindModifiers(string text)
    {
        var hits = new List<KeywordAutomaton.Hit>();
        _modifiers.FindAll(text, hits);
        hits.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var result = new List<Modifier>(hits.Count);
        var end = -1;
        foreach (var h in hits)
        {
            if (h.Start < end) continue;
            result.Add(new Modifier(h.Start, h.Start + h.Length, _modifierKinds[h.Keyword]));
            end = h.Start + h.Length;
        }
        return result;
    }

    /// <summary>
    /// Looks back from a match, within its clause, over <see cref="TriageSettings.LookBack"/>
    /// units (a Chinese character or a Latin word each): how many negators ("不是不满意" has two,
    /// which cancel), and whether an intensifier stands there.
    /// </summary>
    private (int Negations, bool Intensified) LookBack(string text, int start, List<Modifier> modifiers)
    {
        var from = start;
        var units = 0;
        var i = start - 1;
        while (i >= 0 && units < _s.LookBack)
        {
            var c = text[i];
            if (TriageText.IsClauseBreak(c)) break;
            if (TriageText.IsWordChar(c))
            {
                while (i >= 0 && TriageText.IsWordChar(text[i])) i--;
                units++;
                from = i + 1;
                continue;
            }
            if (!char.IsWhiteSpace(c)) units++;
            from = i;
            i--;
        }
        var negations = 0;
        var intensified = false;
        foreach (var m in modifiers)
        {
            if (m.Start >= start) break;
            if (m.Start < from || m.End > start) continue;
            if (m.Kind == 1) negations++;
            else if (m.Kind == 2) intensified = true;
        }
        // "这不是欺骗消费者吗？": a negative question asserts, it does not deny.
        if (negations > 0 && EndsAsQuestion(text, start))
            negations = 0;
        return (negations, intensified);
    }

    private static bool EndsAsQuestion(string text, int from)
    {
        var i = from;
        while (i < text.Length && !TriageText.IsClauseBreak(text[i])) i++;
        var j = i - 1;
        while (j >= from && char.IsWhiteSpace(text[j])) j--;
        return j >= from && text[j] is '吗' or '么';
    }

    private TriageOutcome Decide(TriageInput input, List<FiredBuilder> fired)
    {
        double inquiry = _s.InquiryBase, complaint = 0, suggestion = 0, sentiment = 0, points = 0;
        var categories = new Dictionary<AfterSalesCategory, double>();
        var flags = TriageFlags.None;
        var handlingImmediate = 0.0;
        string? queue = null;
        var queueWeight = double.MinValue;
        TicketPriority? floor = null;
        var result = new List<FiredRule>(fired.Count);

        foreach (var f in fired)
        {
            var rule = _set.Rules[f.Rule];
            result.Add(new FiredRule(rule.Id, rule.Target, rule.Value, rule.Weight, Math.Round(f.Weight, 3), f.Negated, f.Intensified, f.Spans));
            if (f.Negated && rule.Target != TriageTarget.Sentiment)
                continue;
            var w = f.Weight;
            switch (rule.Target)
            {
                case TriageTarget.Type when rule.Value == nameof(TicketType.Complaint): complaint += w; break;
                case TriageTarget.Type when rule.Value == nameof(TicketType.Suggestion): suggestion += w; break;
                case TriageTarget.Type: inquiry += w; break;
                case TriageTarget.Category when Enum.TryParse<AfterSalesCategory>(rule.Value, out var cat):
                    // More distinct words of a category are more evidence ("repaired", "stopped working" against one "replacement").
                    categories[cat] = categories.GetValueOrDefault(cat) + w * (1 + _s.CategoryEvidenceBonus * Math.Min(3, Math.Max(0, f.Words.Count - 1)));
                    break;
                case TriageTarget.Flag when Enum.TryParse<TriageFlags>(rule.Value, out var flag) && w > 0: flags |= flag; break;
                case TriageTarget.Sentiment: sentiment += w; break;
                case TriageTarget.Severity: points += w; break;
                case TriageTarget.Handling: handlingImmediate += rule.Value == nameof(HandlingMode.Immediate) ? w : -w; break;
            }
            if (rule.QueueKey is { Length: > 0 } key && w > queueWeight)
                (queue, queueWeight) = (key, w);
            if (rule.Priority is { } p && (floor is null || p > floor))
                floor = p;
        }

        complaint += Math.Max(0, -sentiment) * _s.NegativeSentimentToComplaint;
        if (flags.HasFlag(TriageFlags.RegulatorOrMediaThreat)) complaint += _s.ThreatToComplaint;
        if (flags.HasFlag(TriageFlags.AbusiveLanguage)) complaint += _s.AbuseToComplaint;
        var type = TicketType.Inquiry;
        if (complaint >= _s.ComplaintThreshold && complaint >= suggestion && complaint >= inquiry)
            type = TicketType.Complaint;
        else if (suggestion >= _s.SuggestionThreshold && suggestion >= inquiry)
            type = TicketType.Suggestion;

        var category = categories.Count == 0 ? AfterSalesCategory.None
            : categories.Where(c => c.Value >= _s.CategoryThreshold).OrderByDescending(c => c.Value).ThenBy(c => c.Key).Select(c => c.Key).DefaultIfEmpty(AfterSalesCategory.None).First();

        if (input.CustomerTier is { } tier && _s.ImportantTiers.Contains(tier))
            flags |= TriageFlags.ImportantCustomer;
        if (input.EarlierComplaints + (type == TicketType.Complaint ? 1 : 0) >= _s.RepeatComplaints)
            flags |= TriageFlags.RepeatComplainant;

        if (type == TicketType.Complaint) points += _s.ComplaintPoints;
        if (flags.HasFlag(TriageFlags.RegulatorOrMediaThreat)) points += _s.ThreatPoints;
        if (flags.HasFlag(TriageFlags.MoneyAtStake)) points += _s.MoneyPoints;
        if (flags.HasFlag(TriageFlags.AbusiveLanguage)) points += _s.AbusivePoints;
        if (flags.HasFlag(TriageFlags.ImportantCustomer)) points += _s.ImportantCustomerPoints;
        if (flags.HasFlag(TriageFlags.RepeatComplainant)) points += _s.RepeatComplainantPoints;
        points += Math.Max(0, -sentiment) * 0.5;

        var severity = points >= _s.P1Points ? TriageSeverity.P1
            : points >= _s.P2Points ? TriageSeverity.P2
            : points >= _s.P3Points ? TriageSeverity.P3
            : TriageSeverity.P4;
        var priority = TriageOutcome.PriorityFor(severity);
        if (floor is { } least && least > priority)
            priority = least;

        var immediate = handlingImmediate > 0
            || (handlingImmediate == 0 && (flags.HasFlag(TriageFlags.MoneyAtStake) || _s.ImmediateCategories.Contains(category)));

        return new TriageOutcome(Version, type, category, severity, immediate ? HandlingMode.Immediate : HandlingMode.Deferred, flags,
            Math.Round(Math.Tanh(sentiment / 2), 3), new TypeScores(Math.Round(inquiry, 3), Math.Round(complaint, 3), Math.Round(suggestion, 3)),
            Math.Round(points, 3), queue, priority, result);
    }
}
