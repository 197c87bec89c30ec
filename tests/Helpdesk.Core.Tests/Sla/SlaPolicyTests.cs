using Helpdesk.Core.Customers;
using Helpdesk.Core.Escalation;
using Helpdesk.Core.Sla;
using Helpdesk.Core.Tickets;
using Helpdesk.Core.Triage;

namespace Helpdesk.Core.Tests.Sla;

public sealed class SlaPolicyTests
{
    private static readonly SlaPolicySet Defaults = DefaultSlaPolicies.CreateSet();

    private static SlaSubject Subject(TicketChannel channel = TicketChannel.Email, TicketType type = TicketType.Inquiry,
        TicketPriority priority = TicketPriority.Normal, CustomerTier? tier = CustomerTier.Regular, string? team = "after-sales",
        HandlingMode? handling = null) =>
        new(channel, type, priority, tier, team, handling);

    [Fact]
    public void A_chat_gets_the_chat_policy_with_a_30_second_wall_clock_first_response()
    {
        var policy = Defaults.Match(Subject(TicketChannel.Chat));
        policy.Key.Should().Be("chat");
        policy.FirstResponse.Should().Be(new SlaGoal(TimeSpan.FromSeconds(30), SlaTimeMode.Calendar));
        policy.WarningThreshold.Should().Be(0.8);
        policy.PausingStatuses.Should().BeEquivalentTo([TicketStatus.WaitingOnCustomer]);
    }

    [Fact]
    public void An_email_gets_the_default_policy_in_business_time()
    {
        var policy = Defaults.Match(Subject(TicketChannel.Email));
        policy.Key.Should().Be("default");
        policy.FirstResponse!.Mode.Should().Be(SlaTimeMode.Business);
        policy.NextResponse!.Mode.Should().Be(SlaTimeMode.Business);
        policy.Resolution!.Mode.Should().Be(SlaTimeMode.Business);
    }

    [Fact]
    public void A_complaint_by_email_gets_tighter_targets_and_a_complaint_queue_at_level_2()
    {
        var complaint = Defaults.Match(Subject(TicketChannel.Email, TicketType.Complaint));
        complaint.Key.Should().Be("complaint");
        complaint.FirstResponse!.Within.Should().BeLessThan(DefaultSlaPolicies.Default.FirstResponse!.Within);
        complaint.Resolution!.Within.Should().BeLessThan(DefaultSlaPolicies.Default.Resolution!.Within);
        complaint.Escalation.SeniorQueueKey.Should().Be("complaints");
    }

    [Fact]
    public void A_complaint_triage_marked_for_immediate_handling_gets_the_stricter_policy_at_any_priority()
    {
        var immediate = Defaults.Match(Subject(TicketChannel.Email, TicketType.Complaint, TicketPriority.Normal, handling: HandlingMode.Immediate));
        immediate.Key.Should().Be("immediate-complaint");
        immediate.FirstResponse!.Within.Should().BeLessThan(DefaultSlaPolicies.Complaint.FirstResponse!.Within);
        immediate.Resolution!.Within.Should().BeLessThan(DefaultSlaPolicies.Complaint.Resolution!.Within);
        immediate.Escalation.SeniorQueueKey.Should().Be("complaints");

        Defaults.Match(Subject(TicketChannel.Email, TicketType.Complaint, handling: HandlingMode.Deferred)).Key.Should().Be("complaint",
            "attitude and complex complaints gather evidence first");
        Defaults.Match(Subject(TicketChannel.Email, TicketType.Inquiry, handling: HandlingMode.Immediate)).Key.Should().Be("default",
            "the handling mode belongs to complaints");
        Defaults.Match(Subject(TicketChannel.Chat, TicketType.Complaint, handling: HandlingMode.Immediate)).Key.Should().Be("chat",
            "a live chat's 30 seconds are stricter still");
    }

    [Fact]
    public void Policies_are_tried_in_their_order_not_in_the_order_given()
    {
        // An urgent complaint: "urgent" (Order 20) comes before "complaint" (Order 30).
        var set = new SlaPolicySet(DefaultSlaPolicies.All.Reverse());
        set.Match(Subject(type: TicketType.Complaint, priority: TicketPriority.Urgent)).Key.Should().Be("urgent");
        set.InOrder.Select(p => p.Order).Should().BeInAscendingOrder();
    }

    [Fact]
    public void Conditions_accept_lists_and_must_all_hold()
    {
        var vip = Policy("vip", 5, new SlaConditions
        {
            CustomerTiers = new HashSet<CustomerTier> { CustomerTier.StrategicPartner, CustomerTier.KeyAccount },
            Channels = new HashSet<TicketChannel> { TicketChannel.Email, TicketChannel.Phone },
            TeamKeys = new HashSet<string> { "after-sales" },
        });
        var set = new SlaPolicySet([vip, DefaultSlaPolicies.Default]);

        set.Match(Subject(TicketChannel.Phone, tier: CustomerTier.KeyAccount, team: "After-Sales")).Key.Should().Be("vip");
        set.Match(Subject(TicketChannel.Email, tier: CustomerTier.StrategicPartner)).Key.Should().Be("vip");
        set.Match(Subject(TicketChannel.Chat, tier: CustomerTier.KeyAccount)).Key.Should().Be("default");
        set.Match(Subject(TicketChannel.Email, tier: CustomerTier.Regular)).Key.Should().Be("default");
        set.Match(Subject(TicketChannel.Email, tier: CustomerTier.KeyAccount, team: "pre-sales")).Key.Should().Be("default");
    }

    [Fact]
    public void A_tier_or_team_condition_does_not_match_a_ticket_without_customer_or_team()
    {
        var conditions = new SlaConditions { CustomerTiers = new HashSet<CustomerTier> { CustomerTier.Regular } };
        conditions.Matches(Subject(tier: null)).Should().BeFalse();
        new SlaConditions { TeamKeys = new HashSet<string> { "pre-sales" } }.Matches(Subject(team: null)).Should().BeFalse();
        SlaConditions.Any.Matches(Subject(tier: null, team: null)).Should().BeTrue();
    }

    [Fact]
    public void A_set_without_a_catch_all_is_refused()
    {
        var act = () => new SlaPolicySet([DefaultSlaPolicies.Chat, DefaultSlaPolicies.Complaint]);
        act.Should().Throw<ArgumentException>().WithMessage("*catch-all*");
    }

    [Fact]
    public void A_policy_behind_the_catch_all_is_refused_as_unreachable()
    {
        var act = () => new SlaPolicySet([DefaultSlaPolicies.Default, DefaultSlaPolicies.Chat with { Order = 2000 }]);
        act.Should().Throw<ArgumentException>().WithMessage("*'chat' (Order 2000) is never reached*'default'*");
    }

    [Fact]
    public void Shared_keys_and_shared_orders_are_refused()
    {
        FluentActions.Invoking(() => new SlaPolicySet([DefaultSlaPolicies.Chat, DefaultSlaPolicies.Chat with { Order = 11 }, DefaultSlaPolicies.Default]))
            .Should().Throw<ArgumentException>().WithMessage("*key 'chat' is used 2 times*");
        FluentActions.Invoking(() => new SlaPolicySet([DefaultSlaPolicies.Chat, DefaultSlaPolicies.Urgent with { Order = 10 }, DefaultSlaPolicies.Default]))
            .Should().Throw<ArgumentException>().WithMessage("*'chat', 'urgent' share Order 10*");
    }

    [Fact]
    public void Bad_thresholds_closed_pausing_statuses_and_empty_policies_are_refused_with_the_policy_named()
    {
        FluentActions.Invoking(() => new SlaPolicySet([DefaultSlaPolicies.Default with { WarningThreshold = 1.2 }]))
            .Should().Throw<ArgumentException>().WithMessage("*'default'*warning threshold*1.2*");
        FluentActions.Invoking(() => new SlaPolicySet([DefaultSlaPolicies.Default with { PausingStatuses = new HashSet<TicketStatus> { TicketStatus.Resolved } }]))
            .Should().Throw<ArgumentException>().WithMessage("*'default'*Resolved cannot pause*");
        FluentActions.Invoking(() => new SlaPolicySet([new SlaPolicy { Key = "empty", Order = 1 }]))
            .Should().Throw<ArgumentException>().WithMessage("*'empty' has no target*");
        FluentActions.Invoking(() => new SlaPolicySet([DefaultSlaPolicies.Default with { Escalation = EscalationLadder.Default with { Level3After = TimeSpan.Zero } }]))
            .Should().Throw<ArgumentException>().WithMessage("*'default'*level 3*");
        FluentActions.Invoking(() => new SlaGoal(TimeSpan.Zero)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*longer than zero*");
    }

    [Fact]
    public void Every_default_policy_has_all_three_targets_and_the_set_is_valid()
    {
        Defaults.InOrder.Should().HaveCount(5);
        foreach (var policy in Defaults.InOrder)
        {
            policy.Problems().Should().BeEmpty();
            Enum.GetValues<SlaTarget>().Should().OnlyContain(t => policy.GoalFor(t) != null, policy.Key);
        }
        Defaults.Find("COMPLAINT").Should().BeSameAs(DefaultSlaPolicies.Complaint);
    }

    private static SlaPolicy Policy(string key, int order, SlaConditions conditions) => new()
    {
        Key = key,
        Order = order,
        Conditions = conditions,
        FirstResponse = SlaGoal.BusinessHours(1),
    };
}
