using Helpdesk.Core.Email;

namespace Helpdesk.Core.Tests.Email;

public sealed class TicketTokenTests
{
    [Theory]
    [InlineData("Re: 耳机没有声音 [#100123]", 100123)]
    [InlineData("[#100001] first", 100001)]
    [InlineData("Fwd: Re: old [#100001] newer [#100002]", 100002)]
    public void The_token_in_a_subject_names_the_ticket(string subject, long expected)
    {
        TicketToken.TryParse(subject, out var number).Should().BeTrue();
        number.Should().Be(expected);
    }

    [Theory]
    [InlineData("Order #100123 is late")]
    [InlineData("[#] nothing")]
    [InlineData("[#abc]")]
    [InlineData("")]
    [InlineData(null)]
    public void Without_a_token_nothing_is_found(string? subject)
    {
        TicketToken.TryParse(subject, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("耳机没有声音", 100123, "Re: 耳机没有声音 [#100123]")]
    [InlineData("Re: RE: 回复：耳机没有声音 [#100123]", 100123, "Re: 耳机没有声音 [#100123]")]
    [InlineData("Fwd: Order late", 100005, "Re: Order late [#100005]")]
    [InlineData("", 100005, "Re: [#100005]")]
    public void A_reply_subject_has_one_prefix_and_one_token(string subject, long number, string expected)
    {
        TicketToken.ReplySubject(subject, number).Should().Be(expected);
    }

    [Fact]
    public void A_ticket_subject_is_never_empty_or_too_long()
    {
        TicketToken.TicketSubject("  \r\n ", 200).Should().Be("(无主题 no subject)");
        TicketToken.TicketSubject(new string('长', 300), 200).Should().HaveLength(200);
        TicketToken.TicketSubject("two\r\n lines", 200).Should().Be("two lines");
    }
}
