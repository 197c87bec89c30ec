using System.Text;
using System.Text.RegularExpressions;

namespace Helpdesk.Core.Escalation;

/// <summary>
/// Recognises a customer asking for a supervisor or announcing a complaint, in Chinese or English
/// ("找你们领导", "我要投诉", "let me speak to your manager"), whatever the case or character width
/// (full-width ＭＡＮＡＧＥＲ counts). It only finds the phrase; the ladder decides what follows.
/// </summary>
public static partial class SupervisorRequestRecogniser
{
    // Chinese phrases are matched with the spaces removed ("找 你们 领导"); 客户经理 (the customer's
    // own account manager) is not a request for ours, so 经理 alone is not enough.
    private static readonly string[] ChinesePhrases =
    [
        "找你们领导", "叫你们领导", "找领导", "叫领导", "让领导", "你们领导呢", "领导出来",
        "找你们主管", "叫你们主管", "找主管", "叫主管", "让主管", "主管出来",
        "找你们经理", "叫你们经理", "找经理", "叫经理", "让经理", "经理出来",
        "找你们负责人", "找负责人", "叫负责人", "你们负责人", "找上级", "找你们上级",
        "我要投诉", "我要投訴", "要投诉你", "投诉你", "投诉你们", "我投诉", "我要举报", "升级处理",
    ];

    [GeneratedRegex(
        @"\b(?:(?<!account\s)(?<!product\s)manager|supervisor|escalat(?:e|ed|ion|ing)|your\s+boss|someone\s+in\s+charge|person\s+in\s+charge|higher\s+up|(?:file|make|lodge|raise)\s+a\s+(?:formal\s+)?complaint|i\s+want\s+to\s+complain|i(?:'m|\s+am)\s+going\s+to\s+complain)\b",
        RegexOptions.CultureInvariant)]
    private static partial Regex EnglishPhrases();

    /// <summary>The phrase found (as the customer wrote it, normalised), or null.</summary>
    public static string? Recognise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        // NFKC folds full-width letters and digits to ASCII; lower-casing after it makes case irrelevant.
        var normal = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();

        var english = EnglishPhrases().Match(normal);
        if (english.Success) return english.Value;

        var compact = RemoveWhitespace(normal);
        foreach (var phrase in ChinesePhrases)
            if (compact.Contains(phrase, StringComparison.Ordinal))
                return phrase;
        return null;
    }

    public static bool IsRequest(string? text) => Recognise(text) is not null;

    private static string RemoveWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
            if (!char.IsWhiteSpace(c)) builder.Append(c);
        return builder.ToString();
    }
}
