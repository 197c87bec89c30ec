using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Helpdesk.Core.Email;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Helpdesk.Web.Tests.Hostile;

/// <summary>The email bed with a small attachment limit, so that an oversize file needs only a few megabytes.</summary>
public sealed class HostileMailBed : EmailTestBed
{
    public const int MaxAttachmentBytes = 1024 * 1024;
    protected override IEnumerable<string> ExtraSettings => [$"Email:MaxAttachmentBytes={MaxAttachmentBytes}"];
}

/// <summary>
/// Issue 11 point 5, mail: every malformed mail of tests/corpus/mime and an oversize mail made here,
/// delivered byte for byte into the real Dovecot mailbox the app reads over IMAP. Each one becomes a
/// ticket or a quarantine entry with a reason, the intake keeps going (a good mail after them
/// arrives), files named to escape the attachment folder stay inside it, and downloads carry a
/// harmless Content-Disposition.
/// </summary>
public sealed class HostileMailTests(HostileMailBed bed, ITestOutputHelper output) : IClassFixture<HostileMailBed>
{
    private const string Mailbox = "support";

    private sealed record Outcome(string Name, long? TicketNumber, long? TicketId, string? Quarantine);

    /// <summary>A 3 MB text body and a 2 MB file: the body is cut to the timeline's limit, the file skipped with a note.</summary>
    private static byte[] OversizeMail(string word)
    {
        var boundary = "oversize-" + word;
        var body = HostileCorpus.Oversize.Text(3 * 1024 * 1024);
        var file = new byte[2 * HostileMailBed.MaxAttachmentBytes];
        Random.Shared.NextBytes(file);
        var raw = new StringBuilder()
            .Append($"From: Oversize <{word}@corpus.test>\r\nTo: {EmailTestBed.Support}\r\nSubject: Oversize {word}\r\n")
            .Append($"Message-ID: <{word}@corpus.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n")
            .Append($"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(word + " " + body), Base64FormattingOptions.InsertLineBreaks)).Append("\r\n")
            .Append($"--{boundary}\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=\"big.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(Convert.ToBase64String(file, Base64FormattingOptions.InsertLineBreaks)).Append($"\r\n--{boundary}--\r\n");
        return Encoding.ASCII.GetBytes(raw.ToString());
    }

    [Fact]
    public async Task Every_malformed_mail_becomes_a_ticket_or_a_quarantine_entry_and_the_intake_goes_on()
    {
        HostileCorpus.Mails.Should().HaveCountGreaterThanOrEqualTo(15, "the corpus is the point of this test");
        var uids = new Dictionary<string, uint>();
        foreach (var (name, raw) in HostileCorpus.Mails)
            uids[name] = (await bed.AppendAsync(raw)) ?? throw new InvalidOperationException($"Dovecot gave no UID for {name}");
        var oversizeWord = TicketsClient.UniqueWord("oversize");
        uids["oversize (generated)"] = (await bed.AppendAsync(OversizeMail(oversizeWord)))!.Value;
        // A good mail after all of them: the intake must still be alive to take it.
        var goodWord = TicketsClient.UniqueWord("good");
        await bed.AppendAsync(RawMail.Simple($"{goodWord}@mail.example.cn", "Good mail after the hostile ones", $"all fine {goodWord}"));

        var agent = await bed.App.StaffAsync(Demo.Admin);
        var good = await bed.TicketWithAsync(goodWord, agent);
        good.Timeline.Should().Contain(m => m.Body.Contains(goodWord));

        var outcomes = await Eventually.GetAsync(async () =>
        {
            var list = await bed.DbAsync(async db =>
            {
                var result = new List<Outcome>();
                foreach (var (name, uid) in uids)
                {
                    var taken = await db.EmailMessages.AsNoTracking().Where(e => e.Mailbox == Mailbox && e.Uid == uid && e.Direction == EmailDirection.Inbound)
                        .Select(e => new { e.TicketId }).FirstOrDefaultAsync();
                    var number = taken is null ? null : await db.Tickets.Where(t => t.Id == taken.TicketId).Select(t => (long?)t.Number).SingleAsync();
                    var quarantined = await db.QuarantinedMails.AsNoTracking().Where(q => q.Mailbox == Mailbox && q.Uid == uid).Select(q => q.Reason).FirstOrDefaultAsync();
                    result.Add(new Outcome(name, number, taken?.TicketId, quarantined));
                }
                return result;
            });
            return list.All(o => o.TicketNumber is not null || o.Quarantine is not null) ? list : null;
        }, "every corpus mail taken in or quarantined", TimeSpan.FromSeconds(90));

        foreach (var o in outcomes)
            output.WriteLine($"{o.Name,-40} {(o.TicketNumber is { } n ? $"ticket {n}" : "quarantine: " + o.Quarantine)}");
        outcomes.Should().OnlyContain(o => (o.TicketNumber == null) != (o.Quarantine == null), "a mail is either a ticket or quarantined, never both");
        outcomes.Where(o => o.Quarantine != null).Should().OnlyContain(o => o.Quarantine!.Trim().Length > 10, "a quarantined mail says why");
        outcomes.Where(o => o.Name[..3] is "01-" or "02-" or "03-").Should().OnlyContain(o => o.Quarantine != null, "without a sender nobody could be answered");
        outcomes.Single(o => o.Name.StartsWith("26-")).TicketNumber.Should().NotBeNull("NUL in a mail's text is dropped, not a reason to refuse the mail");
        outcomes.Count(o => o.TicketNumber != null).Should().BeGreaterThanOrEqualTo(20, "a broken mail from a real sender still reaches an agent");
        // Nothing is left unprocessed in the inbox: taken mail is flagged, quarantined mail moved.
        await Eventually.TrueAsync(async () => (await bed.FlagCountsAsync()).Unflagged == 0, "the inbox drained");
        using (var imap = await bed.ImapAsync(EmailTestBed.Support))
        {
            // Counted, not parsed: the mail without headers is no MIME message for a reader either.
            var quarantine = await imap.GetFolderAsync("Quarantine");
            await quarantine.OpenAsync(MailKit.FolderAccess.ReadOnly);
            quarantine.Count.Should().Be(outcomes.Count(o => o.Quarantine != null), "quarantined mail is kept whole, not dropped");
        }

        // Every ticket shows its marker word (text was decoded somehow, never lost), and no stored text keeps a line break in a subject.
        foreach (var o in outcomes.Where(o => o.TicketNumber != null && !o.Name.StartsWith("oversize")))
        {
            var detail = await agent.Http.GetFromJsonAsync<TicketDetail>($"/api/tickets/{o.TicketNumber}", TestJson.Options);
            var marker = HostileCorpus.MarkerOf(o.Name);
            (detail!.Ticket.Subject + "\n" + string.Join("\n", detail.Timeline.Select(m => m.Body))).Should().Contain(marker, "{0} keeps its words", o.Name);
            detail.Ticket.Subject.Should().NotContainAny(["\r", "\n"], "{0}: a subject is one line", o.Name);
            detail.Timeline.Select(m => m.Body + m.AuthorName).Should().NotContain(t => t.Contains('\0'), "{0}: NUL is no text (and PostgreSQL refuses it)", o.Name);
        }

        var oversize = outcomes.Single(o => o.Name.StartsWith("oversize"));
        var oversized = await agent.Http.GetFromJsonAsync<TicketDetail>($"/api/tickets/{oversize.TicketNumber}", TestJson.Options);
        var first = oversized!.Timeline.First(m => m.Kind == MessageKind.Customer);
        first.Body.Length.Should().BeLessThanOrEqualTo(TicketLimits.BodyMax, "a 3 MB body is cut to what the timeline holds");
        // Asserted as booleans: a failure message quoting 20,000 characters helps nobody.
        first.Body.StartsWith(oversizeWord).Should().BeTrue("the start of the text is kept");
        first.Body.Contains("big.zip").Should().BeTrue("the note naming the skipped file survives the cut, at the end: {0}", first.Body[^200..]);
        (await bed.DbAsync(db => db.Attachments.CountAsync(a => a.TicketId == oversize.TicketId))).Should().Be(0, "the 2 MB file is over the 1 MB limit");

        // The injected Bcc/X-Injected of mail 08 never becomes a header of the acknowledgement we send back.
        var ack08 = await bed.DbAsync(db => db.EmailMessages.AsNoTracking()
            .Where(e => e.Direction == EmailDirection.Outbound && e.ToAddresses.Contains("hostile-08@corpus.test")).ToListAsync());
        ack08.Should().NotBeEmpty("the mail with the encoded CR/LF is acknowledged like any other");
        var sent08 = await bed.CustomerMailAsync(m => m.To.Mailboxes.Any(a => a.Address == "hostile-08@corpus.test"), "the acknowledgement to hostile-08");
        sent08.Bcc.Count.Should().Be(0, "an encoded CR/LF in the subject must not inject a Bcc");
        sent08.Headers.Contains("X-Injected").Should().BeFalse();
        sent08.Subject.Should().NotContainAny(["\r", "\n"]);

        await AttachmentsStayInTheStoreAsync(outcomes, agent);
    }

    private async Task AttachmentsStayInTheStoreAsync(IReadOnlyList<Outcome> outcomes, StaffClient admin)
    {
        var ticketIds = outcomes.Where(o => o.TicketId != null).Select(o => o.TicketId!.Value).ToList();
        var files = await bed.DbAsync(db => db.Attachments.AsNoTracking().Where(a => ticketIds.Contains(a.TicketId)).ToListAsync());
        files.Count.Should().BeGreaterThanOrEqualTo(20, "the hostile-named files of mails 15 to 21 are kept");
        foreach (var f in files) output.WriteLine($"stored as {f.StorageKey}: {Escape(f.FileName)}");

        var longNamed = outcomes.Single(o => o.Name.StartsWith("20-")).TicketId;
        files.Where(f => f.TicketId == longNamed).Should().HaveCount(2).And.OnlyContain(f => f.FileName.EndsWith(".png"), "a 300-character name is cut before its extension");

        var root = Path.GetFullPath(Path.Combine(bed.App.Folder, "attachments")) + Path.DirectorySeparatorChar;
        foreach (var f in files)
        {
            f.FileName.Should().NotContainAny(["/", "\\", "\0", "\r", "\n", "\u202e", "\u202b", "\u202c"], "a stored name is a bare, plain name ({0})", Escape(f.FileName));
            f.FileName.Length.Should().BeInRange(1, AttachmentRules.FileNameMax);
            var path = Path.GetFullPath(Path.Combine(root, f.StorageKey));
            path.Should().StartWith(root, "the bytes of {0} are stored inside the attachment folder", Escape(f.FileName));
            File.Exists(path).Should().BeTrue();
        }
        // The names asked to write elsewhere: nothing appeared there.
        foreach (var outside in new[] { "/tmp/hostile-15-written.png", "/tmp/hostile-16-absolute.png", "/etc/cron.d/hostile", "/etc/passwd.png" })
            File.Exists(outside).Should().BeFalse($"{outside} must not be written by the intake");
        var onDisk = Directory.GetFiles(root, "*", SearchOption.AllDirectories);
        onDisk.Should().OnlyContain(p => !p.EndsWith(".part"), "no half-written file is left");
        onDisk.Select(Path.GetFileName).Should().OnlyContain(n => IsGuid(n!), "file names on disk are ours, never the sender's");

        foreach (var f in files)
        {
            using var response = await admin.Http.GetAsync($"/api/attachments/{f.Id}");
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/octet-stream", "a file whose bytes prove nothing is served as a download");
            response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
            var disposition = response.Content.Headers.ContentDisposition;
            disposition.Should().NotBeNull();
            disposition!.DispositionType.Should().Be("attachment");
            var raw = response.Content.Headers.GetValues("Content-Disposition").Single();
            raw.Should().NotContainAny(["\r", "\n", "\0"], "the header is one line");
            var named = Uri.UnescapeDataString((disposition.FileNameStar ?? disposition.FileName ?? "").Trim('"'));
            named.Should().NotContainAny(["/", "\\", "\u202e"], "the browser is offered a bare name ({0})", raw);
            (await response.Content.ReadAsStringAsync()).Should().StartWith("hostile file");
        }
    }

    private static bool IsGuid(string name) => Guid.TryParseExact(name, "N", out var _);

    private static string Escape(string s) => string.Concat(s.Select(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format ? $"\\u{(int)c:x4}" : c.ToString()));
}
