using Helpdesk.Core.Scripts;

namespace Helpdesk.Core.Tests.Scripts;

public sealed class IdleProtocolTests
{
    private static readonly DateTime T0 = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);
    private static readonly IdleSettings TwoMinutes = new(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(120));

    [Fact]
    public void Agent_wrote_at_0900_customer_silent_so_the_prompt_is_due_at_0902_and_not_before()
    {
        var s = new IdleSnapshot(LastCustomerSequence: 3, LastAgentSequence: 5, LastAgentAt: T0, LastAgentClientId: "c-1");
        IdleProtocol.Due(s, TwoMinutes, T0.AddSeconds(119)).Should().BeNull();
        var step = IdleProtocol.Due(s, TwoMinutes, T0.AddSeconds(120))!;
        step.Action.Should().Be(IdleAction.Prompt);
        step.ClientMessageId.Should().Be("script:idle:5:1");
    }

    [Fact]
    public void Prompt_sent_at_0902_and_still_silence_so_the_chat_closes_at_0904()
    {
        var s = new IdleSnapshot(3, 6, T0.AddSeconds(120), "script:idle:5:1");
        IdleProtocol.Due(s, TwoMinutes, T0.AddSeconds(239)).Should().BeNull();
        var step = IdleProtocol.Due(s, TwoMinutes, T0.AddSeconds(240))!;
        step.Action.Should().Be(IdleAction.Close);
        step.ClientMessageId.Should().Be("script:idle:5:close");
    }

    [Fact]
    public void A_customer_message_after_the_agents_resets_the_protocol()
    {
        var s = new IdleSnapshot(LastCustomerSequence: 7, LastAgentSequence: 6, LastAgentAt: T0, LastAgentClientId: "script:idle:5:1");
        IdleProtocol.Next(s, TwoMinutes).Action.Should().Be(IdleAction.None);
        IdleProtocol.Due(s, TwoMinutes, T0.AddHours(5)).Should().BeNull();
    }

    [Fact]
    public void Before_any_agent_message_nothing_happens_the_customer_is_waiting_for_us()
    {
        IdleProtocol.Next(new IdleSnapshot(1, 0, default, null), TwoMinutes).Action.Should().Be(IdleAction.None);
    }

    [Fact]
    public void With_two_prompts_the_second_follows_the_first_and_close_follows_the_second()
    {
        var settings = TwoMinutes with { Prompts = 2 };
        IdleProtocol.Next(new IdleSnapshot(1, 4, T0, "agent"), settings).ClientMessageId.Should().Be("script:idle:4:1");
        IdleProtocol.Next(new IdleSnapshot(1, 5, T0, "script:idle:4:1"), settings).Should()
            .BeEquivalentTo(new IdleStep(IdleAction.Prompt, T0.AddSeconds(120), "script:idle:4:2"));
        IdleProtocol.Next(new IdleSnapshot(1, 6, T0, "script:idle:4:2"), settings).Should()
            .BeEquivalentTo(new IdleStep(IdleAction.Close, T0.AddSeconds(120), "script:idle:4:close"));
    }

    [Fact]
    public void A_closing_sent_without_the_end_is_finished_at_once()
    {
        var step = IdleProtocol.Next(new IdleSnapshot(1, 7, T0, "script:idle:4:close"), TwoMinutes);
        step.Should().BeEquivalentTo(new IdleStep(IdleAction.Close, T0, "script:idle:4:close"));
    }
}
