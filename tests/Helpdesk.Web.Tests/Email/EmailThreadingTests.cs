using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Helpdesk.Core.Email;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Helpdesk.Web.Tests.Email;

/// <summary>Replies both ways: the console's answer as threaded mail, the customer's answer back onto the same ticket.</summary>
public sealed class EmailThreadingTests(EmailTestBed bed) : IClassFixture<EmailTestBed>
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

    [Fact]
    public async Task A_console_reply_arrives_threaded_with_token_and_file_and_the_customers_answer_joins_the_same_ticket()
    {
        var word = TicketsClient.UniqueWord("thr");
        var customer = $"{word}@mail.example.cn";
        var firstId = $"{word}-1@mail.example.cn";
        await bed.AppendAsync(RawMail.Simple(customer, "My order has not arrived", $"Order {word} is late.", firstId));
        var agent = await bed.App.StaffAsync("agent1@demo.local");
        var ticket = await bed.TicketWithAsync(word, agent);
        var number = ticket.Ticket.Number;
        var ack = await bed.CustomerMailAsync(m => m.InReplyTo == firstId, "the acknowledgement");
        ack.Subject.Should().Contain("We received your message", "an English mail is answered in English");

        // The agent answers with text, then sends a PDF with a line of text.
        var reply = await agent.Http.PostAsJsonAsync($"/api/tickets/{number}/replies", new { body = "Sorry for the delay.\n\nIt ships today.", clientMessageId = word + "r1" });
        await reply.ShouldBeAsync(HttpStatusCode.Created);
        var note = await (await agent.Http.PostAsJsonAsync($"/api/tickets/{number}/notes", new { body = $"internal {word}: customer is upset" }))
            .ShouldBeAsync(HttpStatusCode.Created);
        using (var form = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent(Pdf);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(file, "file", "invoice.pdf");
            form.Add(new StringContent("The invoice"), "text");
            (await agent.Http.PostAsync($"/api/tickets/{number}/attachments", form)).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        var replyMail = await bed.CustomerMailAsync(m => m.TextBody?.Contains("It ships today.") == true, "the agent's reply");
        replyMail.Subject.Should().Be($"Re: My order has not arrived [#{number}]");
        replyMail.InReplyTo.Should().Be(firstId);
        replyMail.References.Should().Contain(firstId);
        replyMail.From.Mailboxes.Single().Address.Should().Be(EmailTestBed.Support);
        replyMail.To.Mailboxes.Single().Address.Should().Be(customer);
        replyMail.HtmlBody.Should().Contain("<p>Sorry for the delay.</p>").And.Contain("It ships today.");
        replyMail.Body!.ContentType.MimeType.Should().Be("multipart/alternative", "HTML with a text alternative");
        replyMail.Headers["Auto-Submitted"].Should().BeNull("a person wrote it");

        var fileMail = await bed.CustomerMailAsync(m => m.Attachments.Any(), "the reply with the file");
        var attached = (MimePart)fileMail.Attachments.Single();
        attached.FileName.Should().Be("invoice.pdf");
        using (var bytes = new MemoryStream()) { attached.Content!.DecodeTo(bytes); bytes.ToArray().Should().Equal(Pdf); }
        fileMail.References.Should().Contain(firstId).And.Contain(replyMail.MessageId);

        // The Message-ID that went out is stored on the reply, and its delivery is visible.
        var afterSend = await Eventually.GetAsync(async () =>
        {
            var d = await agent.Http.GetFromJsonAsync<TicketDetail>($"/api/tickets/{number}", TestJson.Options);
            return d!.Timeline.Where(m => m.Kind == MessageKind.Agent).All(m => m.Email?.DeliveryStatus == DeliveryStatus.Sent) ? d : null;
        }, "both replies marked sent");
        afterSend.Timeline.Single(m => m.ClientMessageId == word + "r1").Email!.MessageId.Should().Be(replyMail.MessageId);
        var noteId = note.GetProperty("message").GetProperty("id").GetInt64();
        (await bed.DbAsync(db => db.EmailMessages.CountAsync(e => e.TicketMessageId == noteId))).Should().Be(0, "an internal note is never mailed");
        (await bed.MailOfAsync(EmailTestBed.Customer)).Should().NotContain(m => m.TextBody != null && m.TextBody.Contains($"internal {word}"));

        // The customer answers the reply, without the token in the subject: In-Reply-To threads it.
        await bed.AppendAsync(RawMail.Simple(customer, "Re: My order has not arrived", $"Thanks! {word} answer one", $"{word}-2@mail.example.cn",
            $"In-Reply-To: <{replyMail.MessageId}>", $"References: <{firstId}> <{replyMail.MessageId}>"));
        // ... and once more with only the token (a client that drops threading headers).
        await bed.AppendAsync(RawMail.Simple(customer, $"Another question [#{number}]", $"{word} answer two", $"{word}-3@mail.example.cn"));

        var joined = await bed.TicketWithAsync(word, agent, d => d.Timeline.Count(m => m.Kind == MessageKind.Customer) == 3);
        joined.Ticket.Number.Should().Be(number);
        joined.Timeline.Where(m => m.Kind == MessageKind.Customer).Select(m => m.Email!.MessageId)
            .Should().Equal(firstId, $"{word}-2@mail.example.cn", $"{word}-3@mail.example.cn");
        var tickets = await agent.Http.GetFromJsonAsync<TicketPage>($"/api/tickets?q={word}", TestJson.Options);
        tickets!.Items.Should().ContainSingle("answers join the ticket instead of opening new ones");
        (await bed.DbAsync(db => db.EmailMessages.CountAsync(e => e.OutboundKind == OutboundKind.Acknowledgement && e.TicketId == ticket.Ticket.Id)))
            .Should().Be(1, "answers are not acknowledged again");
    }

    [Fact]
    public async Task The_sender_is_matched_to_a_known_customer_whatever_the_case_of_the_address()
    {
        var word = TicketsClient.UniqueWord("case");
        using var visitor = bed.App.CreateClient();
        (await visitor.Http.PostAsJsonAsync("/api/public/tickets", new { name = "Mixed Case", email = $"Mixed.{word}@Example.CN", subject = "Web form first", description = "hello" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var known = await bed.DbAsync(db => db.Customers.SingleAsync(c => c.Email == $"Mixed.{word}@Example.CN"));

        await bed.AppendAsync(RawMail.Simple($"mixed.{word}@example.cn", $"Mail later {word}", $"by mail {word}", $"{word}@mail.example.cn"));
        var agent = await bed.App.StaffAsync("agent1@demo.local");
        var ticket = await bed.TicketWithAsync($"by mail {word}", agent);
        ticket.Ticket.CustomerId.Should().Be(known.Id, "the address differs only in case");
        (await bed.DbAsync(db => db.Customers.CountAsync(c => c.Email!.ToLower() == $"mixed.{word}@example.cn"))).Should().Be(1, "no second record");
    }

    [Fact]
    public async Task Html_mail_is_sanitised_its_history_folded_and_its_pictures_and_files_stored()
    {
        var word = TicketsClient.UniqueWord("html");
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var builder = new BodyBuilder
        {
            HtmlBody = $"<html><body><p onclick=\"steal()\">屏幕坏了 {word}</p><script>alert(1)</script><img src=\"cid:shot1\"><img src=\"https://tracker.example/p.gif\">"
                + "<div class=\"gmail_quote\">在 2026年11月20日 客服 写道：<blockquote>请提供照片。</blockquote></div></body></html>",
        };
        var image = builder.LinkedResources.Add("screen.png", png, new ContentType("image", "png"));
        image.ContentId = "shot1";
        builder.Attachments.Add("order.xlsx", Encoding.ASCII.GetBytes("PK fake spreadsheet"), new ContentType("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        var message = new MimeMessage { Subject = $"屏幕 {word}", MessageId = $"{word}@mail.example.cn", Body = builder.ToMessageBody() };
        message.From.Add(new MailboxAddress("周杰", $"{word}@mail.example.cn"));
        message.To.Add(MailboxAddress.Parse(EmailTestBed.Support));
        using var raw = new MemoryStream();
        await message.WriteToAsync(raw);
        await bed.AppendAsync(raw.ToArray());

        var agent = await bed.App.StaffAsync("agent1@demo.local");
        var ticket = await bed.TicketWithAsync(word, agent);
        var mail = ticket.Timeline.Single(m => m.Kind == MessageKind.Customer).Email!;
        mail.Html.Should().Contain($"屏幕坏了 {word}").And.NotContain("<script").And.NotContain("onclick").And.NotContain("tracker.example");
        mail.QuotedHtml.Should().Contain("请提供照片");
        mail.Html.Should().NotContain("请提供照片", "the quoted history is kept apart, folded in the console");
        mail.Text.Should().Be($"屏幕坏了 {word}", "a mail with only HTML gets its text from the HTML, without the history");
        ticket.Timeline.Single(m => m.Kind == MessageKind.Customer).Body.Should().Be($"屏幕坏了 {word}");

        var picture = mail.Files.Single(f => f.Inline);
        mail.Html.Should().Contain($"src=\"{picture.Url}\"", "the cid: picture points at the stored attachment");
        var pictureBytes = await agent.Http.GetByteArrayAsync(picture.Url);
        pictureBytes.Should().Equal(png);
        var sheet = mail.Files.Single(f => !f.Inline);
        sheet.FileName.Should().Be("order.xlsx");
        sheet.ContentType.Should().Be("application/octet-stream", "a file is served as what its bytes prove, else as a download");
        var download = await agent.Http.GetAsync(sheet.Url);
        download.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
    }
}
