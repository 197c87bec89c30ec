using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Helpdesk.Data;
using Helpdesk.Web;
using Helpdesk.Web.Data;
using Helpdesk.Web.Email;
using Helpdesk.Web.Tests.Fixtures;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Helpdesk.Bench.Mail;

/// <summary>
/// Mail intake speed (issue 4): a real Dovecot gets N varied mails (charsets, HTML, files,
/// replies); then (a) the baseline: MailKit fetches them all and MimeKit parses them, nothing
/// stored; (b) the app's own intake worker takes the same mailbox into tickets (a transaction
/// per fetched batch, a savepoint per mail, flagged after the commit). Figures and the ratio b/a; nothing is asserted.
/// </summary>
public static class MailBench
{
    private const string Support = "support@bench.local";

    /// <param name="whatIfNormal">Also time intake with synchronous=NORMAL (no fsync per commit): how much of the time the disk takes.</param>
    public static async Task<int> RunAsync(int count, bool whatIfNormal = false)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Console.WriteLine("Helpdesk mail intake bench");
        Console.WriteLine($"  machine   {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine($"  load      {Load()} (1/5/15 min)");
        Console.WriteLine($"  mails     {count:N0} from up to 997 senders: utf-8, gb2312, gbk, big5, iso-8859-1; 20% HTML, 10% with a 20 KB file, 20% replies to earlier mails");
        Console.WriteLine("  (figures only: nothing here passes or fails)");

        await using var dovecot = await DovecotServer.StartAsync(Support);
        var mails = Generate(count);
        var append = Stopwatch.StartNew();
        await using (var appender = await RawImapAppender.ConnectAsync(dovecot.Host, dovecot.Port, Support, DovecotServer.Password))
            foreach (var mail in mails)
                await appender.AppendAsync(mail);
        append.Stop();
        Console.WriteLine($"  appended  {count:N0} mails ({mails.Sum(m => (long)m.Length) / 1024 / 1024} MB) by IMAP APPEND in {append.Elapsed.TotalSeconds:F1} s");

        var cpu = Process.GetCurrentProcess();
        var cpuBefore = cpu.TotalProcessorTime;
        var fetched = new List<MemoryStream>(count);
        var raw = await RawFetchAndParseAsync(dovecot, count, fetched);
        var rawCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Console.WriteLine($"(a) raw MailKit fetch + MimeKit parse, batches of 50:  {raw.TotalSeconds,6:F1} s  {count / raw.TotalSeconds,8:F0} mails/s  CPU {rawCpu.TotalMilliseconds / count:F3} ms/mail");

        // Where intake's CPU goes, part 1: the app's own reading of the same bytes (MIME, charsets,
        // HTML sanitising, quote splitting, files), nothing stored.
        cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var read = Stopwatch.StartNew();
        foreach (var bytes in fetched.Select(f => f.ToArray()).ToList())
            MailReader.Read(bytes, 25 * 1024 * 1024);
        read.Stop();
        var readCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Console.WriteLine($"    app MailReader.Read over the same bytes (no I/O):  {read.Elapsed.TotalSeconds,6:F1} s  {count / read.Elapsed.TotalSeconds,8:F0} mails/s  CPU {readCpu.TotalMilliseconds / count:F3} ms/mail");
        fetched.Clear();

        cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var (intake, tickets, stored) = await IntakeAsync(dovecot, count, "FULL");
        var intakeCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Console.WriteLine($"(b) app intake into tickets (SQLite, synchronous=FULL): {intake.TotalSeconds,6:F1} s  {count / intake.TotalSeconds,8:F0} mails/s  CPU {intakeCpu.TotalMilliseconds / count:F3} ms/mail (app start included)  ({tickets:N0} tickets, {stored:N0} mails stored)");
        var ratio = raw.TotalSeconds / intake.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine($"Summary: intake {count / intake.TotalSeconds:F0} mails/s = {ratio:P0} of raw fetch+parse ({count / raw.TotalSeconds:F0} mails/s); targets >= 200 mails/s and >= 50%; load now {Load()}");
        Console.WriteLine($"         CPU per mail in this process: raw {rawCpu.TotalMilliseconds / count:F3} ms, app read {readCpu.TotalMilliseconds / count:F3} ms, intake {intakeCpu.TotalMilliseconds / count:F3} ms (CPU ratio raw/intake {rawCpu / intakeCpu:P1})");
        if (whatIfNormal)
        {
            // The same mailbox again, unflagged, into a fresh database that does not fsync each commit.
            await using (var appender = await RawImapAppender.ConnectAsync(dovecot.Host, dovecot.Port, Support, DovecotServer.Password))
            {
                await appender.CommandAsync("SELECT INBOX");
                await appender.CommandAsync($"UID STORE 1:* -FLAGS.SILENT ({EmailIntakeWorker.ProcessedKeyword})");
            }
            var (normal, _, _) = await IntakeAsync(dovecot, count, "NORMAL");
            Console.WriteLine($"WHAT-IF synchronous=NORMAL (not the app's setting: a power cut could lose mail already flagged): {normal.TotalSeconds:F1} s, {count / normal.TotalSeconds:F0} mails/s = {raw.TotalSeconds / normal.TotalSeconds:P0} of raw");
        }
        return 0;
    }

    private static async Task<TimeSpan> RawFetchAndParseAsync(DovecotServer dovecot, int count, List<MemoryStream> keep)
    {
        var watch = Stopwatch.StartNew();
        using var client = new ImapClient();
        await client.ConnectAsync(dovecot.Host, dovecot.Port, MailKit.Security.SecureSocketOptions.None);
        await client.AuthenticateAsync(Support, DovecotServer.Password);
        var inbox = (ImapFolder)client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        var uids = (await inbox.SearchAsync(SearchQuery.All)).OrderBy(u => u.Id).ToList();
        var parsed = 0;
        foreach (var batch in uids.Chunk(50))
        {
            await inbox.GetStreamsAsync(batch, async (_, _, _, stream, ct) =>
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, ct);
                keep.Add(copy); // the stream itself, no copy: the baseline does no extra work for the read figure below
                copy.Position = 0;
                var message = await MimeMessage.LoadAsync(copy, ct);
                _ = message.TextBody ?? message.HtmlBody;
                parsed++;
            });
        }
        await client.DisconnectAsync(true);
        if (parsed != count) throw new InvalidOperationException($"Parsed {parsed} of {count} mails.");
        return watch.Elapsed;
    }

    private static async Task<(TimeSpan Elapsed, int Tickets, int Stored)> IntakeAsync(DovecotServer dovecot, int count, string synchronous)
    {
        var folder = Directory.CreateTempSubdirectory("helpdesk-mailbench-").FullName;
        try
        {
            var builder = HelpdeskApp.CreateBuilder(
            [
                "--environment=Bench", "--urls=http://127.0.0.1:0",
                $"--ConnectionStrings:Helpdesk=Data Source={Path.Combine(folder, "helpdesk.db")}", "--Database:Provider=Sqlite",
                $"--Attachments:Root={Path.Combine(folder, "attachments")}",
                "--Logging:LogLevel:Default=Warning", $"--Database:SqliteSynchronous={synchronous}",
                "--Email:Mailboxes:0:Name=bench", $"--Email:Mailboxes:0:Host={dovecot.Host}", $"--Email:Mailboxes:0:Port={dovecot.Port}",
                "--Email:Mailboxes:0:Security=None", $"--Email:Mailboxes:0:User={Support}", $"--Email:Mailboxes:0:Password={DovecotServer.Password}",
                $"--Email:FromAddress={Support}",
                // Acknowledgements are outbound work (a Hangfire job and an SMTP session each): not part of intake.
                "--Email:Acknowledgement:Enabled=false",
            ]);
            var statements = new StatementCounter();
            builder.Services.ConfigureDbContext<HelpdeskDbContext>(o => o.AddInterceptors(statements));
            var app = HelpdeskApp.Build(builder);
            await app.PrepareDatabaseAsync();
            statements.Counts.Clear();
            var status = app.Services.GetRequiredService<MailIntakeStatus>();
            var watch = Stopwatch.StartNew();
            await app.StartAsync();
            var lastReport = TimeSpan.Zero;
            while ((status.Of("bench")?.Taken ?? 0) < count)
            {
                if (status.Of("bench")?.Problem is { } problem) throw new InvalidOperationException("Intake failed: " + problem);
                if (watch.Elapsed - lastReport > TimeSpan.FromSeconds(10))
                {
                    lastReport = watch.Elapsed;
                    Console.WriteLine($"    ... {status.Of("bench")?.Taken ?? 0:N0} taken in after {watch.Elapsed.TotalSeconds:F0} s");
                }
                await Task.Delay(20);
            }
            var elapsed = watch.Elapsed;
            Console.WriteLine($"    SQL statements per mail: {(double)statements.Total / count:F1}; most frequent:");
            foreach (var (sql, n) in statements.Counts.OrderByDescending(c => c.Value).Take(int.TryParse(Environment.GetEnvironmentVariable("MAILBENCH_SQL_TOP"), out var top) ? top : 0))
                Console.WriteLine($"      {(double)n / count,5:F2}  {sql}");
            int tickets, stored;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
                tickets = await db.Tickets.CountAsync(t => t.Channel == Helpdesk.Core.Tickets.TicketChannel.Email);
                stored = await db.EmailMessages.CountAsync();
            }
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            return (elapsed, tickets, stored);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Varied mail: five charsets, plain and HTML, some with a file, some replying to an earlier mail.</summary>
    private static List<byte[]> Generate(int count)
    {
        var random = new Random(42);
        var charsets = new[] { "utf-8", "gb2312", "gbk", "big5", "iso-8859-1" };
        var chinese = new[] { "耳机没有声音，请帮忙处理。", "订单还没有发货，什么时候能到？", "我想申请退货退款。", "发票抬头开错了，请重开。" };
        var traditional = new[] { "耳機沒有聲音，請幫忙處理。", "訂單還沒有發貨。" };
        var latin = new[] { "Bonjour, le colis n'est pas arrivé.", "My order has not arrived yet, can you check?" };
        var file = new byte[20 * 1024];
        random.NextBytes(file);
        "%PDF-1.4\n"u8.CopyTo(file);
        var ids = new List<string>();
        var result = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            var charset = charsets[i % charsets.Length];
            var text = charset switch
            {
                "big5" => traditional[random.Next(traditional.Length)],
                "iso-8859-1" => latin[random.Next(latin.Length)],
                _ => chinese[random.Next(chinese.Length)],
            };
            var encoding = Encoding.GetEncoding(charset);
            var message = new MimeMessage();
            message.From.Add(new MailboxAddress(charset == "iso-8859-1" ? $"Client {i % 997}" : $"客户{i % 997}", $"customer{i % 997}@mail{i % 997 % 7}.example.cn"));
            message.To.Add(MailboxAddress.Parse(Support));
            message.Subject = $"{text[..Math.Min(8, text.Length)]} #{i}";
            message.MessageId = $"bench-{i}@mail.example.cn";
            if (i > 10 && random.Next(5) == 0)
            {
                var parent = ids[random.Next(ids.Count)];
                message.InReplyTo = parent;
                message.References.Add(parent);
            }
            ids.Add(message.MessageId);
            var body = new BodyBuilder();
            var textPart = new TextPart("plain");
            textPart.SetText(encoding, $"{text}\n\n第 {i} 封 / mail {i}\n\nOn Mon, Support wrote:\n> earlier answer\n");
            if (random.Next(5) == 0)
            {
                var html = new TextPart("html");
                html.SetText(encoding, $"<p>{text}</p><p>mail {i}</p><div class=\"gmail_quote\">On Mon, Support wrote:<blockquote>earlier answer</blockquote></div>");
                var alternative = new MultipartAlternative { textPart, html };
                message.Body = alternative;
            }
            else
            {
                message.Body = textPart;
            }
            if (random.Next(10) == 0)
            {
                var mixed = new Multipart("mixed") { message.Body };
                mixed.Add(new MimePart("application", "pdf")
                {
                    Content = new MimeContent(new MemoryStream(file)), ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                    ContentTransferEncoding = ContentEncoding.Base64, FileName = $"invoice-{i}.pdf",
                });
                message.Body = mixed;
            }
            using var stream = new MemoryStream();
            message.WriteTo(stream);
            result.Add(stream.ToArray());
        }
        return result;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
