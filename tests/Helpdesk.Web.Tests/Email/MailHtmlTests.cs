using Helpdesk.Web.Email;

namespace Helpdesk.Web.Tests.Email;

/// <summary>Mail HTML on its way in: history cut at the clients' own quote markers, then sanitised.</summary>
public sealed class MailHtmlTests
{
    private static readonly Dictionary<string, string> NoPictures = [];

    [Theory]
    [InlineData("<div>Thanks!</div><div class=\"gmail_quote\">On Mon wrote:<blockquote>old</blockquote></div>")]
    [InlineData("<div>Thanks!</div><blockquote type=\"cite\">old</blockquote>")]
    [InlineData("<div>Thanks!</div><div id=\"divRplyFwdMsg\"><b>From:</b> Support</div><div>old</div>")]
    [InlineData("<div>Thanks!</div><div>-----原始邮件-----</div><div>old</div>")]
    [InlineData("<div>Thanks!</div><div>在 2026年11月23日 09:00，客服 写道：</div><blockquote>old</blockquote>")]
    public void The_history_of_the_common_clients_is_cut_off_and_kept(string html)
    {
        var split = MailHtml.Prepare($"<html><body>{html}</body></html>", NoPictures);
        MailHtml.ToText(split.Fresh).Should().Be("Thanks!");
        split.Quoted.Should().Contain("old");
    }

    [Fact]
    public void History_nested_inside_a_wrapper_takes_what_follows_at_every_level()
    {
        var split = MailHtml.Prepare("<body><div><p>New text</p><blockquote type=\"cite\">q1</blockquote><p>after quote</p></div><p>footer</p></body>", NoPictures);
        MailHtml.ToText(split.Fresh).Should().Be("New text");
        split.Quoted.Should().Contain("q1").And.Contain("after quote").And.Contain("footer");
    }

    [Fact]
    public void Scripts_handlers_forms_and_remote_pictures_are_removed_and_links_open_outside()
    {
        var split = MailHtml.Prepare("<body><p onclick=\"x()\" style=\"color:red\">Hi</p><script>alert(1)</script><iframe src=\"https://evil.example\"></iframe>" +
            "<form action=\"https://evil.example\"><input name=p></form><img src=\"https://tracker.example/p.gif\"><img src=\"cid:logo@x\">" +
            "<a href=\"javascript:alert(1)\">js</a><a href=\"https://shop.example/order\">order</a></body>",
            new Dictionary<string, string> { ["logo@x"] = "/api/attachments/0d5e0c4e-0000-0000-0000-000000000001" });
        split.Fresh.Should().NotContain("script").And.NotContain("onclick").And.NotContain("iframe").And.NotContain("<form")
            .And.NotContain("tracker.example").And.NotContain("javascript:").And.NotContain("<img>");
        split.Fresh.Should().Contain("<p style=").And.Contain("src=\"/api/attachments/0d5e0c4e-0000-0000-0000-000000000001\"");
        split.Fresh.Should().Contain("href=\"https://shop.example/order\"").And.Contain("target=\"_blank\"").And.Contain("noopener");
        split.Quoted.Should().BeNull();
    }

    [Fact]
    public void A_mail_that_is_all_quote_stays_whole()
    {
        var split = MailHtml.Prepare("<body><blockquote type=\"cite\">only the forwarded text</blockquote></body>", NoPictures);
        split.Fresh.Should().Contain("only the forwarded text");
        split.Quoted.Should().BeNull();
    }

    [Fact]
    public void Text_from_html_keeps_line_breaks_between_blocks()
    {
        MailHtml.ToText("<p>第一行</p><div>second<br>third</div><ul><li>a</li><li>b</li></ul><style>p{}</style>")
            .Should().Be("第一行\n\nsecond\nthird\n\na\n\nb");
    }
}
