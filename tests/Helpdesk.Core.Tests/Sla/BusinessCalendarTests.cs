using Helpdesk.Core.Sla;

namespace Helpdesk.Core.Tests.Sla;

/// <summary>Worked examples, read as "opened Friday 16:30, due Monday 09:30".</summary>
public sealed class BusinessCalendarTests
{
    private static readonly TimeZoneInfo Shanghai = BusinessCalendar.FindZone("Asia/Shanghai");
    private static readonly TimeZoneInfo NewYork = BusinessCalendar.FindZone("America/New_York");
    private static readonly TimeZoneInfo Berlin = BusinessCalendar.FindZone("Europe/Berlin");

    /// <summary>Mon–Fri 09:00–17:00 in Shanghai, the example calendar.</summary>
    private static readonly BusinessCalendar NineToFive =
        new("office", Shanghai, WeeklyHours.MondayToFriday("09:00-17:00"));

    /// <summary>2026-11-20 is a Friday.</summary>
    private static DateTimeOffset Sh(int month, int day, int hour, int minute = 0, int year = 2026) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static DateTimeOffset In(TimeZoneInfo zone, int year, int month, int day, int hour, int minute = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, 0);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    [Fact]
    public void Sixty_minutes_opened_Friday_1630_are_due_Monday_0930()
    {
        NineToFive.AddBusinessTime(Sh(11, 20, 16, 30), TimeSpan.FromMinutes(60)).Should().Be(Sh(11, 23, 9, 30));
    }

    [Fact]
    public void The_due_instant_is_given_in_the_calendars_zone()
    {
        NineToFive.AddBusinessTime(Sh(11, 20, 16, 30), TimeSpan.FromMinutes(60)).Offset.Should().Be(TimeSpan.FromHours(8));
    }

    [Fact]
    public void Business_time_from_Friday_1630_to_Monday_0930_is_one_hour()
    {
        NineToFive.BusinessTimeBetween(Sh(11, 20, 16, 30), Sh(11, 23, 9, 30)).Should().Be(TimeSpan.FromHours(1));
        NineToFive.BusinessTimeBetween(Sh(11, 23, 9, 30), Sh(11, 20, 16, 30)).Should().Be(TimeSpan.FromHours(-1));
    }

    [Fact]
    public void A_target_within_the_day_stays_in_the_day()
    {
        NineToFive.AddBusinessTime(Sh(11, 23, 10, 0), TimeSpan.FromMinutes(90)).Should().Be(Sh(11, 23, 11, 30));
    }

    [Fact]
    public void Started_before_opening_the_clock_starts_at_opening()
    {
        NineToFive.AddBusinessTime(Sh(11, 23, 6, 15), TimeSpan.FromMinutes(30)).Should().Be(Sh(11, 23, 9, 30));
    }

    [Fact]
    public void Started_on_a_Saturday_night_the_clock_starts_Monday_morning()
    {
        NineToFive.AddBusinessTime(Sh(11, 21, 23, 45), TimeSpan.FromHours(2)).Should().Be(Sh(11, 23, 11, 0));
    }

    [Fact]
    public void Started_exactly_at_closing_time_the_clock_starts_at_the_next_opening()
    {
        NineToFive.AddBusinessTime(Sh(11, 23, 17, 0), TimeSpan.FromMinutes(60)).Should().Be(Sh(11, 24, 10, 0));
        NineToFive.IsWorkingTime(Sh(11, 23, 17, 0)).Should().BeFalse();
        NineToFive.IsWorkingTime(Sh(11, 23, 16, 59)).Should().BeTrue();
    }

    [Fact]
    public void A_target_that_ends_at_closing_time_is_due_at_closing_not_next_morning()
    {
        NineToFive.AddBusinessTime(Sh(11, 20, 16, 30), TimeSpan.FromMinutes(30)).Should().Be(Sh(11, 20, 17, 0));
    }

    [Fact]
    public void A_target_of_zero_is_due_at_once_even_outside_hours()
    {
        NineToFive.AddBusinessTime(Sh(11, 21, 12, 0), TimeSpan.Zero).Should().Be(Sh(11, 21, 12, 0));
    }

    [Fact]
    public void A_negative_target_is_refused()
    {
        var act = () => NineToFive.AddBusinessTime(Sh(11, 21, 12, 0), TimeSpan.FromMinutes(-1));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*cannot be negative*");
    }

    [Fact]
    public void Several_intervals_a_day_skip_the_lunch_break()
    {
        var split = new BusinessCalendar("split", Shanghai, WeeklyHours.MondayToFriday("09:00-12:00", "13:30-18:00"));
        split.AddBusinessTime(Sh(11, 23, 11, 0), TimeSpan.FromHours(2)).Should().Be(Sh(11, 23, 14, 30));
        split.BusinessTimeBetween(Sh(11, 23, 0, 0), Sh(11, 24, 0, 0)).Should().Be(TimeSpan.FromHours(7.5));
        split.IsWorkingTime(Sh(11, 23, 12, 45)).Should().BeFalse();
        split.NextWorkingTime(Sh(11, 23, 12, 45)).Should().Be(Sh(11, 23, 13, 30));
    }

    [Fact]
    public void A_target_spanning_the_National_Day_week_resumes_after_it()
    {
        var calendar = new BusinessCalendar("cn", Shanghai, WeeklyHours.MondayToFriday("09:00-17:00"),
            [Holiday.Range(new(2026, 10, 1), new(2026, 10, 7), "国庆节")],
            [new ExtraWorkingDay(new(2026, 10, 10), "国庆调休")]);

        // Wednesday 30 September 16:00 + 2 h: one hour that day, the holiday week, one hour on Thursday 8 October.
        calendar.AddBusinessTime(Sh(9, 30, 16, 0), TimeSpan.FromHours(2)).Should().Be(Sh(10, 8, 10, 0));
        calendar.BusinessTimeBetween(Sh(9, 30, 9, 0), Sh(10, 9, 0, 0)).Should().Be(TimeSpan.FromHours(16));
    }

    [Fact]
    public void A_make_up_Saturday_is_a_working_day()
    {
        var calendar = new BusinessCalendar("cn", Shanghai, WeeklyHours.MondayToFriday("09:00-17:00"),
            [Holiday.Range(new(2026, 10, 1), new(2026, 10, 7), "国庆节")],
            [new ExtraWorkingDay(new(2026, 10, 10), "国庆调休")]);

        // Friday 9 October 16:00 + 2 h: the make-up Saturday 10 October works 09:00–17:00.
        calendar.AddBusinessTime(Sh(10, 9, 16, 0), TimeSpan.FromHours(2)).Should().Be(Sh(10, 10, 10, 0));
        calendar.IsWorkingTime(Sh(10, 10, 9, 0)).Should().BeTrue();
        calendar.IsWorkingTime(Sh(10, 11, 9, 0)).Should().BeFalse();
    }

    [Fact]
    public void A_make_up_day_wins_over_a_holiday_on_the_same_date()
    {
        var calendar = new BusinessCalendar("cn", Shanghai, WeeklyHours.MondayToFriday("09:00-17:00"),
            [Holiday.Range(new(2026, 10, 1), new(2026, 10, 7), "国庆节")],
            [new ExtraWorkingDay(new(2026, 10, 7), "changed our mind")]);
        calendar.HoursOn(new(2026, 10, 7)).Should().Equal(WorkingInterval.Parse("09:00-17:00"));
        calendar.HoursOn(new(2026, 10, 6)).Should().BeEmpty();
    }

    [Fact]
    public void A_yearly_holiday_repeats_every_year()
    {
        var calendar = new BusinessCalendar("cn", Shanghai, WeeklyHours.MondayToFriday("09:00-17:00"),
            [Holiday.EveryYear(1, 1, "元旦")]);
        // 2028-12-29 is a Friday and 2029-01-01 a Monday: the hour left goes to Tuesday.
        calendar.IsHoliday(new(2029, 1, 1)).Should().BeTrue();
        calendar.AddBusinessTime(Sh(12, 29, 16, 30, 2028), TimeSpan.FromHours(1)).Should().Be(Sh(1, 2, 9, 30, 2029));
    }

    [Fact]
    public void A_yearly_holiday_may_run_over_new_year()
    {
        var calendar = new BusinessCalendar("x", Shanghai, WeeklyHours.Of(Enum.GetValues<DayOfWeek>(), "09:00-17:00"),
            [Holiday.EveryYear(12, 31, "year end", days: 2)]);
        calendar.IsHoliday(new(2030, 12, 31)).Should().BeTrue();
        calendar.IsHoliday(new(2031, 1, 1)).Should().BeTrue();
        calendar.IsHoliday(new(2031, 1, 2)).Should().BeFalse();
    }

    [Fact]
    public void The_24_7_calendar_is_plain_elapsed_time()
    {
        var always = BusinessCalendar.TwentyFourSeven;
        always.AddBusinessTime(Sh(11, 21, 23, 59), TimeSpan.FromSeconds(30)).Should().Be(Sh(11, 21, 23, 59).AddSeconds(30));
        always.BusinessTimeBetween(Sh(11, 20, 0, 0), Sh(11, 23, 0, 0)).Should().Be(TimeSpan.FromDays(3));
        always.IsWorkingTime(Sh(1, 1, 3, 0)).Should().BeTrue();
    }

    [Fact]
    public void The_24_7_calendar_counts_real_time_across_the_skipped_hour()
    {
        // Berlin springs forward on 29 March 2026 at 02:00 → 03:00: six real hours after Saturday 22:00 is 05:00.
        var saturdayNight = In(Berlin, 2026, 3, 28, 22);
        BusinessCalendar.TwentyFourSeven.AddBusinessTime(saturdayNight, TimeSpan.FromHours(6))
            .Should().Be(In(Berlin, 2026, 3, 29, 5));
    }

    [Fact]
    public void A_nine_to_five_day_is_eight_hours_on_both_DST_change_days()
    {
        var everyDay = new BusinessCalendar("berlin", Berlin, WeeklyHours.Of(Enum.GetValues<DayOfWeek>(), "09:00-17:00"));
        everyDay.BusinessTimeBetween(In(Berlin, 2026, 3, 29, 0), In(Berlin, 2026, 3, 30, 0)).Should().Be(TimeSpan.FromHours(8));
        everyDay.BusinessTimeBetween(In(Berlin, 2026, 10, 25, 0), In(Berlin, 2026, 10, 26, 0)).Should().Be(TimeSpan.FromHours(8));
        // Saturday 16:00 + 2 h across the spring-forward night: due Sunday 10:00 local.
        everyDay.AddBusinessTime(In(Berlin, 2026, 3, 28, 16), TimeSpan.FromHours(2)).Should().Be(In(Berlin, 2026, 3, 29, 10));
    }

    [Fact]
    public void An_all_day_interval_counts_the_hours_that_really_pass_on_DST_change_days()
    {
        var allDay = new BusinessCalendar("ny", NewYork, WeeklyHours.AllDay, [Holiday.On(new(2026, 12, 25), "Christmas")]);
        // New York: 8 March 2026 has 23 hours, 1 November 2026 has 25.
        allDay.BusinessTimeBetween(In(NewYork, 2026, 3, 8, 0), In(NewYork, 2026, 3, 9, 0)).Should().Be(TimeSpan.FromHours(23));
        allDay.BusinessTimeBetween(In(NewYork, 2026, 11, 1, 0), In(NewYork, 2026, 11, 2, 0)).Should().Be(TimeSpan.FromHours(25));
        allDay.AddBusinessTime(In(NewYork, 2026, 3, 8, 0), TimeSpan.FromHours(4)).Should().Be(In(NewYork, 2026, 3, 8, 5));
    }

    [Fact]
    public void Weeks_with_a_DST_change_count_the_real_hours()
    {
        var allDay = new BusinessCalendar("ny", NewYork, WeeklyHours.AllDay, [Holiday.On(new(2026, 12, 25), "Christmas")]);
        // Two weeks from Sunday 1 March: 336 wall-clock hours, one of them skipped on 8 March.
        allDay.BusinessTimeBetween(In(NewYork, 2026, 3, 1, 0), In(NewYork, 2026, 3, 15, 0)).Should().Be(TimeSpan.FromHours(335));
        // 400 real hours after 1 March 00:00 EST (05:00 UTC) is 17 March 21:00 UTC, 17:00 EDT.
        allDay.AddBusinessTime(In(NewYork, 2026, 3, 1, 0), TimeSpan.FromHours(400)).Should().Be(In(NewYork, 2026, 3, 17, 17));
        allDay.BusinessTimeBetween(In(NewYork, 2026, 10, 25, 0), In(NewYork, 2026, 11, 8, 0)).Should().Be(TimeSpan.FromHours(337));
    }

    [Fact]
    public void A_boundary_in_the_skipped_hour_moves_to_the_jump_and_one_in_the_repeated_hour_means_its_first_occurrence()
    {
        var sundays = new BusinessCalendar("ny", NewYork, WeeklyHours.Of([DayOfWeek.Sunday], "02:30-04:00"));
        // 8 March: 02:30 does not exist; the interval runs from the jump (03:00 EDT) to 04:00 EDT.
        sundays.BusinessTimeBetween(In(NewYork, 2026, 3, 8, 0), In(NewYork, 2026, 3, 8, 6)).Should().Be(TimeSpan.FromHours(1));
        sundays.NextWorkingTime(In(NewYork, 2026, 3, 8, 1)).Should().Be(In(NewYork, 2026, 3, 8, 3));

        var overlap = new BusinessCalendar("ny", NewYork, WeeklyHours.Of([DayOfWeek.Sunday], "01:30-03:00"));
        // 1 November: from the first 01:30 (EDT) to 03:00 (EST) is two and a half real hours.
        overlap.BusinessTimeBetween(In(NewYork, 2026, 11, 1, 0), In(NewYork, 2026, 11, 1, 6)).Should().Be(TimeSpan.FromHours(2.5));
    }

    [Fact]
    public void A_night_shift_runs_across_midnight()
    {
        var nights = new BusinessCalendar("nights", Shanghai,
            WeeklyHours.Of(Enum.GetValues<DayOfWeek>(), "00:00-06:00", "22:00-24:00"));
        nights.AddBusinessTime(Sh(11, 23, 23, 0), TimeSpan.FromHours(2)).Should().Be(Sh(11, 24, 1, 0));
        nights.BusinessTimeBetween(Sh(11, 23, 21, 0), Sh(11, 24, 7, 0)).Should().Be(TimeSpan.FromHours(8));
    }

    [Fact]
    public void Next_working_time_is_the_instant_itself_inside_hours_and_the_next_opening_outside()
    {
        NineToFive.NextWorkingTime(Sh(11, 23, 10, 0)).Should().Be(Sh(11, 23, 10, 0));
        NineToFive.NextWorkingTime(Sh(11, 20, 17, 0)).Should().Be(Sh(11, 23, 9, 0));
        NineToFive.NextWorkingTime(Sh(11, 22, 8, 0)).Should().Be(Sh(11, 23, 9, 0));
    }

    [Fact]
    public void Ten_thousand_business_hours_land_where_the_business_time_between_says()
    {
        var calendar = DefaultBusinessCalendar.Create();
        var start = Sh(3, 3, 14, 17);
        var due = calendar.AddBusinessTime(start, TimeSpan.FromHours(10_000));
        calendar.BusinessTimeBetween(start, due).Should().Be(TimeSpan.FromHours(10_000));
        calendar.IsWorkingTime(due.AddTicks(-1)).Should().BeTrue();
        // 10,000 h at 9 h a day is about 1,111 working days: more than four calendar years.
        due.Year.Should().Be(2030);
    }

    [Fact]
    public void Adding_in_two_steps_equals_adding_at_once()
    {
        var calendars = new[]
        {
            DefaultBusinessCalendar.Create(),
            new BusinessCalendar("ny", NewYork, WeeklyHours.MondayToFriday("09:00-17:00").With(DayOfWeek.Saturday, "10:00-14:00")),
        };
        var random = new Random(6);
        foreach (var calendar in calendars)
            for (var i = 0; i < 500; i++)
            {
                var start = Sh(1, 1, 0).AddMinutes(random.Next(0, 3 * 365 * 1440));
                var first = TimeSpan.FromMinutes(random.Next(1, 20_000));
                var second = TimeSpan.FromMinutes(random.Next(1, 20_000));
                var once = calendar.AddBusinessTime(start, first + second);
                calendar.AddBusinessTime(calendar.AddBusinessTime(start, first), second).Should().Be(once, $"start {start:o} + {first} + {second}");
                calendar.BusinessTimeBetween(start, once).Should().Be(first + second);
            }
    }

    [Fact]
    public void Bad_settings_get_clear_errors()
    {
        FluentActions.Invoking(() => WorkingInterval.Parse("17:00-09:00")).Should().Throw<ArgumentException>().WithMessage("*forward*");
        FluentActions.Invoking(() => WorkingInterval.Parse("9am-5pm")).Should().Throw<FormatException>().WithMessage("*HH:mm-HH:mm*");
        FluentActions.Invoking(() => WeeklyHours.MondayToFriday("09:00-12:00", "11:00-13:00")).Should().Throw<ArgumentException>().WithMessage("*overlap*");
        FluentActions.Invoking(() => BusinessCalendar.FindZone("Mars/Olympus")).Should().Throw<ArgumentException>().WithMessage("*Mars/Olympus*IANA*");
        FluentActions.Invoking(() => new BusinessCalendar("empty", Shanghai, WeeklyHours.MondayToFriday())).Should().Throw<ArgumentException>().WithMessage("*no working hours*");
        FluentActions.Invoking(() => Holiday.Range(new(2026, 10, 7), new(2026, 10, 1), "x")).Should().Throw<ArgumentException>().WithMessage("*before it starts*");
    }

    [Fact]
    public void The_time_zone_defaults_to_Shanghai()
    {
        BusinessCalendar.FindZone(null).BaseUtcOffset.Should().Be(TimeSpan.FromHours(8));
        WorkingInterval.Parse("13:30–24:00").Should().Be(new WorkingInterval(new TimeSpan(13, 30, 0), TimeSpan.FromHours(24)));
    }
}
