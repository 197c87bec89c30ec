using Helpdesk.Core.Sla;

namespace Helpdesk.Core.Tests.Sla;

/// <summary>
/// Property check: the interval-jumping math equals a slow reference that steps minute by minute
/// and asks of each minute "does the wall clock show a working time on a working day?". The test
/// calendars put no interval boundary inside a skipped or repeated DST hour, where the two
/// readings differ by design (see <see cref="BusinessCalendar"/>).
/// </summary>
public sealed class BusinessCalendarReferenceTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static TheoryData<string> Calendars => new() { "shanghai-split", "new-york", "berlin-nights", "shanghai-1980s" };

    [Theory]
    [MemberData(nameof(Calendars))]
    public void Adding_business_minutes_matches_minute_stepping(string name)
    {
        var (calendar, instants) = Case(name, seed: 1);
        var random = new Random(2);
        foreach (var start in instants)
        {
            var minutes = random.Next(0, 241);
            var expected = SteppedAdd(calendar, start, minutes);
            calendar.AddBusinessTime(start, TimeSpan.FromMinutes(minutes))
                .Should().Be(expected, $"{calendar.Key}: {start:o} + {minutes} min");
        }
    }

    [Theory]
    [MemberData(nameof(Calendars))]
    public void Business_time_between_matches_minute_stepping(string name)
    {
        var (calendar, instants) = Case(name, seed: 3);
        var random = new Random(4);
        foreach (var from in instants)
        {
            var to = from.AddMinutes(random.Next(0, 1441));
            calendar.BusinessTimeBetween(from, to)
                .Should().Be(SteppedBetween(calendar, from, to), $"{calendar.Key}: {from:o} → {to:o}");
        }
    }

    [Theory]
    [MemberData(nameof(Calendars))]
    public void Working_time_and_next_opening_match_the_wall_clock(string name)
    {
        var (calendar, instants) = Case(name, seed: 5);
        foreach (var at in instants)
        {
            calendar.IsWorkingTime(at).Should().Be(WallClockWorking(calendar, at.UtcDateTime), $"{calendar.Key}: {at:o}");
            var next = at.UtcDateTime;
            while (!WallClockWorking(calendar, next)) next += Minute;
            calendar.NextWorkingTime(at).UtcDateTime.Should().Be(next, $"{calendar.Key}: {at:o}");
        }
    }

    [Theory]
    [MemberData(nameof(Calendars))]
    public void Spans_of_weeks_match_minute_stepping(string name)
    {
        // Long enough for the math to jump whole weeks, including weeks with a DST change or a holiday.
        var (calendar, instants) = Case(name, seed: 7);
        var random = new Random(8);
        foreach (var from in instants.Take(40))
        {
            var to = from.AddMinutes(random.Next(7 * 1440, 22 * 1440));
            calendar.BusinessTimeBetween(from, to)
                .Should().Be(SteppedBetween(calendar, from, to), $"{calendar.Key}: {from:o} → {to:o}");
            var minutes = random.Next(40 * 60, 100 * 60);
            calendar.AddBusinessTime(from, TimeSpan.FromMinutes(minutes))
                .Should().Be(SteppedAdd(calendar, from, minutes), $"{calendar.Key}: {from:o} + {minutes} min");
        }
    }

    /// <summary>11,000 instants over four calendars, a third of the European and American ones near DST changes.</summary>
    private static (BusinessCalendar Calendar, IReadOnlyList<DateTimeOffset> Instants) Case(string name, int seed)
    {
        var random = new Random(seed);
        var yearStart = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset AnyMinuteOf2026() => yearStart.AddMinutes(random.Next(0, 365 * 1440));
        DateTimeOffset Near(DateTimeOffset change) => change.AddMinutes(random.Next(-3 * 1440, 3 * 1440));

        switch (name)
        {
            case "shanghai-split":
            {
                // The real 2026 holidays and make-up days, with a lunch break.
                var calendar = new BusinessCalendar(name, BusinessCalendar.FindZone("Asia/Shanghai"),
                    WeeklyHours.MondayToFriday("09:00-12:00", "13:30-18:00"),
                    [.. DefaultBusinessCalendar.YearlyHolidays, .. DefaultBusinessCalendar.Holidays2026],
                    DefaultBusinessCalendar.MakeUpDays2026);
                return (calendar, Enumerable.Range(0, 4000).Select(_ => AnyMinuteOf2026()).ToArray());
            }
            case "new-york":
            {
                var calendar = new BusinessCalendar(name, BusinessCalendar.FindZone("America/New_York"),
                    WeeklyHours.MondayToFriday("09:00-17:00").With(DayOfWeek.Saturday, "10:00-14:00").With(DayOfWeek.Sunday, "00:00-24:00"),
                    [Holiday.On(new(2026, 7, 3), "Independence Day (observed)"), Holiday.EveryYear(12, 25, "Christmas")]);
                DateTimeOffset[] changes = [new(2026, 3, 8, 7, 0, 0, TimeSpan.Zero), new(2026, 11, 1, 6, 0, 0, TimeSpan.Zero)];
                return (calendar, Enumerable.Range(0, 3000).Select(i => i % 3 == 0 ? Near(changes[i % 2]) : AnyMinuteOf2026()).ToArray());
            }
            case "berlin-nights":
            {
                var calendar = new BusinessCalendar(name, BusinessCalendar.FindZone("Europe/Berlin"),
                    WeeklyHours.Of(Enum.GetValues<DayOfWeek>(), "00:00-06:00", "22:00-24:00").With(DayOfWeek.Wednesday, "09:00-17:00"),
                    [Holiday.Range(new(2026, 12, 24), new(2026, 12, 26), "Weihnachten")],
                    [new ExtraWorkingDay(new(2026, 12, 24), "Heiligabend shift", DayOfWeek.Wednesday)]);
                DateTimeOffset[] changes = [new(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), new(2026, 10, 25, 1, 0, 0, TimeSpan.Zero)];
                return (calendar, Enumerable.Range(0, 3000).Select(i => i % 3 == 0 ? Near(changes[i % 2]) : AnyMinuteOf2026()).ToArray());
            }
            case "shanghai-1980s":
            {
                // China kept daylight saving 1986–1991; the math must not assume today's fixed offset then.
                var calendar = new BusinessCalendar(name, BusinessCalendar.FindZone("Asia/Shanghai"),
                    WeeklyHours.MondayToFriday("09:00-17:00").With(DayOfWeek.Sunday, "00:00-24:00"));
                var from = new DateTimeOffset(1985, 6, 1, 0, 0, 0, TimeSpan.Zero);
                return (calendar, Enumerable.Range(0, 1000).Select(_ => from.AddMinutes(random.Next(0, 8 * 365 * 1440))).ToArray());
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }
    }

    private static bool WallClockWorking(BusinessCalendar calendar, DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, calendar.Zone);
        var time = local.TimeOfDay;
        foreach (var interval in calendar.HoursOn(DateOnly.FromDateTime(local)))
            if (interval.From <= time && time < interval.To)
                return true;
        return false;
    }

    private static DateTimeOffset SteppedAdd(BusinessCalendar calendar, DateTimeOffset start, int minutes)
    {
        var at = start.UtcDateTime;
        for (var counted = 0; counted < minutes; at += Minute)
            if (WallClockWorking(calendar, at))
                counted++;
        return new DateTimeOffset(at, TimeSpan.Zero);
    }

    private static TimeSpan SteppedBetween(BusinessCalendar calendar, DateTimeOffset from, DateTimeOffset to)
    {
        var minutes = 0;
        for (var at = from.UtcDateTime; at < to.UtcDateTime; at += Minute)
            if (WallClockWorking(calendar, at))
                minutes++;
        return TimeSpan.FromMinutes(minutes);
    }
}
