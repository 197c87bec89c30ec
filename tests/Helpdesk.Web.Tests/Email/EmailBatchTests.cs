using System.Text;
using Helpdesk.Core.Email;
using Helpdesk.Web.Email;
using Helpdesk.Web.Tests.Fixtures;
using MailKit;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Tests.Email;

/// <summary>
/// Intake takes a batch of mails in one transaction (a savepoint each) and flags them after the
/// commit. The mails are delivered while the app is stopped, so the first pass finds them all
/// and takes them as one batch (Email:FetchBatchSize is 50).
/// </summary>
public sealed class EmailBatchTests : EmailTestBed
{
    protected override bool StartApp => false;

    private static byte[] Mail(string word, string subject, string? messageId = null) =>
        RawMail.Simple($"{word}@mail.example.cn", subject, $"body of {subject}", messageId ?? $"{subject.Replace(' ', '-')}@mail.example.cn");

    private Task<int> TicketsAsync(string subject) => DbAsync(db => db.Tickets.CountAsync(t => t.Subject == subject));

    /// <summary>Stops the app (its folder kept) and starts a new one on the same database, as after a crash or a deploy.</summary>
    private async Task RestartAsync(Func<Task> whileStopped)
    {
        var folder = App.Folder;
        await App.DisposeAsync(); // started with keepFolder: the database stays
        await whileStopped();
        await StartAppAsync(folder);
    }

    [Fact]
    public async Task An_unreadable_mail_in_a_batch_goes_to_quarantine_and_the_others_become_tickets_and_are_flagged()
    {
        var word = TicketsClient.UniqueWord("batch");
        await AppendAsync(Mail(word, $"First {word}"));
        await AppendAsync(Encoding.ASCII.GetBytes($"Subject: broken {word}\r\nMessage-ID: <broken-{word}@broken.example>\r\nContent-Type: text/plain\r\n\r\nno sender {word}\r\n"));
        await AppendAsync(Mail(word, $"Second {word}"));
        await AppendAsync(Mail(word, $"Third {word}"));
        await StartAppAsync();

        await Eventually.TrueAsync(async () => (await FlagCountsAsync()) == (3, 0), "three mails flagged, none left unflagged");
        foreach (var subject in new[] { $"First {word}", $"Second {word}", $"Third {word}" })
            (await TicketsAsync(subject)).Should().Be(1, $"'{subject}' became one ticket");
        var quarantined = await Eventually.GetAsync(async () =>
            (await MailOfAsync(Support, "Quarantine")).FirstOrDefault(m => m.MessageId == $"broken-{word}@broken.example"), "the broken mail in Quarantine");
        quarantined.TextBody.Should().Contain($"no sender {word}");
        (await DbAsync(db => db.QuarantinedMails.SingleAsync(q => q.MessageId == $"broken-{word}@broken.example"))).Reason.Should().Contain("no sender");
        (await DbAsync(db => db.EmailMessages.CountAsync(e => e.Direction == EmailDirection.Inbound && e.Subject.Contains(word)))).Should().Be(3, "the broken mail stored nothing");
        // The batch's tickets are triaged together after its commit: each once.
        var triaged = await DbAsync(db => (from r in db.TriageResults join t in db.Tickets on r.TicketId equals t.Id
                                           where t.Subject.Contains(word) select t.Subject).ToListAsync());
        triaged.Should().BeEquivalentTo([$"First {word}", $"Second {word}", $"Third {word}"]);
    }

    [Fact]
    public async Task A_mail_the_database_refuses_is_undone_alone_the_rest_of_its_batch_commits_and_it_ends_in_quarantine()
    {
        var word = TicketsClient.UniqueWord("poison");
        await StartAppAsync(keepFolder: true);
        // A real refusal from the database, for this one mail only, wherever it is taken.
        await DbAsync(db => db.Database.ExecuteSqlRawAsync(db.Database.IsNpgsql()
            ? """
              CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW."Subject" LIKE 'Poison%' THEN RAISE EXCEPTION 'poison mail refused'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER refuse_poison BEFORE INSERT ON "EmailMessages" FOR EACH ROW EXECUTE FUNCTION refuse_poison();
              """
            : "CREATE TRIGGER refuse_poison BEFORE INSERT ON EmailMessages WHEN NEW.Subject LIKE 'Poison%' BEGIN SELECT RAISE(ABORT, 'poison mail refused'); END;"));
        await RestartAsync(async () =>
        {
            await AppendAsync(Mail(word, $"Before {word}"));
            await AppendAsync(RawMail.Simple($"poison-{word}@mail.example.cn", $"Poison {word}", "refused", $"poison-{word}@mail.example.cn"));
            await AppendAsync(Mail(word, $"After {word}"));
        });

        // The batch commits without the refused mail: its neighbours are in and flagged.
        await Eventually.TrueAsync(async () => (await FlagCountsAsync()).Flagged == 2, "the two good mails flagged");
        (await TicketsAsync($"Before {word}")).Should().Be(1);
        (await TicketsAsync($"After {word}")).Should().Be(1);
        // Its savepoint undid everything it had written before the refusal: the customer and the ticket.
        (await TicketsAsync($"Poison {word}")).Should().Be(0);
        (await DbAsync(db => db.Customers.CountAsync(c => c.Email == $"poison-{word}@mail.example.cn"))).Should().Be(0);

        // Refused again on its own (retried after a backoff on the app's clock), it goes to quarantine.
        var listed = await Eventually.GetAsync(async () =>
        {
            App.Clock.Advance(TimeSpan.FromMinutes(1));
            return await DbAsync(db => db.QuarantinedMails.FirstOrDefaultAsync(q => q.MessageId == $"poison-{word}@mail.example.cn"));
        }, "the refused mail quarantined");
        listed.Reason.Should().Contain("poison mail refused");
        await Eventually.TrueAsync(async () => (await FlagCountsAsync()) == (2, 0), "the inbox holds only the two flagged mails");
        (await MailOfAsync(Support, "Quarantine")).Should().ContainSingle(m => m.MessageId == $"poison-{word}@mail.example.cn");
        (await TicketsAsync($"Before {word}")).Should().Be(1, "nothing was taken twice on the way");
    }

    [Fact]
    public async Task A_batch_with_a_Message_ID_twice_and_one_already_stored_creates_each_ticket_once_and_flags_every_copy()
    {
        var word = TicketsClient.UniqueWord("dupe");
        await StartAppAsync(keepFolder: true);
        await AppendAsync(Mail(word, $"Stored {word}", $"stored-{word}@mail.example.cn"));
        await Eventually.TrueAsync(async () => (await TicketsAsync($"Stored {word}")) == 1 && (await FlagCountsAsync()).Unflagged == 0, "the first mail in and flagged");

        await RestartAsync(async () =>
        {
            // A redelivery of the stored mail, a mail sent twice within the batch, and a new one.
            await AppendAsync(Mail(word, $"Stored {word}", $"stored-{word}@mail.example.cn"));
            await AppendAsync(Mail(word, $"Twice {word}", $"twice-{word}@mail.example.cn"));
            await AppendAsync(Mail(word, $"Twice {word}", $"twice-{word}@mail.example.cn"));
            await AppendAsync(Mail(word, $"New {word}", $"new-{word}@mail.example.cn"));
        });

        await Eventually.TrueAsync(async () => (await FlagCountsAsync()) == (5, 0), "all five copies flagged");
        (await TicketsAsync($"Stored {word}")).Should().Be(1, "the stored Message-ID is a duplicate");
        (await TicketsAsync($"Twice {word}")).Should().Be(1, "the second copy in the batch is a duplicate of the first");
        (await TicketsAsync($"New {word}")).Should().Be(1);
        foreach (var id in new[] { $"stored-{word}@mail.example.cn", $"twice-{word}@mail.example.cn", $"new-{word}@mail.example.cn" })
            (await DbAsync(db => db.EmailMessages.CountAsync(e => e.MessageId == id && e.Direction == EmailDirection.Inbound))).Should().Be(1, id);
        (await DbAsync(db => db.Customers.CountAsync(c => c.Email == $"{word}@mail.example.cn"))).Should().Be(1, "one sender, one customer, however many mails of the batch");
        (await DbAsync(db => db.QuarantinedMails.CountAsync(q => q.MessageId!.Contains(word)))).Should().Be(0);
    }

    [Fact]
    public async Task A_batch_whose_flags_were_lost_after_its_commit_is_only_flagged_after_a_restart()
    {
        var word = TicketsClient.UniqueWord("lost");
        var subjects = Enumerable.Range(1, 4).Select(i => $"Lost {i} {word}").ToList();
        foreach (var s in subjects)
            await AppendAsync(Mail(word, s));
        await StartAppAsync(keepFolder: true);
        await Eventually.TrueAsync(async () => (await FlagCountsAsync()) == (4, 0), "the batch flagged");
        await Eventually.TrueAsync(async () => await DbAsync(db => db.EmailMessages.CountAsync(e => e.OutboundKind == OutboundKind.Acknowledgement && e.ToAddresses == $"{word}@mail.example.cn")) == 4,
            "an acknowledgement prepared for each new ticket");

        // As if the app had died between the batch's commit and its STORE: every flag gone.
        await RestartAsync(async () =>
        {
            using var imap = await ImapAsync(Support);
            var inbox = await imap.GetFolderAsync("INBOX");
            await inbox.OpenAsync(FolderAccess.ReadWrite);
            await inbox.RemoveFlagsAsync(await inbox.SearchAsync(SearchQuery.All), MessageFlags.None, new HashSet<string> { EmailIntakeWorker.ProcessedKeyword }, silent: true);
            (await inbox.SearchAsync(SearchQuery.NotKeyword(EmailIntakeWorker.ProcessedKeyword))).Count.Should().Be(4);
        });

        await Eventually.TrueAsync(async () => (await FlagCountsAsync()) == (4, 0), "the batch flagged again after the restart");
        foreach (var s in subjects)
            (await TicketsAsync(s)).Should().Be(1, $"'{s}' is known by its Message-ID: no second ticket");
        (await DbAsync(db => db.EmailMessages.CountAsync(e => e.Direction == EmailDirection.Inbound && e.Subject.Contains(word)))).Should().Be(4);
        (await DbAsync(db => db.EmailMessages.CountAsync(e => e.OutboundKind == OutboundKind.Acknowledgement && e.ToAddresses == $"{word}@mail.example.cn"))).Should().Be(4, "and no second acknowledgement");
    }
}
