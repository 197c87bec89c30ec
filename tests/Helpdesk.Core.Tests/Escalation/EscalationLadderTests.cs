using Helpdesk.Core.Escalation;
using Helpdesk.Core.Sla;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Tests.Escalation;

public sealed class EscalationLadderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly EscalationLadder Ladder = EscalationLadder.Default with { SeniorQueueKey = "senior" };

    [Fact]
    public void Level_1_at_the_warning_tells_the_assignee()
    {
        var decision = Ladder.Escalate(EscalationState.None, EscalationTrigger.SlaWarning(SlaTarget.FirstResponse), TicketPriority.Normal, T0);

        decision.State.Level.Should().Be(EscalationLevel.Level1);
        decision.State.IsEscalated.Should().BeFalse();
        decision.Actions.Should().Equal(
            new NotifyAssignee("sla_warning:first_response", null),
            new RecordEscalationEvent(EscalationEventKind.Escalated, EscalationLevel.None, EscalationLevel.Level1, "sla_warning:first_response", null, T0));
    }

    [Fact]
    public void Level_2_at_the_breach_tells_supervisors_live_and_by_email_marks_moves_and_schedules_level_3()
    {
        var warned = Ladder.Escalate(EscalationState.None, EscalationTrigger.SlaWarning(SlaTarget.FirstResponse), TicketPriority.Normal, T0).State;
        var decision = Ladder.Escalate(warned, EscalationTrigger.SlaBreach(SlaTarget.FirstResponse), TicketPriority.Normal, T0.AddMinutes(12));

        decision.State.Level.Should().Be(EscalationLevel.Level2);
        decision.State.IsEscalated.Should().BeTrue();
        decision.State.Level3DueAt.Should().Be(T0.AddMinutes(72));
        decision.Actions.Should().Equal(
            new NotifySupervisors(true, true, "sla_breach:first_response", null),
            new MarkEscalated(),
            new MoveToQueue("senior"),
            new ScheduleLevel3Check(T0.AddMinutes(72)),
            new RecordEscalationEvent(EscalationEventKind.Escalated, EscalationLevel.Level1, EscalationLevel.Level2, "sla_breach:first_response", null, T0.AddMinutes(12)));
    }

    [Fact]
    public void A_breach_without_an_earlier_warning_performs_both_levels()
    {
        var decision = Ladder.Escalate(EscalationState.None, EscalationTrigger.SlaBreach(SlaTarget.Resolution), TicketPriority.Normal, T0);
        decision.Actions.OfType<NotifyAssignee>().Should().ContainSingle();
        decision.Actions.OfType<NotifySupervisors>().Should().ContainSingle();
        decision.Actions.OfType<RecordEscalationEvent>().Should().ContainSingle()
            .Which.Should().Match<RecordEscalationEvent>(e => e.From == EscalationLevel.None && e.To == EscalationLevel.Level2);
    }

    [Fact]
    public void Level_3_after_the_further_delay_tells_admins_and_raises_the_priority_one_step()
    {
        var breached = Ladder.Escalate(EscalationState.None, EscalationTrigger.SlaBreach(SlaTarget.Resolution), TicketPriority.Normal, T0).State;

        Ladder.Escalate(breached, EscalationTrigger.StillEscalated(), TicketPriority.Normal, T0.AddMinutes(59))
            .IsNothing.Should().BeTrue("the delay has not passed yet");

        var decision = Ladder.Escalate(breached, EscalationTrigger.StillEscalated(), TicketPriority.Normal, T0.AddHours(1));
        decision.State.Level.Should().Be(EscalationLevel.Level3);
        decision.State.Level3DueAt.Should().BeNull();
        decision.Actions.Should().Equal(
            new NotifyAdmins("still_escalated", null),
            new RaisePriority(TicketPriority.Normal, TicketPriority.High),
            new RecordEscalationEvent(EscalationEventKind.Escalated, EscalationLevel.Level2, EscalationLevel.Level3, "still_escalated", null, T0.AddHours(1)));
    }

    [Fact]
    public void Level_3_leaves_an_urgent_priority_as_it_is_and_can_be_turned_off()
    {
        var breached = Ladder.Escalate(EscalationState.None, EscalationTrigger.SlaBreach(SlaTarget.Resolution), TicketPriority.Urgent, T0).State;
        Ladder.Escalate(breached, EscalationTrigger.StillEscalated(), TicketPriority.Urgent, T0.AddHours(2))
            .Actions.OfType<RaisePriority>().Should().BeEmpty();

        var twoLevels = EscalationLadder.Default with { Level3After = null };
        var state = twoLevels.Escalate(EscalationState.None, EscalationTrigger.SlaBreach(SlaTarget.Resolution), TicketPriority.Normal, T0);
        state.Actions.OfType<ScheduleLevel3Check>().Should().BeEmpty();
        twoLevels.Escalate(state.State, EscalationTrigger.StillEscalated(), TicketPriority.Normal, T0.AddDays(1)).IsNothing.Should().BeTrue();
    }

    [Fact]
    public void A_stale_level_3_check_does_nothing()
    {
        var breached = Ladder.Escalate(EscalationState.None, EscalationTrigger.SlaBreach(SlaTarget.Resolution), TicketPriority.Normal, T0).State;
        var cleared = Ladder.Deescalate(breached, DeescalationReason.SupervisorCleared, T0.AddMinutes(5)).State;
        Ladder.Escalate(cleared, EscalationTrigger.StillEscalated(), TicketPriority.Normal, T0.AddHours(2)).IsNothing.Should().BeTrue();
    }

    [Fact]
    public void The_same_reason_twice_does_nothing_so_a_retried_job_is_harmless()
    {
        var first = Ladder.Escalate(EscalationState.None, EscalationTrigger.SlaBreach(SlaTarget.FirstResponse), TicketPriority.Normal, T0);
        var again = Ladder.Escalate(first.State, EscalationTrigger.SlaBreach(SlaTarget.FirstResponse), TicketPriority.Normal, T0.AddSeconds(5));
        again.IsNothing.Should().BeTrue();
        again.State.Should().BeSameAs(first.State);
    }

    [Fact]
    public void A_customer_asking_for_a_supervisor_enters_at_level_2_with_the_phrase_as_detail()
    {
        var decision = Ladder.Escalate(EscalationState.None, EscalationTrigger.CustomerAskedForSupervisor("找你们领导"), TicketPriority.Normal, T0);
        decision.State.Level.Should().Be(EscalationLevel.Level2);
        decision.Actions.OfType<NotifySupervisors>().Should().ContainSingle()
            .Which.Should().Be(new NotifySupervisors(true, true, "customer_asked_for_supervisor", "找你们领导"));
        decision.Actions.OfType<RecordEscalationEvent>().Single().Detail.Should().Be("找你们领导");
    }

    [Fact]
    public void Triage_threats_and_low_survey_scores_enter_the_same_ladder_with_their_reasons()
    {
        var threat = Ladder.Escalate(EscalationState.None, EscalationTrigger.TriageThreat("media"), TicketPriority.Normal, T0);
        threat.State.Level.Should().Be(EscalationLevel.Level2);
        threat.Actions.OfType<RecordEscalationEvent>().Single().Reason.Should().Be("triage_threat");

        var survey = Ladder.Escalate(EscalationState.None, EscalationTrigger.LowSurveyScore(1), TicketPriority.Normal, T0);
        survey.State.Level.Should().Be(EscalationLevel.Level2);
        survey.Actions.OfType<RecordEscalationEvent>().Single().Should().Match<RecordEscalationEvent>(e => e.Reason == "low_survey_score" && e.Detail == "1/5");
    }

    [Fact]
    public void Entry_levels_are_configurable_per_ladder()
    {
        var gentle = EscalationLadder.Default with
        {
            EntryLevels = new Dictionary<EscalationTriggerKind, EscalationLevel>(EscalationLadder.DefaultEntryLevels)
            {
                [EscalationTriggerKind.LowSurveyScore] = EscalationLevel.Level1,
                [EscalationTriggerKind.TriageThreat] = EscalationLevel.Level3,
            },
        };
        gentle.Escalate(EscalationState.None, EscalationTrigger.LowSurveyScore(2), TicketPriority.Normal, T0).State.Level.Should().Be(EscalationLevel.Level1);
        var threat = gentle.Escalate(EscalationState.None, EscalationTrigger.TriageThreat("regulator"), TicketPriority.Low, T0);
        threat.State.Level.Should().Be(EscalationLevel.Level3);
        threat.Actions.OfType<NotifyAdmins>().Should().ContainSingle();
        threat.Actions.OfType<RaisePriority>().Should().ContainSingle().Which.To.Should().Be(TicketPriority.Normal);
    }

    [Fact]
    public void A_new_reason_at_the_current_level_is_recorded_and_told_without_climbing()
    {
        var breached = Ladder.Escalate(EscalationState.None, EscalationTrigger.SlaBreach(SlaTarget.FirstResponse), TicketPriority.Normal, T0).State;
        var decision = Ladder.Escalate(breached, EscalationTrigger.CustomerAskedForSupervisor("我要投诉"), TicketPriority.Normal, T0.AddMinutes(3));

        decision.State.Level.Should().Be(EscalationLevel.Level2);
        decision.State.Level3DueAt.Should().Be(breached.Level3DueAt, "a note does not push level 3 back");
        decision.Actions.Should().Equal(
            new NotifySupervisors(true, true, "customer_asked_for_supervisor", "我要投诉"),
            new RecordEscalationEvent(EscalationEventKind.Noted, EscalationLevel.Level2, EscalationLevel.Level2, "customer_asked_for_supervisor", "我要投诉", T0.AddMinutes(3)));
        decision.Actions.OfType<MarkEscalated>().Should().BeEmpty();
    }

    [Fact]
    public void Resolution_de_escalates_with_its_reason_and_clears_the_flag()
    {
        var breached = Ladder.Escalate(EscalationState.None, EscalationTrigger.SlaBreach(SlaTarget.Resolution), TicketPriority.Normal, T0).State;
        var decision = Ladder.Deescalate(breached, DeescalationReason.Resolved, T0.AddHours(3));

        decision.State.Should().Be(EscalationState.None);
        decision.Actions.Should().Equal(
            new ClearEscalated(),
            new RecordEscalationEvent(EscalationEventKind.Deescalated, EscalationLevel.Level2, EscalationLevel.None, "resolved", null, T0.AddHours(3)));
    }

    [Fact]
    public void A_supervisor_clearing_a_level_1_ticket_records_it_and_the_warning_can_come_again_later()
    {
        var warned = Ladder.Escalate(EscalationState.None, EscalationTrigger.SlaWarning(SlaTarget.NextResponse), TicketPriority.Normal, T0).State;
        var cleared = Ladder.Deescalate(warned, DeescalationReason.SupervisorCleared, T0.AddMinutes(1), "handled by phone");
        cleared.Actions.Should().Equal(new RecordEscalationEvent(EscalationEventKind.Deescalated, EscalationLevel.Level1, EscalationLevel.None, "supervisor_cleared", "handled by phone", T0.AddMinutes(1)));

        Ladder.Escalate(cleared.State, EscalationTrigger.SlaWarning(SlaTarget.NextResponse), TicketPriority.Normal, T0.AddHours(2))
            .State.Level.Should().Be(EscalationLevel.Level1);
    }

    [Fact]
    public void De_escalating_a_ticket_that_is_not_escalated_does_nothing()
    {
        Ladder.Deescalate(EscalationState.None, DeescalationReason.Resolved, T0).IsNothing.Should().BeTrue();
    }

    [Fact]
    public void A_ladder_without_live_or_email_notice_for_supervisors_still_marks_the_ticket()
    {
        var quiet = EscalationLadder.Default with { NotifySupervisorsLive = false, EmailSupervisors = false, NotifyAssignee = false };
        var decision = quiet.Escalate(EscalationState.None, EscalationTrigger.SlaBreach(SlaTarget.Resolution), TicketPriority.Normal, T0);
        decision.Actions.OfType<NotifySupervisors>().Should().BeEmpty();
        decision.Actions.OfType<NotifyAssignee>().Should().BeEmpty();
        decision.Actions.Should().ContainSingle(a => a is MarkEscalated);
    }
}
