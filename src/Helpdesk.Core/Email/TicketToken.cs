using System.Text.RegularExpressions;

namespace Helpdesk.Core.Email;

/// <summary>The ticket token in mail subjects, "[#100123]", and the subjects built around it.</summary>
public static partial class TicketToken
{
    [GeneratedRegex(@"\[#(\d{1,18})\]")]
    private static partial Regex TokenPattern();

    // Reply and forward prefixes of the common clients, in English and Chinese, repeated or not.
    [GeneratedRegex(@"^\s*((re|fw|fwd|aw|wg|sv|回复|答复|回覆|转发|轉寄)\s*(\[\d+\])?\s*[:：]\s*)+", RegexOptions.IgnoreCase)]
    private static partial Regex PrefixPattern();

    public static string Format(long number) => $"[#{number}]";

    /// <summary>The ticket number a subject names; the last token wins (a forwarded thread may carry several).</summary>
    public static bool TryParse(string? subject, out long number)
    {
        number = 0;
        if (string.IsNullOrEmpty(subject)) return false;
        var matches = TokenPattern().Matches(subject);
        return matches.Count > 0 && long.TryParse(matches[^1].Groups[1].Value, out number) && number > 0;
    }

    /// <summary>The subject without reply prefixes and ticket tokens.</summary>
    public static string Bare(string? subject)
    {
        var text = TokenPattern().Replace(subject ?? "", "");
        text = PrefixPattern().Replace(text, "");
        return Regex.Replace(text, @"\s{2,}", " ").Trim();
    }

    /// <summary>"Re: subject [#number]": one prefix, one token, whatever the subject carried before.</summary>
    public static string ReplySubject(string subject, long number)
    {
        var bare = Bare(subject);
        return bare.Length == 0 ? $"Re: {Format(number)}" : $"Re: {bare} {Format(number)}";
    }

    /// <summary>The subject of a new ticket from a mail subject: trimmed, never empty, within <paramref name="max"/>.</summary>
    public static string TicketSubject(string? mailSubject, int max, string fallback = "(无主题 no subject)")
    {
        var text = Regex.Replace(mailSubject ?? "", @"\s+", " ").Trim();
        if (text.Length == 0) text = fallback;
        return text.Length <= max ? text : text[..max];
    }
}
