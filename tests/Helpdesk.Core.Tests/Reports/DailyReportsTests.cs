using Helpdesk.Core.Reports;
using Helpdesk.Core.Sla;
using Helpdesk.Core.Surveys;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Tests.Reports;

/// <summary>The per-day rules of the supervisor reports, on Shanghai calendar days (UTC+8).</summary>
public sealed class DailyReportsTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero); // 09:00 in Shanghai

    private static ReportPeriod Period(string from, string to)
    {
        var errors = new Dictionary<string, string>();
        var period = ReportPeriod.Resolve(DateOnly.Parse(from), DateOnly.Parse(to), Now, Shanghai, errors);
        errors.Should().BeEmpty();
        return period!;
    }

    private static DateTime Utc(string text) => DateTime.SpecifyKind(DateTime.Parse(text), DateTimeKind.Utc);

    [Fact]
    public void Default_period_is_the_last_seven_Shanghai_days_up_to_today()
    {
        // 2026-11-22 17:00 UTC is already 2026-11-23 01:00 in Shanghai.
        var errors = new Dictionary<string, string>();
        var period = ReportPeriod.Resolve(null, null, new DateTimeOffset(2026, 11, 22, 17, 0, 0, TimeSpan.Zero), Shanghai, errors)!;
        (period.From, period.To, period.DayCount).Should().Be((new DateOnly(2026, 11, 17), new DateOnly(2026, 11, 23), 7));
        period.StartUtc.Should().Be(Utc("2026-11-16T16:00:00"), "Shanghai midnight is 16:00 UTC the day before");
        period.EndUtc.Should().Be(Utc("2026-11-23T16:00:00"));
    }

    [Fact]
    public void A_period_ending_before_it_starts_or_longer_than_366_days_is_refused_with_the_reason()
    {
        var errors = new Dictionary<string, string>();
        ReportPeriod.Resolve(new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 1), Now, Shanghai, errors).Should().BeNull();
        errors["to"].Should().Contain("before");

        errors.Clear();
        ReportPeriod.Resolve(new DateOnly(2025, 1, 1), new DateOnly(2026, 1, 2), Now, Shanghai, errors).Should().BeNull();
        errors["to"].Should().Be("A report covers at most 366 days; 2025-01-01 to 2026-01-02 is 367.");
        ReportPeriod.Resolve(new DateOnly(2025, 1, 1), new DateOnly(2026, 1, 1), Now, Shanghai, new Dictionary<string, string>())!
            .DayCount.Should().Be(366, "366 days inclusive is the most");
    }

    [Fact]
    public void Volume_counts_tickets_on_their_Shanghai_day_per_channel_with_a_total_and_zero_days()
    {
        var period = Period("2026-11-20", "2026-11-22");
        var table = DailyReports.Volume(period,
        [
            (Utc("2026-11-19T15:59:59"), TicketChannel.Chat),   // 23:59:59 on the 19th: outside
            (Utc("2026-11-19T16:00:00"), TicketChannel.Chat),   // 00:00 on the 20th
            (Utc("2026-11-20T15:30:00"), TicketChannel.Email),  // 23:30 on the 20th
            (Utc("2026-11-20T16:30:00"), TicketChannel.Email),  // 00:30 on the 21st
            (Utc("2026-11-20T17:00:00"), TicketChannel.Phone),
            (Utc("2026-11-22T16:00:00"), TicketChannel.Chat),   // the 23rd: outside
        ]);
        table.Columns.Should().Equal("Chat", "Email", "WebForm", "Api", "Phone", "total");
        table.Rows.Select(r => r.Date.ToString("yyyy-MM-dd")).Should().Equal("2026-11-20", "2026-11-21", "2026-11-22");
        table.Rows[0].Values.Should().Equal(1, 1, 0, 0, 0, 2);
        table.Rows[1].Values.Should().Equal(0, 1, 0, 0, 1, 2);
        table.Rows[2].Values.Should().Equal(0, 0, 0, 0, 0, 0);
    }

    [Fact]
    public void Durations_give_count_and_nearest_rank_p50_and_p90_in_seconds_and_null_on_empty_days()
    {
        var period = Period("2026-11-20", "2026-11-21");
        var day = Utc("2026-11-20T02:00:00");
        var facts = new[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 }.Select(s => new DurationFact(day, TimeSpan.FromSeconds(s))).ToList();
        facts.Add(new DurationFact(day.AddDays(5), TimeSpan.FromHours(9))); // outside
        var table = DailyReports.Durations(period, facts);
        table.Columns.Should().Equal("count", "p50Seconds", "p90Seconds");
        table.Rows[0].Values.Should().Equal(10, 50, 90);
        table.Rows[1].Values.Should().Equal(0, null, null);
    }

    [Theory]
    [InlineData(new long[] { 7 }, 7, 7)]
    [InlineData(new long[] { 10, 20 }, 10, 20)]
    [InlineData(new long[] { 10, 20, 30 }, 20, 30)]
    [InlineData(new long[] { 1, 2, 3, 4 }, 2, 4)]
    public void Nearest_rank_percentiles(long[] sorted, double p50, double p90)
    {
        DailyReports.Percentile(sorted, 0.5).Should().Be(p50);
        DailyReports.Percentile(sorted, 0.9).Should().Be(p90);
    }

    [Fact]
    public void Csat_per_day_uses_CsatMath_and_carries_the_95_percent_target()
    {
        var period = Period("2026-11-20", "2026-11-21");
        var at = Utc("2026-11-20T03:00:00");
        var table = DailyReports.Csat(period, [new SurveyFact(at, 5), new SurveyFact(at, 4), new SurveyFact(at, 2), new SurveyFact(at, null)]);
        table.Columns.Should().Equal("issued", "answered", "satisfied", "csat", "averageScore", "target");
        table.Rows[0].Values.Should().Equal(4, 3, 2, 0.6667, 3.67, 0.95);
        table.Rows[1].Values.Should().Equal(0, 0, 0, null, null, 0.95);
    }

    [Fact]
    public void Complaints_are_stacked_by_category()
    {
        var period = Period("2026-11-20", "2026-11-20");
        var at = Utc("2026-11-20T03:00:00");
        var table = DailyReports.Complaints(period, [(at, AfterSalesCategory.Refund), (at, AfterSalesCategory.Refund), (at, AfterSalesCategory.ServiceAttitude)]);
        table.Columns.Should().Equal("None", "ReturnExchange", "Repair", "Refund", "OrderException", "TechnicalSupport", "ServiceAttitude", "total");
        table.Rows.Single().Values.Should().Equal(0, 0, 0, 2, 0, 0, 1, 3);
    }

    [Fact]
    public void Sla_counts_met_and_breached_per_target_on_the_day_the_clock_stopped_with_compliance()
    {
        var period = Period("2026-11-20", "2026-11-21");
        var at = Utc("2026-11-20T03:00:00");
        var table = DailyReports.Sla(period,
        [
            new SlaFact(at, SlaTarget.FirstResponse, true), new SlaFact(at, SlaTarget.FirstResponse, false),
            new SlaFact(at, SlaTarget.Resolution, true), new SlaFact(at, SlaTarget.NextResponse, true),
        ]);
        table.Columns.Should().Equal("firstResponseMet", "firstResponseBreached", "nextResponseMet", "nextResponseBreached",
            "resolutionMet", "resolutionBreached", "compliance");
        table.Rows[0].Values.Should().Equal(1, 1, 1, 0, 1, 0, 0.75);
        table.Rows[1].Values.Should().Equal(0, 0, 0, 0, 0, 0, null);
    }
}
