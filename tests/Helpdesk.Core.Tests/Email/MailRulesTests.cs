using Helpdesk.Core.Email;

namespace Helpdesk.Core.Tests.Email;

public sealed class MailRulesTests
{
    [Fact]
    public void Message_ids_are_stored_without_brackets_and_long_ones_are_hashed()
    {
        MessageIds.Normalise(" <abc@mail.example> ").Should().Be("abc@mail.example");
        MessageIds.Normalise("").Should().BeNull();
        var longId = MessageIds.Normalise("<" + new string('x', 1000) + "@example>");
        longId.Should().StartWith("sha256-").And.EndWith("@long.invalid");
        longId!.Length.Should().BeLessThanOrEqualTo(EmailLimits.MessageIdMax);
        MessageIds.Normalise("<" + new string('x', 1000) + "@example>").Should().Be(longId, "the same long id must hash the same way");
    }

    [Fact]
    public void A_mail_without_message_id_gets_a_stable_one_from_its_bytes()
    {
        var a = MessageIds.FromRawBytes("Subject: hi\r\n\r\nbody"u8);
        MessageIds.FromRawBytes("Subject: hi\r\n\r\nbody"u8).Should().Be(a);
        MessageIds.FromRawBytes("Subject: hi\r\n\r\nbody!"u8).Should().NotBe(a);
    }

    [Fact]
    public void References_are_parsed_in_order_and_chains_keep_first_and_latest()
    {
        MessageIds.ParseList("<a@x> <b@x>\r\n <c@x>").Should().Equal("a@x", "b@x", "c@x");
        MessageIds.ParseList("bare@x").Should().Equal("bare@x");
        MessageIds.ParseList(null).Should().BeEmpty();
        var chain = MessageIds.Chain(Enumerable.Range(1, 30).Select(i => $"m{i}@x"), max: 5);
        chain.Should().Equal("m1@x", "m27@x", "m28@x", "m29@x", "m30@x");
        MessageIds.Chain(["a@x", "b@x", "a@x"]).Should().Equal("a@x", "b@x");
    }

    [Fact]
    public void Client_ids_of_mail_fit_the_timeline_column()
    {
        MessageIds.ClientMessageId("abc@mail.example").Length.Should().BeLessThanOrEqualTo(64);
        MessageIds.ClientMessageId("abc@mail.example").Should().Be(MessageIds.ClientMessageId("abc@mail.example"));
    }

    [Fact]
    public void Sender_limit_holds_mail_past_the_count_in_the_window()
    {
        var limit = new SenderRateLimit(20, TimeSpan.FromHours(1));
        limit.IsExceeded(19).Should().BeFalse();
        limit.IsExceeded(20).Should().BeTrue();
        limit.WindowStart(new DateTime(2026, 11, 23, 10, 0, 0)).Should().Be(new DateTime(2026, 11, 23, 9, 0, 0));
        new SenderRateLimit(0, TimeSpan.FromHours(1)).IsExceeded(1000).Should().BeFalse("0 turns the limit off");
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap()
    {
        var first = TimeSpan.FromSeconds(30);
        var max = TimeSpan.FromMinutes(5);
        Enumerable.Range(1, 6).Select(a => Backoff.Delay(a, first, max)).Should().Equal(
            TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(240), max, max);
        Backoff.Delay(1000, first, max).Should().Be(max);
    }

    [Theory]
    [InlineData("我的耳机坏了，请帮忙看看。", null, "zh-CN")]
    [InlineData("My headphones are broken, 请帮忙", null, "en")]
    [InlineData("My headphones are broken", null, "en")]
    [InlineData("My headphones are broken", "zh-CN", "zh-CN")]
    [InlineData("", null, "en")]
    public void The_answer_language_follows_the_mail(string text, string? preferred, string expected)
    {
        MailLanguage.Choose(text, preferred).Should().Be(expected);
    }
}
