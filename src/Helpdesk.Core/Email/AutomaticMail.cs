namespace Helpdesk.Core.Email;

/// <summary>
/// The facts of an inbound mail that loop detection looks at. Header names are matched without
/// regard to case; a header that occurs several times is given once (its first value).
/// </summary>
public sealed record MailFacts(
    string? FromAddress,
    IReadOnlyDictionary<string, string> Headers,
    string MediaType,
    string? ReportType = null);

/// <summary>
/// What loop and noise rules make of a mail. <see cref="IsAutomatic"/>: no human wrote it (an
/// auto-reply, a bounce, bulk or list mail, our own): it is recorded but acknowledges nothing and
/// reopens nothing. <see cref="SuppressAcknowledgement"/> alone: a person may have written it,
/// but the sender asked for no automatic answers (or it came through a mailing list).
/// </summary>
public sealed record MailClassification(bool IsAutomatic, bool SuppressAcknowledgement, string? Reason)
{
    public static MailClassification Human { get; } = new(false, false, null);
    public static MailClassification Automatic(string reason) => new(true, true, reason);
    public static MailClassification Quiet(string reason) => new(false, true, reason);
}

/// <summary>Loop and noise rules (RFC 3834 auto-submitted, the de-facto X-Auto* headers, RFC 3464 reports).</summary>
public static class AutomaticMailRules
{
    private static readonly string[] DaemonLocalParts = ["mailer-daemon", "postmaster", "mail-daemon", "noreply-dmarc-support"];

    public static MailClassification Classify(MailFacts mail, IEnumerable<string> ownAddresses)
    {
        var from = mail.FromAddress?.Trim() ?? "";
        if (from.Length > 0 && ownAddresses.Any(own => string.Equals(own.Trim(), from, StringComparison.OrdinalIgnoreCase)))
            return MailClassification.Automatic("own_address");
        var local = from.Split('@')[0];
        if (DaemonLocalParts.Any(d => string.Equals(d, local, StringComparison.OrdinalIgnoreCase)))
            return MailClassification.Automatic("mailer_daemon");
        if (string.Equals(mail.MediaType, "multipart/report", StringComparison.OrdinalIgnoreCase))
            return MailClassification.Automatic(string.IsNullOrEmpty(mail.ReportType) ? "report" : mail.ReportType.ToLowerInvariant());

        if (Header(mail, "Auto-Submitted") is { } submitted && !submitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
            return MailClassification.Automatic("auto_submitted");
        if (Header(mail, "Precedence")?.Trim().ToLowerInvariant() is "bulk" or "junk" or "list" or "auto_reply")
            return MailClassification.Automatic("precedence_" + Header(mail, "Precedence")!.Trim().ToLowerInvariant());
        if (Header(mail, "X-Autoreply") is not null || Header(mail, "X-Autorespond") is not null || Header(mail, "X-Autoresponder") is not null)
            return MailClassification.Automatic("x_autoreply");

        // A person may have written these; they only ask us not to answer automatically.
        if (Header(mail, "X-Auto-Response-Suppress") is { } suppress && !suppress.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
            return MailClassification.Quiet("auto_response_suppress");
        if (Header(mail, "List-Id") is not null || Header(mail, "List-Unsubscribe") is not null)
            return MailClassification.Quiet("mailing_list");
        return MailClassification.Human;
    }

    private static string? Header(MailFacts mail, string name) =>
        mail.Headers.TryGetValue(name, out var value) ? value
        : mail.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
