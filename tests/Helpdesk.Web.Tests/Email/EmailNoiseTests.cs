using System.Net;
using System.Text;
using Helpdesk.Core.Email;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Email;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Tests.Email;

/// <summary>What must not become work: broken mail (quarantined, never dropped), robots, loops and storms.</summary>
public sealed class EmailNoiseTests(EmailTestBed bed) : IClassFixture<EmailTestBed>
{
    private Task<int> AcknowledgementsOfAsync(long ticketId) =>
        bed.DbAsync(db => db.EmailMessages.CountAsync(e => e.OutboundKind == OutboundKind.Acknowledgement && e.TicketId == ticketId));

    [Fact]
    public async Task A_mail_without_sender_is_moved_to_quarantine_and_listed_for_admins_and_nothing_else_happens()
    {
        var word = TicketsClient.UniqueWord("bad");
        var raw = Encoding.ASCII.GetBytes($"Subject: broken {word}\r\nMessage-ID: <{word}@broken.example>\r\nContent-Type: text/plain\r\n\r\nno sender here {word}\r\n");
        await bed.AppendAsync(raw);

        var admin = await bed.App.StaffAsync("admin@demo.local");
        var listed = await Eventually.GetAsync(async () =>
        {
            var list = await admin.Http.GetFromJsonAsync<List<QuarantinedMailView>>("/api/admin/mail/quarantine", TestJson.Options);
            return list!.FirstOrDefault(q => q.MessageId == $"{word}@broken.example");
        }, "the quarantine list entry");
        listed.Reason.Should().Contain("no sender");
        listed.Subject.Should().Be($"broken {word}");
        listed.Mailbox.Should().Be("support");
        listed.Folder.Should().Be("Quarantine");

        var quarantined = await Eventually.GetAsync(async () =>
            (await bed.MailOfAsync(EmailTestBed.Support, "Quarantine")).FirstOrDefault(m => m.MessageId == $"{word}@broken.example"), "the mail in the Quarantine folder");
        quarantined.TextBody.Should().Contain($"no sender here {word}", "the mail is kept whole");
        (await bed.MailOfAsync(EmailTestBed.Support)).Should().NotContain(m => m.MessageId == $"{word}@broken.example", "it left the inbox");
        var agent = await bed.App.StaffAsync("agent1@demo.local");
        (await agent.Http.GetFromJsonAsync<TicketPage>($"/api/tickets?q={word}", TestJson.Options))!.Items.Should().BeEmpty();
        (await agent.Http.GetAsync("/api/admin/mail/quarantine")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the list is for admins");
    }

    [Fact]
    public async Task Auto_replies_bounces_and_our_own_mail_are_recorded_but_acknowledge_and_reopen_nothing()
    {
        var word = TicketsClient.UniqueWord("auto");
        var customer = $"{word}@mail.example.cn";
        await bed.AppendAsync(RawMail.Simple(customer, "Broken kettle", $"kettle {word}", $"{word}-1@mail.example.cn"));
        var agent = await bed.App.StaffAsync("agent1@demo.local");
        var ticket = await bed.TicketWithAsync(word, agent);
        var number = ticket.Ticket.Number;
        await agent.Http.PostAsJsonAsync($"/api/tickets/{number}/replies", new { body = "A new kettle is on its way." });
        (await agent.Http.PostAsJsonAsync($"/api/tickets/{number}/status", new { status = "Resolved" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var sent = await bed.CustomerMailAsync(m => m.TextBody?.Contains("A new kettle") == true, "the reply");

        // An out-of-office answer to our reply, a bounce naming the ticket, and a mail from our own address.
        await bed.AppendAsync(RawMail.Simple(customer, "Automatic reply: Re: Broken kettle", $"I am away {word}", $"{word}-ooo@mail.example.cn",
            $"In-Reply-To: <{sent.MessageId}>", "Auto-Submitted: auto-replied", "X-Autoreply: yes"));
        var dsn = Encoding.ASCII.GetBytes(
            $"From: Mail Delivery System <MAILER-DAEMON@mx.example.cn>\r\nTo: {EmailTestBed.Support}\r\nSubject: Undelivered Mail Returned to Sender [#{number}]\r\n" +
            $"Message-ID: <{word}-dsn@mx.example.cn>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n" +
            $"--b1\r\nContent-Type: text/plain\r\n\r\nYour mail could not be delivered {word}.\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\n" +
            "Reporting-MTA: dns; mx.example.cn\r\n\r\nFinal-Recipient: rfc822; gone@example.cn\r\nAction: failed\r\nStatus: 5.1.1\r\n--b1--\r\n");
        await bed.AppendAsync(dsn);
        var ownWord = TicketsClient.UniqueWord("own");
        await bed.AppendAsync(RawMail.Simple(EmailTestBed.Support, $"Loop {ownWord}", $"our own mail {ownWord}", $"{word}-own@test.local"));

        var after = await bed.TicketWithAsync(word, agent, d => d.Timeline.Count(m => m.Kind == MessageKind.Customer) == 3);
        after.Ticket.Number.Should().Be(number);
        after.Ticket.Status.Should().Be(TicketStatus.Resolved, "an auto-reply or a bounce does not reopen a resolved ticket");
        var automatic = after.Timeline.Where(m => m.Kind == MessageKind.Customer).Skip(1).Select(m => m.Email!).ToList();
        automatic.Should().OnlyContain(e => e.IsAutomatic);
        automatic.Select(e => e.AutomaticReason).Should().Equal("auto_submitted", "mailer_daemon");

        var own = await Eventually.GetAsync(async () =>
        {
            var page = await agent.Http.GetFromJsonAsync<TicketPage>($"/api/tickets?q={ownWord}", TestJson.Options);
            return page!.Items.FirstOrDefault();
        }, "the record of our own mail");
        own.Tags.Should().Contain("automatic");
        own.CustomerId.Should().BeNull("our own address is nobody's customer");
        await Eventually.TrueAsync(async () => (await bed.FlagCountsAsync()).Unflagged == 0, "all mail processed");
        (await AcknowledgementsOfAsync(ticket.Ticket.Id)).Should().Be(1, "only the customer's first mail was acknowledged");
        (await AcknowledgementsOfAsync(own.Id)).Should().Be(0, "our own mail is never answered: that is how loops start");
    }

    [Fact]
    public async Task A_storm_from_one_sender_is_held_on_their_ticket_instead_of_flooding_the_queue()
    {
        // The bed allows 5 mails per sender per hour.
        var word = TicketsClient.UniqueWord("storm");
        var sender = $"{word}@mail.example.cn";
        for (var i = 1; i <= 8; i++)
            await bed.AppendAsync(RawMail.Simple(sender, $"Storm {i} {word}", $"mail {i} {word}", $"{word}-{i}@mail.example.cn"));

        var agent = await bed.App.StaffAsync("agent1@demo.local");
        await Eventually.TrueAsync(async () => (await bed.DbAsync(db => db.EmailMessages.CountAsync(e => e.FromAddress == sender))) == 8, "all 8 mails stored");
        var tickets = (await agent.Http.GetFromJsonAsync<TicketPage>($"/api/tickets?q={word}&sort=newest&limit=50", TestJson.Options))!.Items;
        tickets.Should().HaveCount(5, "past the limit no new tickets open");
        var latest = await agent.Http.GetFromJsonAsync<TicketDetail>($"/api/tickets/{tickets[0].Number}", TestJson.Options);
        latest!.Timeline.Where(m => m.Kind == MessageKind.Customer).Select(m => m.Body)
            .Should().Equal($"mail 5 {word}", $"mail 6 {word}", $"mail 7 {word}", $"mail 8 {word}");
        latest.Timeline.Where(m => m.Kind == MessageKind.Customer).Skip(1).Should().OnlyContain(m => m.Email!.AutomaticReason == "rate_limited");
        (await bed.DbAsync(db => db.EmailMessages.CountAsync(e => e.OutboundKind == OutboundKind.Acknowledgement && e.ToAddresses == sender)))
            .Should().Be(5, "held mail gets no acknowledgement");

        // An hour later the sender is welcome again.
        bed.App.Clock.Advance(TimeSpan.FromMinutes(61));
        await bed.AppendAsync(RawMail.Simple(sender, $"Calm again {word}", $"mail 9 {word}", $"{word}-9@mail.example.cn"));
        await Eventually.TrueAsync(async () =>
            (await agent.Http.GetFromJsonAsync<TicketPage>($"/api/tickets?q={word}&limit=50", TestJson.Options))!.Items.Count == 6, "a new ticket after the window");
    }
}
