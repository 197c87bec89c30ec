using FluentAssertions;
using Helpdesk.Core.Surveys;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Tests.Surveys;

public sealed class SurveyRulesTests
{
    private static readonly DateTime Issued = new(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Unanswered_link_is_open_until_14_days_after_issue_then_expired()
    {
        SurveyRules.WindowAt(Issued, null, Issued.AddDays(14).AddSeconds(-1)).Should().Be(SurveyWindow.Open);
        SurveyRules.WindowAt(Issued, null, Issued.AddDays(14)).Should().Be(SurveyWindow.Expired);
        SurveyRules.CheckWindow(Issued, null, Issued.AddDays(15))!.Code.Should().Be("survey_expired");
    }

    [Fact]
    public void Answer_is_changeable_for_24_hours_then_locked()
    {
        var answered = Issued.AddDays(2);
        SurveyRules.WindowAt(Issued, answered, answered.AddHours(23).AddMinutes(59)).Should().Be(SurveyWindow.Changeable);
        SurveyRules.WindowAt(Issued, answered, answered.AddHours(24)).Should().Be(SurveyWindow.Locked);
        SurveyRules.CheckWindow(Issued, answered, answered.AddHours(25))!.Code.Should().Be("survey_locked");
        SurveyRules.CheckWindow(Issued, answered, answered.AddHours(1)).Should().BeNull();
    }

    [Fact]
    public void Answer_given_on_the_last_day_stays_changeable_past_the_link_lifetime()
    {
        var answered = Issued.AddDays(14).AddHours(-1);
        SurveyRules.WindowAt(Issued, answered, Issued.AddDays(14).AddHours(5)).Should().Be(SurveyWindow.Changeable);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-3)]
    public void Score_outside_1_to_5_is_refused(int score) =>
        SurveyRules.CheckAnswer(score, true, null)!.Code.Should().Be("score_out_of_range");

    [Fact]
    public void Missing_score_or_solved_and_long_comment_are_refused_and_a_valid_answer_passes()
    {
        SurveyRules.CheckAnswer(null, true, null)!.Code.Should().Be("score_out_of_range");
        SurveyRules.CheckAnswer(4, null, null)!.Code.Should().Be("solved_required");
        SurveyRules.CheckAnswer(4, true, new string('字', 2001))!.Code.Should().Be("comment_too_long");
        SurveyRules.CheckAnswer(1, false, new string('字', 2000)).Should().BeNull();
        SurveyRules.CheckAnswer(5, true, null).Should().BeNull();
    }

    [Theory]
    [InlineData(1, true, true, "low_score:1")]
    [InlineData(2, true, true, "low_score:2")]
    [InlineData(3, true, false, null)]
    [InlineData(5, true, false, null)]
    [InlineData(5, false, true, "not_solved")]
    [InlineData(2, false, true, "low_score_and_not_solved:2")]
    public void Two_stars_or_less_or_not_solved_needs_a_follow_up(int score, bool solved, bool needed, string? reason)
    {
        SurveyRules.NeedsFollowUp(score, solved).Should().Be(needed);
        if (reason is not null) SurveyRules.FollowUpReason(score, solved).Should().Be(reason);
    }

    [Fact]
    public void Reminder_is_due_once_after_48_hours_without_answer_while_the_link_is_valid()
    {
        SurveyRules.ReminderDue(Issued, null, null, Issued.AddHours(47)).Should().BeFalse();
        SurveyRules.ReminderDue(Issued, null, null, Issued.AddHours(48)).Should().BeTrue();
        SurveyRules.ReminderDue(Issued, null, Issued.AddHours(48), Issued.AddHours(60)).Should().BeFalse("one reminder only");
        SurveyRules.ReminderDue(Issued, Issued.AddHours(3), null, Issued.AddHours(60)).Should().BeFalse("answered");
        SurveyRules.ReminderDue(Issued, null, null, Issued.AddDays(14)).Should().BeFalse("expired");
    }
}

public sealed class CsatMathTests
{
    private static readonly DateTime Day = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Csat_is_the_share_of_4_and_5_among_answers_and_response_rate_counts_unanswered()
    {
        // 10 issued, 8 answered: 5,5,5,4,4,3,2,1 → 5 satisfied of 8 = 0.625; average 29/8 = 3.625 → 3.63 (rounded to cents).
        int?[] scores = [5, 5, 5, 4, 4, 3, 2, 1, null, null];
        var f = CsatMath.Compute(scores.Select(s => new SurveyFact(Day, s)));
        f.Issued.Should().Be(10);
        f.Answered.Should().Be(8);
        f.Satisfied.Should().Be(5);
        f.Csat.Should().Be(0.625);
        f.AverageScore.Should().Be(3.63);
        f.ResponseRate.Should().Be(0.8);
        f.MeetsTarget.Should().BeFalse();
    }

    [Fact]
    public void Target_is_95_percent_and_no_answers_gives_no_figures()
    {
        var meets = CsatMath.Compute(Enumerable.Repeat(new SurveyFact(Day, 5), 19).Append(new SurveyFact(Day, 3)));
        meets.Csat.Should().Be(0.95);
        meets.MeetsTarget.Should().BeTrue();
        var none = CsatMath.Compute([new SurveyFact(Day, null)]);
        none.Csat.Should().BeNull();
        none.AverageScore.Should().BeNull();
        none.ResponseRate.Should().Be(0);
        none.MeetsTarget.Should().BeNull();
        CsatMath.Compute([]).ResponseRate.Should().BeNull();
    }

    [Theory]
    [InlineData(4, 1.0, "unrated")]
    [InlineData(5, 0.95, "A")]
    [InlineData(20, 0.9, "B")]
    [InlineData(20, 0.7, "C")]
    [InlineData(20, 0.69, "D")]
    public void Agent_grade_from_rolling_csat_needs_five_answers(int answers, double csat, string grade) =>
        AgentGrading.Grade(answers, csat).Should().Be(grade);
}

public sealed class TicketSurveyAnswerTests
{
    private static readonly DateTime Now = new(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc);
    private static readonly Actor Agent = Actor.Staff(Guid.NewGuid(), "李娜");
    private static readonly Actor Customer = Actor.Customer(7, "陈明");

    private static Ticket Resolved()
    {
        var t = Ticket.Open(100001, new NewTicket("耳机没有声音", TicketType.Inquiry, TicketChannel.Email, Description: "坏了", AssigneeId: Guid.NewGuid()), Customer, Now);
        t.ChangeStatus(TicketStatus.Resolved, Agent, Now);
        t.ClearPendingEvents();
        return t;
    }

    [Fact]
    public void First_answer_moves_resolved_ticket_to_feedback_received_and_raises_survey_answered()
    {
        var t = Resolved();
        t.RecordSurveyAnswer(11, 5, true, changed: false, followUpExists: false, Customer, Now.AddHours(1));
        t.Status.Should().Be(TicketStatus.FeedbackReceived);
        t.PendingEvents.OfType<StatusChanged>().Single().To.Should().Be(TicketStatus.FeedbackReceived);
        t.PendingEvents.OfType<SurveyAnswered>().Single().Should().Match<SurveyAnswered>(e => e.SurveyId == 11 && e.Score == 5 && e.Solved && !e.Changed);
        t.PendingEvents.OfType<LowSurveyScoreReceived>().Should().BeEmpty();
        t.History.Should().Contain(h => h.Field == "survey" && h.To == "5/5, solved: yes");
    }

    [Fact]
    public void Low_answer_raises_the_low_score_event_once_per_survey()
    {
        var t = Resolved();
        t.RecordSurveyAnswer(11, 2, true, false, false, Customer, Now);
        t.PendingEvents.OfType<LowSurveyScoreReceived>().Single().Score.Should().Be(2);
        t.ClearPendingEvents();
        t.RecordSurveyAnswer(11, 1, false, changed: true, followUpExists: true, Customer, Now.AddHours(2));
        t.Status.Should().Be(TicketStatus.FeedbackReceived);
        t.PendingEvents.OfType<SurveyAnswered>().Single().Changed.Should().BeTrue();
        t.PendingEvents.OfType<LowSurveyScoreReceived>().Should().BeEmpty();
    }

    [Fact]
    public void Not_solved_with_five_stars_still_raises_the_low_score_event()
    {
        var t = Resolved();
        t.RecordSurveyAnswer(11, 5, false, false, false, Customer, Now);
        t.PendingEvents.OfType<LowSurveyScoreReceived>().Single().Solved.Should().BeFalse();
    }

    [Fact]
    public void Open_or_archived_ticket_refuses_an_answer_and_out_of_range_score_is_refused()
    {
        var open = Ticket.Open(100002, new NewTicket("x", TicketType.Inquiry, TicketChannel.Email, Description: "y"), Customer, Now);
        open.Invoking(t => t.RecordSurveyAnswer(1, 5, true, false, false, Customer, Now)).Should().Throw<TicketRuleException>().Which.Code.Should().Be("survey_not_open");
        var archived = Resolved();
        archived.ChangeStatus(TicketStatus.Archived, Actor.System, Now);
        archived.Invoking(t => t.RecordSurveyAnswer(1, 5, true, false, false, Customer, Now)).Should().Throw<TicketRuleException>();
        Resolved().Invoking(t => t.RecordSurveyAnswer(1, 6, true, false, false, Customer, Now)).Should().Throw<TicketRuleException>().Which.Code.Should().Be("score_out_of_range");
    }
}
