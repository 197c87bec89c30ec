using System.Text.RegularExpressions;

namespace Helpdesk.Core.Email;

/// <summary>A mail's text split into what the sender wrote now and the history they quoted.</summary>
public sealed record SplitText(string Fresh, string? Quoted);

/// <summary>
/// Finds where quoted history starts in a plain-text mail: "&gt;" lines, "On ... wrote:",
/// "在 ... 写道：", Outlook's "-----Original Message-----" and its From:/发件人: header block.
/// Everything from there on is the history; it is kept, only folded away.
/// </summary>
public static partial class QuotedHistory
{
    [GeneratedRegex(@"^\s*-{2,}\s*(Original Message|Forwarded message|原始邮件|原始郵件|转发的邮件)\s*-{2,}\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex SeparatorLine();

    [GeneratedRegex(@"^\s*On\b.{0,300}\bwrote:\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex OnWroteLine();

    [GeneratedRegex(@"^\s*在.{0,300}写道[:：]\s*$")]
    private static partial Regex ChineseWroteLine();

    [GeneratedRegex(@"^\s*(发件人|寄件者|From)\s*[:：]")]
    private static partial Regex FromHeaderLine();

    [GeneratedRegex(@"^\s*(发送时间|寄件日期|日期|Sent|Date|收件人|To|主题|Subject)\s*[:：]", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderBlockLine();

    public static SplitText Split(string? text)
    {
        var normalised = (text ?? "").Replace("\r\n", "\n").Replace('\r', '\n');
        var lines = normalised.Split('\n');
        var start = FindStart(lines);
        if (start < 0)
            return new SplitText(normalised.TrimEnd(), null);
        var fresh = string.Join('\n', lines[..start]).TrimEnd();
        // A mail that is nothing but a quote (a bare forward) keeps all of it in view.
        if (fresh.Trim().Length == 0)
            return new SplitText(normalised.TrimEnd(), null);
        return new SplitText(fresh, string.Join('\n', lines[start..]).Trim('\n'));
    }

    private static int FindStart(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith('>'))
                return AttributionAbove(lines, i);
            if (SeparatorLine().IsMatch(line) || OnWroteLine().IsMatch(line) || ChineseWroteLine().IsMatch(line))
                return i;
            // "On Mon, 1 Jan 2026, Somebody <a@b>" with "wrote:" wrapped onto the next line.
            if (i + 1 < lines.Length && Regex.IsMatch(line, @"^\s*On\b", RegexOptions.IgnoreCase)
                && Regex.IsMatch(lines[i + 1], @"^\s*.{0,120}wrote:\s*$", RegexOptions.IgnoreCase))
                return i;
            // Outlook without a separator: a From:/发件人: line followed by its header block.
            if (FromHeaderLine().IsMatch(line) && i + 1 < lines.Length && HeaderBlockLine().IsMatch(lines[i + 1]))
                return i;
        }
        return -1;
    }

    /// <summary>An attribution line ("Somebody wrote:") right above the first quoted line belongs to the history.</summary>
    private static int AttributionAbove(string[] lines, int quoteStart)
    {
        var i = quoteStart - 1;
        while (i >= 0 && lines[i].Trim().Length == 0) i--;
        return i >= 0 && (lines[i].TrimEnd().EndsWith("wrote:", StringComparison.OrdinalIgnoreCase) || lines[i].TrimEnd().EndsWith("写道：") || lines[i].TrimEnd().EndsWith("写道:"))
            ? i : quoteStart;
    }
}
