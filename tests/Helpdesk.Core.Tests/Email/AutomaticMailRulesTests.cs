using Helpdesk.Core.Email;

namespace Helpdesk.Core.Tests.Email;

public sealed class AutomaticMailRulesTests
{
    private static readonly string[] Own = ["support@shop.example", "Sales@Shop.Example"];

    private static MailClassification Classify(string from, string mediaType = "text/plain", string? reportType = null, params (string, string)[] headers) =>
        AutomaticMailRules.Classify(new MailFacts(from, headers.ToDictionary(h => h.Item1, h => h.Item2), mediaType, reportType), Own);

    [Fact]
    public void A_plain_mail_from_a_customer_is_human()
    {
        Classify("chen.ming@example.cn").Should().Be(MailClassification.Human);
    }

    [Theory]
    [InlineData("Auto-Submitted", "auto-replied", "auto_submitted")]
    [InlineData("auto-submitted", "auto-generated", "auto_submitted")]
    [InlineData("Precedence", "bulk", "precedence_bulk")]
    [InlineData("Precedence", "Junk", "precedence_junk")]
    [InlineData("Precedence", "list", "precedence_list")]
    [InlineData("X-Autoreply", "yes", "x_autoreply")]
    [InlineData("X-Autorespond", "Out of office", "x_autoreply")]
    public void Auto_reply_headers_make_a_mail_automatic(string header, string value, string reason)
    {
        var c = Classify("chen.ming@example.cn", headers: (header, value));
        c.IsAutomatic.Should().BeTrue();
        c.SuppressAcknowledgement.Should().BeTrue();
        c.Reason.Should().Be(reason);
    }

    [Fact]
    public void Auto_submitted_no_is_a_person()
    {
        Classify("chen.ming@example.cn", headers: ("Auto-Submitted", "no")).Should().Be(MailClassification.Human);
    }

    [Fact]
    public void A_delivery_status_report_is_automatic()
    {
        var c = Classify("bounces@relay.example", "multipart/report", "delivery-status");
        c.IsAutomatic.Should().BeTrue();
        c.Reason.Should().Be("delivery-status");
    }

    [Theory]
    [InlineData("MAILER-DAEMON@mx.example.cn")]
    [InlineData("postmaster@example.cn")]
    public void Mailer_daemons_are_automatic(string from)
    {
        Classify(from).Should().BeEquivalentTo(new { IsAutomatic = true, Reason = "mailer_daemon" });
    }

    [Theory]
    [InlineData("support@shop.example")]
    [InlineData("SUPPORT@shop.example")]
    [InlineData("sales@shop.example")]
    public void Our_own_addresses_are_automatic_whatever_the_case(string from)
    {
        Classify(from).Should().BeEquivalentTo(new { IsAutomatic = true, Reason = "own_address" });
    }

    [Fact]
    public void List_mail_and_suppress_requests_only_silence_the_acknowledgement()
    {
        Classify("chen.ming@example.cn", headers: ("List-Id", "<buyers.shop.example>"))
            .Should().Be(MailClassification.Quiet("mailing_list"));
        Classify("chen.ming@example.cn", headers: ("List-Unsubscribe", "<mailto:leave@list>"))
            .Should().Be(MailClassification.Quiet("mailing_list"));
        Classify("chen.ming@example.cn", headers: ("X-Auto-Response-Suppress", "All"))
            .Should().Be(MailClassification.Quiet("auto_response_suppress"));
    }
}
