using Helpdesk.Core.Chat;

namespace Helpdesk.Core.Tests.Chat;

public sealed class AgentRoutingTests
{
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");
    private static readonly DateTime T0 = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Least_loaded_online_agent_under_capacity_gets_the_chat()
    {
        var agents = new[]
        {
            new AgentAvailability(A, PresenceStatus.Online, 3, T0),
            new AgentAvailability(B, PresenceStatus.Online, 1, T0),
            new AgentAvailability(C, PresenceStatus.Online, 2, T0),
        };
        AgentRouting.PickAgent(agents, 5).Should().Be(B);
    }

    [Fact]
    public void Away_offline_and_full_agents_are_skipped()
    {
        var agents = new[]
        {
            new AgentAvailability(A, PresenceStatus.Away, 0, null),
            new AgentAvailability(B, PresenceStatus.Offline, 0, null),
            new AgentAvailability(C, PresenceStatus.Online, 5, null),
        };
        AgentRouting.PickAgent(agents, 5).Should().BeNull();
        AgentRouting.FreeSlots(agents, 5).Should().Be(0);
    }

    [Fact]
    public void On_equal_load_the_agent_who_waited_longest_goes_first()
    {
        var agents = new[]
        {
            new AgentAvailability(A, PresenceStatus.Online, 1, T0.AddMinutes(5)),
            new AgentAvailability(B, PresenceStatus.Online, 1, T0),
        };
        AgentRouting.PickAgent(agents, 5).Should().Be(B);
    }

    [Fact]
    public void An_agent_who_let_the_chat_pass_is_not_asked_again()
    {
        var agents = new[] { new AgentAvailability(A, PresenceStatus.Online, 0, null), new AgentAvailability(B, PresenceStatus.Online, 4, null) };
        AgentRouting.PickAgent(agents, 5, new HashSet<Guid> { A }).Should().Be(B);
    }

    [Fact]
    public void Queue_estimate_spreads_the_wait_over_the_online_slots()
    {
        QueueEstimate.For(1, 2, 5, TimeSpan.FromMinutes(5), 1).EstimatedWait.Should().Be(TimeSpan.Zero);
        // 2 agents × 5 slots; one slot frees every 30 s on average: the 3rd in line waits 90 s.
        QueueEstimate.For(3, 2, 5, TimeSpan.FromMinutes(5), 0).EstimatedWait.Should().Be(TimeSpan.FromSeconds(90));
        QueueEstimate.For(1, 0, 5, TimeSpan.FromMinutes(5), 0).EstimatedWait.Should().Be(TimeSpan.MaxValue);
    }
}

public sealed class VisitorIdentityTests
{
    [Fact]
    public void Hmac_of_the_user_id_verifies_and_anything_else_does_not()
    {
        var hash = VisitorIdentity.ComputeUserHash("user-42", "s3cret");
        hash.Should().MatchRegex("^[0-9a-f]{64}$");
        VisitorIdentity.VerifyUserHash("user-42", "s3cret", hash).Should().BeTrue();
        VisitorIdentity.VerifyUserHash("user-42", "s3cret", hash.ToUpperInvariant()).Should().BeTrue();
        VisitorIdentity.VerifyUserHash("user-43", "s3cret", hash).Should().BeFalse();
        VisitorIdentity.VerifyUserHash("user-42", "other", hash).Should().BeFalse();
        VisitorIdentity.VerifyUserHash("user-42", "s3cret", null).Should().BeFalse();
    }
}

public sealed class BusinessHoursTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly HashSet<DayOfWeek> Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    [Theory]
    [InlineData("2026-11-23T00:59:00Z", false)] // Monday 08:59 in Shanghai
    [InlineData("2026-11-23T01:00:00Z", true)]  // Monday 09:00
    [InlineData("2026-11-23T13:00:00Z", false)] // Monday 21:00, after the 20:59:59 close
    [InlineData("2026-11-28T03:00:00Z", false)] // Saturday 11:00
    public void Open_on_weekdays_nine_to_nine_shanghai_time(string utc, bool open)
    {
        var hours = new BusinessHours(Shanghai, new TimeOnly(9, 0), new TimeOnly(20, 59, 59), Weekdays);
        hours.IsOpen(DateTimeOffset.Parse(utc)).Should().Be(open);
    }

    [Fact]
    public void Hours_across_midnight_are_open_on_both_sides()
    {
        var night = new BusinessHours(Shanghai, new TimeOnly(20, 0), new TimeOnly(2, 0), Enum.GetValues<DayOfWeek>().ToHashSet());
        night.IsOpen(DateTimeOffset.Parse("2026-11-23T15:00:00Z")).Should().BeTrue();  // 23:00
        night.IsOpen(DateTimeOffset.Parse("2026-11-23T17:30:00Z")).Should().BeTrue();  // 01:30
        night.IsOpen(DateTimeOffset.Parse("2026-11-23T04:00:00Z")).Should().BeFalse(); // 12:00
    }
}
