using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Helpdesk.Core.Email;

/// <summary>RFC 5322 Message-IDs as we store them: without angle brackets, never empty, never too long.</summary>
public static partial class MessageIds
{
    [GeneratedRegex(@"<([^<>\s]+)>")]
    private static partial Regex Bracketed();

    /// <summary>The id without brackets and blanks; one that is too long to index is replaced by its hash.</summary>
    public static string? Normalise(string? id)
    {
        var text = (id ?? "").Trim().Trim('<', '>').Trim();
        if (text.Length == 0) return null;
        return text.Length <= EmailLimits.MessageIdMax ? text : "sha256-" + Hex(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))) + "@long.invalid";
    }

    /// <summary>For a mail without a Message-ID: the same bytes always give the same id, so a re-fetch is still recognised.</summary>
    public static string FromRawBytes(ReadOnlySpan<byte> raw) => "sha256-" + Hex(SHA256.HashData(raw)) + "@no-message-id.invalid";

    /// <summary>A new id for mail we send.</summary>
    public static string New(string domain) => $"{Guid.NewGuid():N}@{(string.IsNullOrWhiteSpace(domain) ? "helpdesk.local" : domain.Trim())}";

    /// <summary>The ids of an In-Reply-To or References header, in order.</summary>
    public static IReadOnlyList<string> ParseList(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return [];
        var ids = Bracketed().Matches(header).Select(m => Normalise(m.Groups[1].Value)!).ToList();
        if (ids.Count == 0 && Normalise(header) is { } single && !single.Contains(' ')) ids.Add(single);
        return ids;
    }

    /// <summary>
    /// The References of a reply: the chain so far plus the mail answered, oldest first, without
    /// repeats, and short enough for any server (RFC 5322 §3.6.4: keep the first and the latest ones).
    /// </summary>
    public static IReadOnlyList<string> Chain(IEnumerable<string> earlier, int max = 20)
    {
        var ids = earlier.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count <= max) return ids;
        return [ids[0], .. ids.Skip(ids.Count - (max - 1))];
    }

    /// <summary>The client id of a mail's timeline entry: per-ticket dedupe with the ticket's own mechanism.</summary>
    public static string ClientMessageId(string messageId) =>
        "mail:" + Hex(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(messageId)))[..40];

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
