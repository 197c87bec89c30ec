using Helpdesk.Core.Scripts;

namespace Helpdesk.Core.Tests.Scripts;

public sealed class ForbiddenPhraseMatcherTests
{
    private static readonly ForbiddenPhraseMatcher Matcher = new([
        new ForbiddenRule(1, "慢慢等着吧", "zh-CN", "请您稍等，我马上为您处理。"),
        new ForbiddenRule(2, "听不见就算了", "zh-CN", "抱歉，信号不太好，您能再说一遍吗？"),
        new ForbiddenRule(3, "just wait", "en", "Thank you for waiting, I am on it."),
        new ForbiddenRule(4, "not my problem", "en", "Let me find the right person to help you."),
    ]);

    [Theory]
    [InlineData("慢慢等着吧")]
    [InlineData("那你就慢慢等着吧！")]
    [InlineData("慢 慢 等着吧")]
    [InlineData("慢慢，等着吧")]
    [InlineData("慢慢\n等着　吧")]           // a new line and an ideographic space
    [InlineData("慢·慢·等·着·吧")]
    public void Chinese_phrase_is_caught_through_spaces_and_punctuation(string text)
    {
        var match = Matcher.Find(text).Should().ContainSingle().Which;
        match.PhraseId.Should().Be(1);
        match.Suggestion.Should().Be("请您稍等，我马上为您处理。");
        text.Substring(match.Start, match.Length).Should().Be(match.Matched);
        match.Matched.Should().StartWith("慢").And.EndWith("吧");
    }

    [Theory]
    [InlineData("Just wait.", "Just wait")]
    [InlineData("You will JUST   WAIT like everyone", "JUST   WAIT")]
    [InlineData("ｊｕｓｔ ｗａｉｔ", "ｊｕｓｔ ｗａｉｔ")]         // full-width letters
    [InlineData("just, wait!", "just, wait")]
    public void English_phrase_is_caught_whatever_the_case_width_or_spacing(string text, string matched)
    {
        Matcher.Find(text).Should().ContainSingle().Which.Matched.Should().Be(matched);
    }

    [Theory]
    [InlineData("Please adjust waiting times in settings.")]
    [InlineData("I will just waitlist you.")]
    [InlineData("请稍等，我马上为您处理。")]
    [InlineData("慢慢来，不着急")]
    [InlineData("")]
    public void Harmless_text_is_not_refused(string text)
    {
        Matcher.Find(text).Should().BeEmpty();
    }

    [Fact]
    public void Several_phrases_are_all_reported_in_the_order_they_appear()
    {
        var found = Matcher.Find("听不见就算了，慢慢等着吧. Not my problem.");
        found.Select(m => m.PhraseId).Should().Equal(2, 1, 4);
        found[0].Start.Should().Be(0);
    }

    [Fact]
    public void A_phrase_of_only_punctuation_is_ignored_rather_than_matching_everything()
    {
        new ForbiddenPhraseMatcher([new ForbiddenRule(9, "！！", "zh-CN", null)]).Count.Should().Be(0);
    }
}
