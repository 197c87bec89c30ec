using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Email;

/// <summary>How a mail connection is secured (MailKit's SecureSocketOptions, in words an admin knows).</summary>
public enum MailSecurity { None, SslOnConnect, StartTls }

/// <summary>Bound from "Email". Passwords live here (or in user-secrets / environment); they are never logged.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public List<MailboxOptions> Mailboxes { get; set; } = [];
    public SmtpOptions Smtp { get; set; } = new();
    /// <summary>The support address our mail comes from.</summary>
    public string? FromAddress { get; set; }
    public string FromName { get; set; } = "客户服务 Customer Service";
    /// <summary>Further addresses that are ours: mail from them is never a customer's.</summary>
    public List<string> OwnAddresses { get; set; } = [];
    public AcknowledgementOptions Acknowledgement { get; set; } = new();
    /// <summary>Idle-less servers (or UseIdle=false) are polled this often.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);
    public bool UseIdle { get; set; } = true;
    /// <summary>IDLE is renewed before servers drop it (RFC 2177 asks for less than 29 minutes).</summary>
    public TimeSpan IdleRefresh { get; set; } = TimeSpan.FromMinutes(9);
    public TimeSpan ReconnectFirstDelay { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Mails fetched per IMAP round trip and taken in per transaction (a savepoint each), then flagged with one STORE.</summary>
    public int FetchBatchSize { get; set; } = 50;
    public long MaxAttachmentBytes { get; set; } = 25 * 1024 * 1024;
    public SenderLimitOptions SenderLimit { get; set; } = new();
    public SendRetryOptions SendRetry { get; set; } = new();

    /// <summary>Every address that is ours: the From address and the mailbox users among them.</summary>
    public IEnumerable<string> AllOwnAddresses() =>
        OwnAddresses.Concat(Mailboxes.Select(m => m.User).Where(u => u?.Contains('@') == true)).Append(FromAddress ?? "")
            .Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).Distinct(StringComparer.OrdinalIgnoreCase);
}

public sealed class MailboxOptions
{
    public string Name { get; set; } = "";
    public string Host { get; set; } = "";
    public int Port { get; set; } = 993;
    public MailSecurity Security { get; set; } = MailSecurity.SslOnConnect;
    public string User { get; set; } = "";
    public string Password { get; set; } = "";
    public string Folder { get; set; } = "INBOX";
    public string QuarantineFolder { get; set; } = "Quarantine";
    /// <summary>The team whose queue new tickets from this mailbox go to (else the default routing).</summary>
    public string? TeamKey { get; set; }
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public MailSecurity Security { get; set; } = MailSecurity.StartTls;
    public string? User { get; set; }
    public string? Password { get; set; }
}

public sealed class AcknowledgementOptions
{
    public bool Enabled { get; set; } = true;
    /// <summary>Per language ("zh-CN", "en"): subject and body with {number}, {subject} and {name}.</summary>
    public Dictionary<string, AcknowledgementTextOptions> Texts { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class AcknowledgementTextOptions
{
    public string? Subject { get; set; }
    public string? Body { get; set; }
}

public sealed class SenderLimitOptions
{
    /// <summary>Mails one sender may send in <see cref="Window"/> before the rest is held (0: no limit).</summary>
    public int Mails { get; set; } = 20;
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}

public sealed class SendRetryOptions
{
    /// <summary>Tries in all, the first included.</summary>
    public int Attempts { get; set; } = 6;
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Checks the settings at start-up. Messages name the setting, never its value (passwords).</summary>
public sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions o)
    {
        var errors = new List<string>();
        for (var i = 0; i < o.Mailboxes.Count; i++)
        {
            var m = o.Mailboxes[i];
            var at = $"Email:Mailboxes:{i}";
            if (string.IsNullOrWhiteSpace(m.Name)) errors.Add($"{at}:Name is required.");
            if (string.IsNullOrWhiteSpace(m.Host)) errors.Add($"{at}:Host is required.");
            if (m.Port is < 1 or > 65535) errors.Add($"{at}:Port must be 1-65535.");
            if (string.IsNullOrWhiteSpace(m.User)) errors.Add($"{at}:User is required.");
            if (string.IsNullOrEmpty(m.Password)) errors.Add($"{at}:Password is required.");
            if (string.IsNullOrWhiteSpace(m.Folder)) errors.Add($"{at}:Folder is required.");
            if (string.IsNullOrWhiteSpace(m.QuarantineFolder)) errors.Add($"{at}:QuarantineFolder is required.");
        }
        if (o.Mailboxes.Select(m => m.Name.Trim()).GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
            errors.Add("Email:Mailboxes: each mailbox needs its own Name.");
        if (o.Mailboxes.Count > 0 && !IsAddress(o.FromAddress))
            errors.Add("Email:FromAddress must be an email address when a mailbox is configured.");
        if (!string.IsNullOrWhiteSpace(o.FromAddress) && !IsAddress(o.FromAddress))
            errors.Add("Email:FromAddress is not an email address.");
        if (!string.IsNullOrWhiteSpace(o.Smtp.Host) && o.Smtp.Port is < 1 or > 65535)
            errors.Add("Email:Smtp:Port must be 1-65535.");
        if (o.PollInterval <= TimeSpan.Zero) errors.Add("Email:PollInterval must be positive.");
        if (o.ReconnectFirstDelay <= TimeSpan.Zero || o.ReconnectMaxDelay < o.ReconnectFirstDelay)
            errors.Add("Email:ReconnectFirstDelay must be positive and not above ReconnectMaxDelay.");
        if (o.FetchBatchSize is < 1 or > 1000) errors.Add("Email:FetchBatchSize must be 1-1000.");
        if (o.SenderLimit.Mails < 0 || o.SenderLimit.Window <= TimeSpan.Zero) errors.Add("Email:SenderLimit needs Mails >= 0 and a positive Window.");
        if (o.SendRetry.Attempts < 1 || o.SendRetry.FirstDelay < TimeSpan.Zero || o.SendRetry.MaxDelay < o.SendRetry.FirstDelay)
            errors.Add("Email:SendRetry needs Attempts >= 1 and 0 <= FirstDelay <= MaxDelay.");
        foreach (var key in o.Acknowledgement.Texts.Keys.Where(k => k is not ("zh-CN" or "en")))
            errors.Add($"Email:Acknowledgement:Texts:{key}: only zh-CN and en are known.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsAddress(string? text) =>
        !string.IsNullOrWhiteSpace(text) && System.Net.Mail.MailAddress.TryCreate(text, out var a) && a.Address == text.Trim();
}
