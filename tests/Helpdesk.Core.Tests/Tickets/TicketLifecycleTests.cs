using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Tests.Tickets;

/// <summary>Every pair of statuses: the legal ones of design §5 are allowed, every other one refused with a reason.</summary>
public sealed class TicketLifecycleTests
{
    private static readonly HashSet<(TicketStatus, TicketStatus)> Legal =
    [
        (TicketStatus.New, TicketStatus.Assigned),
        (TicketStatus.New, TicketStatus.Merged),
        (TicketStatus.Assigned, TicketStatus.New),
        (TicketStatus.Assigned, TicketStatus.WaitingOnCustomer),
        (TicketStatus.Assigned, TicketStatus.Resolved),
        (TicketStatus.Assigned, TicketStatus.Merged),
        (TicketStatus.WaitingOnCustomer, TicketStatus.New),
        (TicketStatus.WaitingOnCustomer, TicketStatus.Assigned),
        (TicketStatus.WaitingOnCustomer, TicketStatus.Resolved),
        (TicketStatus.WaitingOnCustomer, TicketStatus.Merged),
        (TicketStatus.Resolved, TicketStatus.New),
        (TicketStatus.Resolved, TicketStatus.Assigned),
        (TicketStatus.Resolved, TicketStatus.FeedbackReceived),
        (TicketStatus.Resolved, TicketStatus.Archived),
        (TicketStatus.Resolved, TicketStatus.Merged),
        (TicketStatus.FeedbackReceived, TicketStatus.Archived),
    ];

    public static TheoryData<TicketStatus, TicketStatus> LegalPairs()
    {
        var data = new TheoryData<TicketStatus, TicketStatus>();
        foreach (var (from, to) in Legal) data.Add(from, to);
        return data;
    }

    public static TheoryData<TicketStatus, TicketStatus> IllegalPairs()
    {
        var data = new TheoryData<TicketStatus, TicketStatus>();
        foreach (var from in Enum.GetValues<TicketStatus>())
        foreach (var to in Enum.GetValues<TicketStatus>())
            if (!Legal.Contains((from, to)))
                data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(LegalPairs))]
    public void Legal_transition_is_allowed(TicketStatus from, TicketStatus to)
    {
        var check = TicketLifecycle.Check(from, to);
        check.Allowed.Should().BeTrue();
        check.Reason.Should().BeNull();
        TicketLifecycle.AllowedFrom(from).Should().Contain(to);
    }

    [Theory]
    [MemberData(nameof(IllegalPairs))]
    public void Illegal_transition_is_refused_with_a_reason(TicketStatus from, TicketStatus to)
    {
        var check = TicketLifecycle.Check(from, to);
        check.Allowed.Should().BeFalse();
        check.Reason.Should().NotBeNullOrWhiteSpace();
        TicketLifecycle.AllowedFrom(from).Should().NotContain(to);
    }

    [Fact]
    public void All_49_pairs_are_covered_by_the_two_theories()
    {
        (LegalPairs().Count() + IllegalPairs().Count()).Should().Be(49);
        Legal.Count.Should().Be(16);
    }

    [Fact]
    public void Archived_and_merged_are_terminal()
    {
        TicketLifecycle.AllowedFrom(TicketStatus.Archived).Should().BeEmpty();
        TicketLifecycle.AllowedFrom(TicketStatus.Merged).Should().BeEmpty();
        TicketLifecycle.Check(TicketStatus.Archived, TicketStatus.Assigned).Reason.Should().Contain("follow-up");
    }

    [Theory]
    [InlineData(TicketStatus.New, true)]
    [InlineData(TicketStatus.Assigned, true)]
    [InlineData(TicketStatus.WaitingOnCustomer, true)]
    [InlineData(TicketStatus.Resolved, false)]
    [InlineData(TicketStatus.FeedbackReceived, false)]
    [InlineData(TicketStatus.Archived, false)]
    [InlineData(TicketStatus.Merged, false)]
    public void Open_means_somebody_still_has_to_act(TicketStatus status, bool open) =>
        TicketLifecycle.IsOpen(status).Should().Be(open);
}
