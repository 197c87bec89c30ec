using System.Globalization;
using System.Text;

namespace Helpdesk.Core.Scripts;

/// <summary>An active forbidden phrase with the wording to use instead.</summary>
public sealed record ForbiddenRule(long Id, string Phrase, string Language, string? Suggestion);

/// <summary>Where a forbidden phrase was found: the text as written (Start/Length in the original).</summary>
public sealed record ForbiddenMatch(long PhraseId, string Phrase, string Matched, int Start, int Length, string? Suggestion);

/// <summary>
/// Finds forbidden phrases in what an agent is about to send. Both sides are normalised first:
/// lower case, full-width forms folded to half-width, and whitespace and punctuation dropped, so
/// 「慢 慢 等着吧」, 「慢慢，等着吧」 and "JUST  wait!" are caught. A phrase in Latin letters must
/// stand on word boundaries, so "just wait" does not fire inside "adjust waiting".
/// Build it once per set of rules; <see cref="Find"/> is pure and safe to share between threads.
/// </summary>
public sealed class ForbiddenPhraseMatcher
{
    private readonly IReadOnlyList<(ForbiddenRule Rule, string Key)> _rules;

    public ForbiddenPhraseMatcher(IEnumerable<ForbiddenRule> rules) =>
        _rules = rules.Select(r => (r, Normalise(r.Phrase).Text)).Where(x => x.Item2.Length > 0).ToList();

    public int Count => _rules.Count;

    /// <summary>Every forbidden phrase in the text, earliest first (one match per phrase).</summary>
    public IReadOnlyList<ForbiddenMatch> Find(string? text)
    {
        if (string.IsNullOrEmpty(text) || _rules.Count == 0) return [];
        var normal = Normalise(text);
        var found = new List<ForbiddenMatch>();
        foreach (var (rule, key) in _rules)
        {
            for (var at = normal.Text.IndexOf(key, StringComparison.Ordinal); at >= 0; at = normal.Text.IndexOf(key, at + 1, StringComparison.Ordinal))
            {
                var start = normal.Map[at];
                var end = normal.Map[at + key.Length - 1] + 1;
                if (IsWordChar(key[0]) && start > 0 && IsWordChar(Fold(text[start - 1]))) continue;
                if (IsWordChar(key[^1]) && end < text.Length && IsWordChar(Fold(text[end]))) continue;
                found.Add(new ForbiddenMatch(rule.Id, rule.Phrase, text[start..end], start, end - start, rule.Suggestion));
                break;
            }
        }
        return found.OrderBy(m => m.Start).ThenByDescending(m => m.Length).ToList();
    }

    /// <summary>The normalised text and, for each of its characters, where it came from.</summary>
    public static (string Text, int[] Map) Normalise(string text)
    {
        var sb = new StringBuilder(text.Length);
        var map = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = Fold(text[i]);
            if (char.IsWhiteSpace(c) || char.IsPunctuation(c) || char.IsSymbol(c) || char.IsControl(c)
                || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark)
                continue;
            sb.Append(c);
            map.Add(i);
        }
        return (sb.ToString(), map.ToArray());
    }

    /// <summary>Full-width ASCII (Ａ, ！) and the ideographic space to their half-width forms, then lower case.</summary>
    private static char Fold(char c)
    {
        if (c is >= '\uFF01' and <= '\uFF5E') c = (char)(c - 0xFEE0);
        else if (c == '\u3000') c = ' ';
        return char.ToLowerInvariant(c);
    }

    private static bool IsWordChar(char c) => c < 0x80 && char.IsLetterOrDigit(c);
}
