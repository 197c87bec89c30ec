using System.Net;
using System.Text;
using Helpdesk.Web.Tickets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Fixtures;

/// <summary>
/// The email channel's world: a real Dovecot (the support mailbox and a customer's), a real SMTP
/// server delivering into the customer's Maildir, and the app configured to take mail in from
/// support@ and to send through that SMTP server. Retries are made fast by configuration
/// (tenths of a second), never by sleeping.
/// </summary>
public class EmailTestBed : IAsyncLifetime
{
    public const string Support = "support@test.local";
    public const string Customer = "customer@test.local";
    public const string Other = "other@test.local";

    public DovecotServer Dovecot { get; private set; } = null!;
    public SmtpSink Smtp { get; private set; } = null!;
    public HelpdeskServer App { get; private set; } = null!;

    /// <summary>Settings a subclass adds or overrides (applied after the bed's own).</summary>
    protected virtual IEnumerable<string> ExtraSettings => [];

    /// <summary>False to start the app without the mailbox (a test that configures its own).</summary>
    protected virtual bool StartApp => true;

    public virtual async Task InitializeAsync()
    {
        try
        {
            Dovecot = await DovecotServer.StartAsync(Support, Customer, Other);
            Smtp = await SmtpSink.StartAsync(Dovecot, Customer);
            if (StartApp)
                await StartAppAsync();
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: the servers must not outlive it.
            await DisposeAsync();
            throw;
        }
    }

    public IEnumerable<string> MailSettings(string? folder = null) =>
    [
        "Email:Mailboxes:0:Name=support",
        $"Email:Mailboxes:0:Host={Dovecot.Host}",
        $"Email:Mailboxes:0:Port={Dovecot.Port}",
        "Email:Mailboxes:0:Security=None",
        $"Email:Mailboxes:0:User={Support}",
        $"Email:Mailboxes:0:Password={DovecotServer.Password}",
        $"Email:FromAddress={Support}",
        "Email:FromName=演示商城客服 Demo Shop Support",
        $"Email:Smtp:Host={Smtp.Host}",
        $"Email:Smtp:Port={Smtp.Port}",
        "Email:Smtp:Security=None",
        "Email:SendRetry:Attempts=3",
        "Email:SendRetry:FirstDelay=00:00:00.1",
        "Email:SendRetry:MaxDelay=00:00:00.4",
        "Jobs:SchedulePollingInterval=00:00:00.1",
        // Small, so a storm test needs few mails; every other test writes from its own address.
        "Email:SenderLimit:Mails=5",
    ];

    /// <summary>The app's database, for what the API does not show (outbound rows, say).</summary>
    public async Task<T> DbAsync<T>(Func<Helpdesk.Data.HelpdeskDbContext, Task<T>> query)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<Helpdesk.Data.HelpdeskDbContext>());
    }

    public async Task StartAppAsync(string? folder = null, bool keepFolder = false)
    {
        App = folder is null ? new HelpdeskServer { KeepFolder = keepFolder } : new HelpdeskServer { Folder = folder, KeepFolder = keepFolder };
        App.Settings.AddRange(MailSettings());
        App.Settings.AddRange(ExtraSettings);
        await App.InitializeAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (Smtp is not null) await Smtp.DisposeAsync();
        if (Dovecot is not null) await Dovecot.DisposeAsync();
    }

    public async Task<ImapClient> ImapAsync(string user)
    {
        var client = new ImapClient();
        await client.ConnectAsync(Dovecot.Host, Dovecot.Port, MailKit.Security.SecureSocketOptions.None);
        await client.AuthenticateAsync(user, DovecotServer.Password);
        return client;
    }

    /// <summary>"Delivers" a mail byte for byte: IMAP APPEND into the user's folder.</summary>
    public async Task<uint?> AppendAsync(byte[] raw, string user = Support, string folder = "INBOX")
    {
        await using var appender = await RawImapAppender.ConnectAsync(Dovecot.Host, Dovecot.Port, user, DovecotServer.Password);
        return await appender.AppendAsync(raw, folder);
    }

    /// <summary>Every mail in a user's folder, parsed.</summary>
    public async Task<List<MimeMessage>> MailOfAsync(string user, string folder = "INBOX")
    {
        using var client = await ImapAsync(user);
        var f = await client.GetFolderAsync(folder);
        await f.OpenAsync(FolderAccess.ReadOnly);
        var list = new List<MimeMessage>();
        foreach (var uid in await f.SearchAsync(SearchQuery.All))
            list.Add(await f.GetMessageAsync(uid));
        await client.DisconnectAsync(true);
        return list;
    }

    /// <summary>The UIDs of a folder that carry (or lack) the processed keyword.</summary>
    public async Task<(int Flagged, int Unflagged)> FlagCountsAsync(string user = Support, string folder = "INBOX")
    {
        using var client = await ImapAsync(user);
        var f = await client.GetFolderAsync(folder);
        await f.OpenAsync(FolderAccess.ReadOnly);
        var flagged = (await f.SearchAsync(SearchQuery.HasKeyword(Helpdesk.Web.Email.EmailIntakeWorker.ProcessedKeyword))).Count;
        var unflagged = (await f.SearchAsync(SearchQuery.NotKeyword(Helpdesk.Web.Email.EmailIntakeWorker.ProcessedKeyword))).Count;
        await client.DisconnectAsync(true);
        return (flagged, unflagged);
    }

    /// <summary>Waits for a mail in the customer's mailbox (the SMTP server's delivery) that matches.</summary>
    public Task<MimeMessage> CustomerMailAsync(Func<MimeMessage, bool> match, string what, string user = Customer) =>
        Eventually.GetAsync(async () => (await MailOfAsync(user)).FirstOrDefault(match), what);

    /// <summary>Waits for the one email ticket whose text contains <paramref name="word"/>.</summary>
    public async Task<TicketDetail> TicketWithAsync(string word, StaffClient staff, Func<TicketDetail, bool>? until = null)
    {
        return await Eventually.GetAsync(async () =>
        {
            var page = await staff.Http.GetFromJsonAsync<TicketPage>($"/api/tickets?q={Uri.EscapeDataString(word)}&sort=newest", TestJson.Options);
            if (page!.Items.Count == 0) return null;
            var detail = await staff.Http.GetFromJsonAsync<TicketDetail>($"/api/tickets/{page.Items[0].Number}", TestJson.Options);
            return until is null || until(detail!) ? detail : null;
        }, $"an email ticket containing '{word}'");
    }
}

/// <summary>Polls for an outcome with a timeout: what real servers in another process need, instead of sleeps.</summary>
/// <summary>Raw RFC 5322 mail built byte for byte, in any charset, with RFC 2047 encoded words.</summary>
public static class RawMail
{
    static RawMail() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>An encoded word (B: base64, Q: quoted-printable) of <paramref name="text"/> in <paramref name="charset"/>.</summary>
    public static string Word(string text, string charset, char encoding)
    {
        var bytes = Encoding.GetEncoding(charset).GetBytes(text);
        if (encoding == 'B')
            return $"=?{charset}?B?{Convert.ToBase64String(bytes)}?=";
        var q = new StringBuilder();
        foreach (var b in bytes)
            q.Append(b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' ? ((char)b).ToString()
                : b == (byte)' ' ? "_" : $"={b:X2}");
        return $"=?{charset}?Q?{q}?=";
    }

    public static byte[] Text(string charset, char wordEncoding, string fromName, string fromAddress, string subject, string body,
        string transfer = "base64", string? messageId = null, string to = EmailTestBed.Support, IEnumerable<string>? extraHeaders = null)
    {
        var encoding = Encoding.GetEncoding(charset);
        var bytes = encoding.GetBytes(body.Replace("\r\n", "\n").Replace("\n", "\r\n"));
        string encodedBody = transfer switch
        {
            "base64" => Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks),
            "quoted-printable" => QuotedPrintable(bytes),
            _ => "",
        };
        var head = new StringBuilder()
            .Append($"From: {Word(fromName, charset, wordEncoding)} <{fromAddress}>\r\n")
            .Append($"To: {to}\r\n")
            .Append($"Subject: {Word(subject, charset, wordEncoding)}\r\n")
            .Append($"Date: Mon, 23 Nov 2026 09:00:00 +0800\r\n")
            .Append($"Message-ID: <{messageId ?? Guid.NewGuid().ToString("N") + "@mail.example.cn"}>\r\n");
        foreach (var h in extraHeaders ?? []) head.Append(h).Append("\r\n");
        head.Append("MIME-Version: 1.0\r\n")
            .Append($"Content-Type: text/plain; charset=\"{charset}\"\r\n")
            .Append($"Content-Transfer-Encoding: {transfer}\r\n\r\n");
        var result = new MemoryStream();
        result.Write(Encoding.ASCII.GetBytes(head.ToString()));
        if (transfer == "8bit") result.Write(bytes);
        else result.Write(Encoding.ASCII.GetBytes(encodedBody));
        result.Write("\r\n"u8);
        return result.ToArray();
    }

    /// <summary>A plain UTF-8 mail with any headers (threading, auto-reply...).</summary>
    public static byte[] Simple(string fromAddress, string subject, string body, string? messageId = null, params string[] headers) =>
        Text("utf-8", 'B', "陈明", fromAddress, subject, body, "base64", messageId, extraHeaders: headers);

    private static string QuotedPrintable(byte[] bytes)
    {
        var sb = new StringBuilder();
        var line = 0;
        foreach (var b in bytes)
        {
            string piece = b == '\r' || b == '\n' ? ((char)b).ToString()
                : b is >= 33 and <= 126 && b != '=' ? ((char)b).ToString() : $"={b:X2}";
            if (b == '\n') line = 0;
            else if (line + piece.Length > 72) { sb.Append("=\r\n"); line = 0; }
            sb.Append(piece);
            if (b != '\r' && b != '\n') line += piece.Length;
        }
        return sb.ToString();
    }
}
