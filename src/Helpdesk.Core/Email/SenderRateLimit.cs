namespace Helpdesk.Core.Email;

/// <summary>
/// A per-sender limit on inbound mail: past <see cref="MailsPerWindow"/> mails in
/// <see cref="Window"/> a sender's mail is held on their latest ticket instead of opening new
/// tickets or reopening old ones, so a storm (a loop, a script, an angry resend button) cannot
/// flood the queue. Held mail is still stored, and visible on that ticket.
/// </summary>
public sealed record SenderRateLimit(int MailsPerWindow, TimeSpan Window)
{
    public DateTime WindowStart(DateTime now) => now - Window;

    /// <summary>True when the mail now arriving would be over the limit, given how many came in the window before it.</summary>
    public bool IsExceeded(int earlierInWindow) => MailsPerWindow > 0 && earlierInWindow >= MailsPerWindow;
}

/// <summary>Exponential backoff with a cap, for reconnecting and for resending.</summary>
public static class Backoff
{
    /// <summary>Attempt 1 waits <paramref name="first"/>, each further one twice as long, never more than <paramref name="max"/>.</summary>
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max)
    {
        if (attempt < 1) attempt = 1;
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var ticks = first.Ticks * factor;
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}

/// <summary>Which of our two languages to answer a mail in.</summary>
public static class MailLanguage
{
    /// <summary>zh-CN when the text is largely Chinese (a known preference wins), else en.</summary>
    public static string Choose(string? text, string? preferred = null)
    {
        if (preferred is "zh-CN" or "en") return preferred;
        if (string.IsNullOrEmpty(text)) return "en";
        int han = 0, letters = 0;
        foreach (var c in text)
        {
            if (c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf') han++;
            else if (char.IsLetter(c)) letters++;
        }
        // A Chinese character carries about as much as a short English word.
        return han * 3 >= letters && han > 0 ? "zh-CN" : "en";
    }
}
