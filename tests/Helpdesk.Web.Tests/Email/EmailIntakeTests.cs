using System.Net;
using Helpdesk.Core.Email;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Tests.Fixtures;
using MimeKit;

namespace Helpdesk.Web.Tests.Email;

/// <summary>Mail into tickets, against a real Dovecot and a real SMTP server.</summary>
public sealed class EmailIntakeTests(EmailTestBed bed) : IClassFixture<EmailTestBed>
{
    private Task<StaffClient> Agent() => bed.App.StaffAsync("agent1@demo.local");

    [Fact]
    public async Task A_mail_delivered_into_the_mailbox_becomes_a_ticket_and_the_customer_gets_an_acknowledgement()
    {
        var word = TicketsClient.UniqueWord("new");
        var messageId = $"{word}@mail.example.cn";
        await bed.AppendAsync(RawMail.Simple(EmailTestBed.Customer, $"耳机没有声音 {word}", $"我买的耳机没有声音。\n订单号 {word}", messageId));

        var ticket = await bed.TicketWithAsync(word, await Agent());
        ticket.Ticket.Channel.Should().Be(TicketChannel.Email);
        ticket.Ticket.Subject.Should().Be($"耳机没有声音 {word}");
        ticket.Ticket.CustomerName.Should().Be("陈明");
        var first = ticket.Timeline.Single(m => m.Kind == MessageKind.Customer);
        first.Body.Should().Be($"我买的耳机没有声音。\n订单号 {word}");
        first.Email!.MessageId.Should().Be(messageId);
        first.Email.Direction.Should().Be(EmailDirection.Inbound);

        var ack = await bed.CustomerMailAsync(m => m.InReplyTo == messageId, "the acknowledgement");
        ack.Subject.Should().Contain($"[#{ticket.Ticket.Number}]").And.Contain("我们已收到", "a Chinese mail is answered in Chinese");
        ack.TextBody.Should().Contain($"工单号为 {ticket.Ticket.Number}", "the body is the approved acknowledgement script of the wording library")
            .And.Contain("工作时间", "with its {business.hours} filled in");
        ack.Headers["Auto-Submitted"].Should().Be("auto-replied");
        ack.From.Mailboxes.Single().Address.Should().Be(EmailTestBed.Support);
        await Eventually.TrueAsync(async () => (await bed.FlagCountsAsync()).Unflagged == 0, "every mail flagged as processed");
    }
}
