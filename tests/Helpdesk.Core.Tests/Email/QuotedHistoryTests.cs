using Helpdesk.Core.Email;

namespace Helpdesk.Core.Tests.Email;

public sealed class QuotedHistoryTests
{
    [Fact]
    public void Gmail_style_attribution_and_quote_lines_are_history()
    {
        var split = QuotedHistory.Split("Thanks, it works now.\r\n\r\nOn Mon, 23 Nov 2026 at 09:00, Support <support@shop.example> wrote:\r\n> Please restart it.\r\n> Regards");
        split.Fresh.Should().Be("Thanks, it works now.");
        split.Quoted.Should().StartWith("On Mon, 23 Nov 2026").And.EndWith("> Regards");
    }

    [Fact]
    public void Attribution_wrapped_over_two_lines_is_found()
    {
        var split = QuotedHistory.Split("Still broken.\n\nOn Mon, 23 Nov 2026 at 09:00, Support Team <support@shop.example>\nwrote:\n> Please restart it.");
        split.Fresh.Should().Be("Still broken.");
        split.Quoted.Should().Contain("> Please restart it.");
    }

    [Fact]
    public void Chinese_attribution_is_history()
    {
        var split = QuotedHistory.Split("好的，谢谢！\n\n在 2026年11月23日 09:00，客服 <support@shop.example> 写道：\n> 请重启耳机。");
        split.Fresh.Should().Be("好的，谢谢！");
        split.Quoted.Should().StartWith("在 2026年11月23日").And.Contain("请重启耳机");
    }

    [Fact]
    public void Outlook_original_message_block_is_history()
    {
        var split = QuotedHistory.Split("I still have the problem.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\nSubject: Re: broken\n\nPlease restart it.");
        split.Fresh.Should().Be("I still have the problem.");
        split.Quoted.Should().StartWith("-----Original Message-----").And.EndWith("Please restart it.");
    }

    [Fact]
    public void Outlook_chinese_header_block_without_separator_is_history()
    {
        var split = QuotedHistory.Split("收到，明天寄回。\n\n发件人: 客服 <support@shop.example>\n发送时间: 2026年11月23日 9:00\n收件人: 陈明\n主题: 退货\n\n请寄回商品。");
        split.Fresh.Should().Be("收到，明天寄回。");
        split.Quoted.Should().StartWith("发件人: 客服").And.EndWith("请寄回商品。");
    }

    [Fact]
    public void A_mail_without_history_is_all_fresh()
    {
        var split = QuotedHistory.Split("My order 123 has not arrived.\nFrom: my home in Shanghai");
        split.Fresh.Should().Be("My order 123 has not arrived.\nFrom: my home in Shanghai");
        split.Quoted.Should().BeNull();
    }

    [Fact]
    public void A_mail_that_is_only_a_quote_stays_in_view()
    {
        var split = QuotedHistory.Split("> forwarded text\n> more");
        split.Fresh.Should().Be("> forwarded text\n> more");
        split.Quoted.Should().BeNull();
    }
}
