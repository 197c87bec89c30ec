using Helpdesk.Core.Supervision;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Tests.Supervision;

public sealed class DashboardMathTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void Percentiles_are_nearest_rank_so_each_is_a_value_that_happened()
    {
        double[] seconds = [30, 10, 20, 40, 50, 60, 70, 80, 90, 100];
        DashboardMath.Percentile(seconds, 50).Should().Be(50);
        DashboardMath.Percentile(seconds, 90).Should().Be(90);
        DashboardMath.Percentile(seconds, 100).Should().Be(100);
        DashboardMath.Percentile([42], 90).Should().Be(42);
        DashboardMath.Percentile([], 50).Should().BeNull();
        DashboardMath.Percentile([5, 1, 3], 50).Should().Be(3, "the middle of an odd count");
    }

    [Fact]
    public void A_percentile_outside_0_to_100_is_refused()
    {
        var act = () => DashboardMath.Percentile([1], 0);
        act.Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => DashboardMath.Percentile([1], 101))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Response_time_figures_give_count_p50_p90_and_average()
    {
        var figures = DashboardMath.ResponseTimes([12, 3, 45, 6]);
        figures.Should().Be(new ResponseTimeFigures(4, 6, 45, 16.5));
        DashboardMath.ResponseTimes([]).Should().Be(new ResponseTimeFigures(0, null, null, null));
    }

    [Fact]
    public void Resolution_rate_is_resolved_over_created_and_undefined_on_an_empty_day()
    {
        DashboardMath.ResolutionRate(8, 2).Should().Be(0.25);
        DashboardMath.ResolutionRate(3, 1).Should().Be(0.3333);
        DashboardMath.ResolutionRate(0, 0).Should().BeNull();
    }

    [Theory]
    [InlineData(TicketStatus.Resolved, true)]
    [InlineData(TicketStatus.FeedbackReceived, true)]
    [InlineData(TicketStatus.Archived, true)]
    [InlineData(TicketStatus.Assigned, false)]
    [InlineData(TicketStatus.WaitingOnCustomer, false)]
    [InlineData(TicketStatus.New, false)]
    public void Resolved_feedback_and_archived_count_as_resolved(TicketStatus status, bool resolved) =>
        DashboardMath.CountsAsResolved(status).Should().Be(resolved);

    [Fact]
    public void Today_in_Shanghai_starts_at_16_00_UTC_of_the_day_before()
    {
        // 2026-11-23 07:30 in Shanghai is 2026-11-22 23:30 UTC.
        var day = DayWindow.Containing(new DateTimeOffset(2026, 11, 22, 23, 30, 0, TimeSpan.Zero), Shanghai);
        day.Date.Should().Be(new DateOnly(2026, 11, 23));
        day.StartUtc.Should().Be(new DateTime(2026, 11, 22, 16, 0, 0, DateTimeKind.Utc));
        day.EndUtc.Should().Be(new DateTime(2026, 11, 23, 16, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void A_second_before_midnight_in_Shanghai_is_still_the_same_day()
    {
        var day = DayWindow.Containing(new DateTimeOffset(2026, 11, 23, 15, 59, 59, TimeSpan.Zero), Shanghai);
        day.Date.Should().Be(new DateOnly(2026, 11, 23));
        DayWindow.Containing(new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero), Shanghai).Date.Should().Be(new DateOnly(2026, 11, 24));
    }

    [Fact]
    public void Sla_risk_passed_deadline_is_breached_warning_or_due_within_15_minutes_is_at_risk()
    {
        var now = new DateTime(2026, 11, 23, 2, 0, 0, DateTimeKind.Utc);
        SlaRiskRule.Classify(now, null, now.AddSeconds(-1)).Should().Be(SlaRisk.Breached);
        SlaRiskRule.Classify(now, null, now.AddHours(2), now.AddSeconds(-1)).Should().Be(SlaRisk.Breached, "any running deadline counts");
        SlaRiskRule.Classify(now, now.AddMinutes(-1), now.AddHours(2)).Should().Be(SlaRisk.AtRisk, "the warning time was reached");
        SlaRiskRule.Classify(now, null, now.AddMinutes(15)).Should().Be(SlaRisk.AtRisk, "due within the window");
        SlaRiskRule.Classify(now, null, now.AddMinutes(15).AddSeconds(1)).Should().Be(SlaRisk.None);
        SlaRiskRule.Classify(now, null, now).Should().Be(SlaRisk.AtRisk, "a deadline exactly now is not passed yet");
        SlaRiskRule.Classify(now, null).Should().Be(SlaRisk.None, "no running clock");
    }
}
