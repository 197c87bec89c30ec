using Helpdesk.Core.Sla;
using Helpdesk.Core.Tickets;
using Microsoft.Extensions.Time.Testing;

namespace Helpdesk.Core.Tests.Sla;

/// <summary>Worked examples under Mon–Fri 09:00–17:00 Shanghai; 2026-11-20 is a Friday, 11-23 a Monday.</summary>
public sealed class SlaClockTests
{
    private static readonly BusinessCalendar NineToFive =
        new("office", BusinessCalendar.FindZone("Asia/Shanghai"), WeeklyHours.MondayToFriday("09:00-17:00"));

    private static readonly SlaPolicy Email = new()
    {
        Key = "email",
        Order = 1,
        FirstResponse = SlaGoal.BusinessMinutes(60),
        NextResponse = SlaGoal.BusinessHours(1),
        Resolution = SlaGoal.BusinessHours(4),
    };

    private static DateTimeOffset Sh(int day, int hour, int minute = 0, int second = 0) =>
        new(2026, 11, day, hour, minute, second, TimeSpan.FromHours(8));

    private static SlaSnapshot At(DateTimeOffset now, params SlaEvent[] events) =>
        SlaClock.Evaluate(Email, NineToFive, SlaTimeline.Of(events), now);

    [Fact]
    public void Opened_Friday_1630_the_first_response_is_due_Monday_0930_and_warns_at_0918()
    {
        var first = At(Sh(20, 17, 30), new SlaTicketOpened(Sh(20, 16, 30))).For(SlaTarget.FirstResponse)!;
        first.State.Should().Be(SlaState.Running);
        first.DueAt.Should().Be(Sh(23, 9, 30));
        // 80 % of 60 minutes: 30 on Friday, 18 on Monday.
        first.WarningAt.Should().Be(Sh(23, 9, 18));
        first.Taken.Should().Be(TimeSpan.FromMinutes(30));
        first.Remaining.Should().Be(TimeSpan.FromMinutes(30));
        first.WarningReached.Should().BeFalse();
    }

    [Fact]
    public void A_reply_before_the_deadline_meets_the_target_and_records_the_business_time_taken()
    {
        var snapshot = At(Sh(23, 12, 0), new SlaTicketOpened(Sh(20, 16, 30)), new SlaAgentReply(Sh(23, 9, 20)));
        var first = snapshot.For(SlaTarget.FirstResponse)!;
        first.State.Should().Be(SlaState.Met);
        first.Taken.Should().Be(TimeSpan.FromMinutes(50));
        first.WarningReached.Should().BeTrue();
        snapshot.Outcomes.Should().ContainSingle()
            .Which.Should().Be(new SlaOutcome(SlaTarget.FirstResponse, 1, true, TimeSpan.FromMinutes(50), Email.FirstResponse!, Sh(20, 16, 30), Sh(23, 9, 20)));
    }

    [Fact]
    public void A_reply_exactly_at_the_deadline_is_met_and_one_minute_later_is_breached()
    {
        var onTime = At(Sh(23, 12), new SlaTicketOpened(Sh(20, 16, 30)), new SlaAgentReply(Sh(23, 9, 30)));
        onTime.For(SlaTarget.FirstResponse)!.State.Should().Be(SlaState.Met);

        var late = At(Sh(23, 12), new SlaTicketOpened(Sh(20, 16, 30)), new SlaAgentReply(Sh(23, 9, 31)));
        late.For(SlaTarget.FirstResponse)!.State.Should().Be(SlaState.Breached);
        late.Outcomes.Should().ContainSingle().Which.Met.Should().BeFalse();
    }

    [Fact]
    public void Without_a_reply_the_clock_is_breached_once_the_deadline_has_passed()
    {
        var opened = new SlaTicketOpened(Sh(20, 16, 30));
        At(Sh(23, 9, 30), opened).For(SlaTarget.FirstResponse)!.State.Should().Be(SlaState.Running);
        var breached = At(Sh(23, 9, 31), opened).For(SlaTarget.FirstResponse)!;
        breached.State.Should().Be(SlaState.Breached);
        breached.Overdue.Should().Be(TimeSpan.FromMinutes(1));
        breached.IsTicking.Should().BeTrue();
        At(Sh(23, 9, 31), opened).Outcomes.Should().BeEmpty("a breached clock that still runs is not finished");
    }

    [Fact]
    public void Waiting_on_customer_pauses_the_clock_and_moves_the_deadline_by_the_paused_time()
    {
        var events = new SlaEvent[]
        {
            new SlaTicketOpened(Sh(23, 10, 0)),
            new SlaStatusChange(Sh(23, 10, 0), TicketStatus.Assigned),
            new SlaAgentReply(Sh(23, 10, 30)),
            new SlaStatusChange(Sh(23, 10, 30), TicketStatus.WaitingOnCustomer),
            new SlaCustomerMessage(Sh(23, 13, 0)),
            new SlaStatusChange(Sh(23, 13, 0), TicketStatus.Assigned),
        };

        var paused = At(Sh(23, 12, 0), events).For(SlaTarget.Resolution)!;
        paused.State.Should().Be(SlaState.Paused);
        paused.DueAt.Should().BeNull("the deadline is unknown until the clock runs again");
        paused.Taken.Should().Be(TimeSpan.FromMinutes(30));

        // 30 minutes ran before the pause; the other 3 h 30 run from 13:00.
        var resumed = At(Sh(23, 13, 5), events).For(SlaTarget.Resolution)!;
        resumed.State.Should().Be(SlaState.Running);
        resumed.DueAt.Should().Be(Sh(23, 16, 30));
        resumed.WarningAt.Should().Be(Sh(23, 15, 42)); // 80 % of 4 h = 3 h 12: 30 min + 2 h 42 from 13:00
    }

    [Fact]
    public void The_pausing_statuses_come_from_the_policy()
    {
        var events = new SlaEvent[]
        {
            new SlaTicketOpened(Sh(23, 10)),
            new SlaStatusChange(Sh(23, 10), TicketStatus.Assigned),
            new SlaStatusChange(Sh(23, 11), TicketStatus.WaitingOnCustomer),
        };
        var nothingPauses = Email with { PausingStatuses = new HashSet<TicketStatus>() };
        var newPauses = Email with { PausingStatuses = new HashSet<TicketStatus> { TicketStatus.New } };

        SlaClock.Evaluate(nothingPauses, NineToFive, SlaTimeline.Of(events), Sh(23, 12)).For(SlaTarget.Resolution)!
            .Taken.Should().Be(TimeSpan.FromHours(2));
        SlaClock.Evaluate(newPauses, NineToFive, SlaTimeline.Of(events[..1]), Sh(23, 12)).For(SlaTarget.Resolution)!
            .State.Should().Be(SlaState.Paused);
    }

    [Fact]
    public void Next_response_starts_at_the_first_customer_message_after_an_answer_and_stops_at_the_next_answer()
    {
        var snapshot = At(Sh(23, 15, 0),
            new SlaTicketOpened(Sh(23, 10, 0)),
            new SlaCustomerMessage(Sh(23, 10, 0)),
            new SlaAgentReply(Sh(23, 10, 10)),
            new SlaCustomerMessage(Sh(23, 11, 0)),
            new SlaCustomerMessage(Sh(23, 11, 20)), // still waiting: does not restart the clock
            new SlaAgentReply(Sh(23, 11, 50)),
            new SlaAgentReply(Sh(23, 12, 0)),       // nothing waiting: no clock to stop
            new SlaCustomerMessage(Sh(23, 14, 30)));

        snapshot.Outcomes.Select(o => (o.Target, o.Cycle, o.Met, o.Taken)).Should().Equal(
            (SlaTarget.FirstResponse, 1, true, TimeSpan.FromMinutes(10)),
            (SlaTarget.NextResponse, 1, true, TimeSpan.FromMinutes(50)));
        var current = snapshot.For(SlaTarget.NextResponse)!;
        current.Cycle.Should().Be(2);
        current.StartedAt.Should().Be(Sh(23, 14, 30));
        current.DueAt.Should().Be(Sh(23, 15, 30));
        current.State.Should().Be(SlaState.Running);
    }

    [Fact]
    public void Resolving_stops_every_clock_and_a_customer_reply_reopens_resolution_without_the_resolved_time()
    {
        var events = new SlaEvent[]
        {
            new SlaTicketOpened(Sh(23, 9, 0)),
            new SlaStatusChange(Sh(23, 9, 0), TicketStatus.Assigned),
            new SlaStatusChange(Sh(23, 10, 0), TicketStatus.Resolved), // closed without a reply
            new SlaCustomerMessage(Sh(23, 14, 0)),
            new SlaStatusChange(Sh(23, 14, 0), TicketStatus.Assigned),
        };

        var resolved = At(Sh(23, 12, 0), events);
        resolved.For(SlaTarget.Resolution)!.Should().Match<SlaTargetStatus>(s => s.State == SlaState.Met && s.Taken == TimeSpan.FromHours(1));
        resolved.For(SlaTarget.FirstResponse)!.State.Should().Be(SlaState.Met, "closing answers the ticket");
        resolved.NextWakeUp.Should().BeNull();

        var reopened = At(Sh(23, 15, 0), events);
        var resolution = reopened.For(SlaTarget.Resolution)!;
        resolution.State.Should().Be(SlaState.Running);
        resolution.Taken.Should().Be(TimeSpan.FromHours(2)); // 09–10 and 14–15
        resolution.DueAt.Should().Be(Sh(23, 17, 0)); // 3 h left of 4, from 14:00
        reopened.For(SlaTarget.NextResponse)!.StartedAt.Should().Be(Sh(23, 14, 0));
        reopened.Outcomes.Should().NotContain(o => o.Target == SlaTarget.Resolution, "the reopened resolution is not finished");
    }

    [Fact]
    public void A_chat_in_calendar_time_is_due_30_seconds_after_opening_even_on_a_Saturday_night()
    {
        var time = new FakeTimeProvider(Sh(21, 23, 59, 50));
        var timeline = SlaTimeline.Of([new SlaTicketOpened(time.GetUtcNow())]);
        var chat = DefaultSlaPolicies.Chat;
        var calendar = DefaultBusinessCalendar.Create();

        var first = SlaClock.Evaluate(chat, calendar, timeline, time).For(SlaTarget.FirstResponse)!;
        first.DueAt.Should().Be(Sh(22, 0, 0, 20));
        first.WarningAt.Should().Be(Sh(22, 0, 0, 14));

        time.Advance(TimeSpan.FromSeconds(31));
        SlaClock.Evaluate(chat, calendar, timeline, time).For(SlaTarget.FirstResponse)!.State.Should().Be(SlaState.Breached);
        // Its resolution target is business time: nothing of it has run by Sunday.
        SlaClock.Evaluate(chat, calendar, timeline, time).For(SlaTarget.Resolution)!.Taken.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Events_after_now_are_not_seen()
    {
        var snapshot = At(Sh(23, 9, 10), new SlaTicketOpened(Sh(23, 9, 0)), new SlaAgentReply(Sh(23, 9, 20)));
        snapshot.For(SlaTarget.FirstResponse)!.State.Should().Be(SlaState.Running);
        snapshot.Outcomes.Should().BeEmpty();
    }

    [Fact]
    public void Next_wake_up_is_the_next_warning_or_deadline_of_a_ticking_clock()
    {
        var opened = new SlaTicketOpened(Sh(23, 9, 0));
        At(Sh(23, 9, 5), opened).NextWakeUp.Should().Be(Sh(23, 9, 48));   // first response warning
        At(Sh(23, 9, 50), opened).NextWakeUp.Should().Be(Sh(23, 10, 0));  // first response deadline
        At(Sh(23, 10, 30), opened).NextWakeUp.Should().Be(Sh(23, 12, 12)); // resolution warning (3 h 12)
    }

    [Fact]
    public void A_policy_without_a_target_has_no_clock_for_it()
    {
        var resolutionOnly = new SlaPolicy { Key = "r", Order = 1, Resolution = SlaGoal.BusinessHours(8) };
        var snapshot = SlaClock.Evaluate(resolutionOnly, NineToFive,
            SlaTimeline.Of([new SlaTicketOpened(Sh(23, 9)), new SlaAgentReply(Sh(23, 9, 30))]), Sh(23, 10));
        snapshot.Targets.Select(t => t.Target).Should().Equal(SlaTarget.Resolution);
        snapshot.Outcomes.Should().BeEmpty();
    }

    [Fact]
    public void The_timeline_comes_from_the_ticket_aggregate_in_its_own_order()
    {
        var agentId = Guid.NewGuid();
        var agent = Actor.Staff(agentId, "李娜");
        var customer = Actor.Customer(7, "陈明");
        var t0 = Sh(23, 9).UtcDateTime;
        var ticket = Ticket.Open(1, new NewTicket("耳机没有声音", TicketType.Inquiry, TicketChannel.Email, Description: "我的耳机坏了", CustomerId: 7), customer, t0);
        ticket.AddAgentReply("请稍等", agent, agentId, t0.AddMinutes(20), null);
        ticket.AddInternalNote("checking stock", agent, t0.AddMinutes(21), null);
        ticket.ChangeStatus(TicketStatus.WaitingOnCustomer, agent, t0.AddMinutes(25));
        ticket.AddCustomerMessage("还是不行", customer, t0.AddMinutes(90), null, out _);

        var timeline = SlaTimeline.FromTicket(ticket);
        timeline.Events.Should().Equal(
            new SlaTicketOpened(Sh(23, 9)),
            new SlaCustomerMessage(Sh(23, 9)),
            new SlaStatusChange(Sh(23, 9, 20), TicketStatus.Assigned),
            new SlaAgentReply(Sh(23, 9, 20)),
            new SlaStatusChange(Sh(23, 9, 25), TicketStatus.WaitingOnCustomer),
            new SlaCustomerMessage(Sh(23, 10, 30)),
            new SlaStatusChange(Sh(23, 10, 30), TicketStatus.Assigned));

        var snapshot = SlaClock.Evaluate(Email, NineToFive, timeline, Sh(23, 11));
        snapshot.For(SlaTarget.Resolution)!.Taken.Should().Be(TimeSpan.FromMinutes(55)); // 25 + 30, the wait excluded
        snapshot.For(SlaTarget.NextResponse)!.DueAt.Should().Be(Sh(23, 11, 30));
    }

    [Fact]
    public void A_timeline_must_start_with_the_opening()
    {
        FluentActions.Invoking(() => SlaTimeline.Of([new SlaCustomerMessage(Sh(23, 9))]))
            .Should().Throw<ArgumentException>().WithMessage("*starts with the ticket's opening*");
        FluentActions.Invoking(() => SlaTimeline.Of([new SlaTicketOpened(Sh(23, 9)), new SlaCustomerMessage(Sh(23, 8))]))
            .Should().Throw<ArgumentException>().WithMessage("*starts with the ticket's opening*");
    }
}
