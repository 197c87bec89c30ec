using Helpdesk.Core.Tickets;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.Web.Tests.Email;

/// <summary>
/// Mail in the charsets Chinese customers' clients really send, with RFC 2047 encoded words (B and
/// Q) in Subject and From, appended byte for byte: the ticket must read exactly what was written.
/// </summary>
public sealed class EmailCharsetTests(EmailTestBed bed) : IClassFixture<EmailTestBed>
{
    [Theory]
    [InlineData("gb2312", 'B', "base64", "陈明", "耳机没有声音", "您好，我买的耳机没有声音，请帮忙处理。")]
    [InlineData("gbk", 'Q', "quoted-printable", "王喆", "退货申请：镕铁锅", "喆的订单里的镕铁锅有裂纹，想退货。")]
    [InlineData("gb18030", 'B', "8bit", "刘䶮", "发票抬头有误䶮", "发票上的名字「刘䶮」印错了，请重开。")]
    [InlineData("big5", 'Q', "base64", "張偉", "耳機沒有聲音", "您好，我買的耳機沒有聲音，請幫忙處理。")]
    [InlineData("utf-8", 'Q', "quoted-printable", "李娜", "订单异常 ✓ 😀", "付款失败了😀，地址是上海市徐汇区。")]
    [InlineData("iso-8859-1", 'Q', "quoted-printable", "Renée Müller", "Problème de livraison", "Bonjour, le colis n'est pas arrivé. Ça fait déjà trois semaines!")]
    [InlineData("iso-8859-2", 'B', "8bit", "Łukasz Żółw", "Zamówienie nie dotarło", "Dzień dobry, zamówienie nie dotarło. Zażółć gęślą jaźń.")]
    public async Task Subject_sender_name_and_text_are_decoded_exactly(string charset, char wordEncoding, string transfer, string name, string subject, string body)
    {
        var word = TicketsClient.UniqueWord("cs");
        var address = $"{word}@mail.example.cn";
        var raw = RawMail.Text(charset, wordEncoding, name, address, subject, body + "\n" + word, transfer);
        if (charset != "utf-8")
            System.Text.Encoding.Latin1.GetString(raw).Should().NotContain(System.Text.Encoding.Latin1.GetString(System.Text.Encoding.UTF8.GetBytes(body)),
                "the mail carries its own charset's bytes, not UTF-8");
        await bed.AppendAsync(raw);

        var staff = await bed.App.StaffAsync("agent1@demo.local");
        var ticket = await bed.TicketWithAsync(word, staff);
        ticket.Ticket.Subject.Should().Be(subject);
        ticket.Ticket.CustomerName.Should().Be(name);
        var message = ticket.Timeline.Single(m => m.Kind == MessageKind.Customer);
        message.Body.Should().Be(body + "\n" + word);
        message.AuthorName.Should().Be(name);
        message.Email!.FromAddress.Should().Be(address);
        message.Email.Subject.Should().Be(subject);
    }
}
