using Helpdesk.Core.Scripts;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Tests.Scripts;

public sealed class ScriptSelectionTests
{
    private static long _id;

    private static Script Approved(string text, string lang = "zh-CN", int? team = null, TicketChannel? channel = null, ScriptKind kind = ScriptKind.Greeting) =>
        new() { Id = ++_id, Kind = kind, Language = lang, TeamId = team, Channel = channel, Text = text, ApprovedText = text, Status = ScriptStatus.Approved };

    [Fact]
    public void Team_and_channel_beat_team_beat_channel_beat_language_wide()
    {
        var wide = Approved("wide");
        var chat = Approved("chat", channel: TicketChannel.Chat);
        var team = Approved("team", team: 2);
        var both = Approved("both", team: 2, channel: TicketChannel.Chat);
        Script[] all = [wide, chat, team, both];

        ScriptSelection.Pick(all, ScriptKind.Greeting, "zh-CN", 2, TicketChannel.Chat).Should().BeSameAs(both);
        ScriptSelection.Pick(all, ScriptKind.Greeting, "zh-CN", 2, TicketChannel.Email).Should().BeSameAs(team);
        ScriptSelection.Pick(all, ScriptKind.Greeting, "zh-CN", 7, TicketChannel.Chat).Should().BeSameAs(chat);
        ScriptSelection.Pick(all, ScriptKind.Greeting, "zh-CN", null, TicketChannel.Email).Should().BeSameAs(wide);
    }

    [Fact]
    public void Drafts_other_kinds_and_other_teams_never_apply()
    {
        var draft = new Script { Id = ++_id, Kind = ScriptKind.Greeting, Language = "en", Text = "draft", Status = ScriptStatus.Draft };
        var otherTeam = Approved("other team", "en", team: 9);
        var closing = Approved("closing", "en", kind: ScriptKind.Closing);
        ScriptSelection.Pick([draft, otherTeam, closing], ScriptKind.Greeting, "en", 2, TicketChannel.Chat).Should().BeNull();
    }

    [Fact]
    public void An_edited_approved_script_stays_in_use_with_its_approved_text()
    {
        var edited = Approved("approved words", "en");
        edited.Text = "unapproved edit";
        edited.Status = ScriptStatus.Draft;
        ScriptSelection.Pick([edited], ScriptKind.Greeting, "en", null, null)!.ApprovedText.Should().Be("approved words");
    }

    [Fact]
    public void Without_a_script_in_the_customers_language_the_default_language_is_used()
    {
        var zh = Approved("中文");
        ScriptSelection.Pick([zh], ScriptKind.Greeting, "en", null, TicketChannel.Chat).Should().BeSameAs(zh);
        var en = Approved("english", "en");
        ScriptSelection.Pick([zh, en], ScriptKind.Greeting, "en-US", null, TicketChannel.Chat).Should().BeSameAs(en);
        ScriptSelection.Pick([zh, en], ScriptKind.Greeting, null, null, TicketChannel.Chat).Should().BeSameAs(zh);
    }
}
