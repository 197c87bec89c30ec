namespace Helpdesk.Core.Sla;

/// <summary>
/// The working week: for each weekday its working intervals (none, one, or several such as
/// 09:00–12:00 and 13:30–18:00), in wall-clock time.
/// </summary>
public sealed class WeeklyHours
{
    private readonly WorkingInterval[][] _days;

    public WeeklyHours(IReadOnlyDictionary<DayOfWeek, IReadOnlyList<WorkingInterval>> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        _days = new WorkingInterval[7][];
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            var intervals = days.TryGetValue(day, out var list) ? list.OrderBy(i => i.From).ToArray() : [];
            for (var i = 1; i < intervals.Length; i++)
                if (intervals[i].From < intervals[i - 1].To)
                    throw new ArgumentException($"Working hours on {day} overlap: {intervals[i - 1]} and {intervals[i]}.");
            _days[(int)day] = intervals;
        }
        WeeklyTotal = TimeSpan.FromTicks(_days.Sum(d => d.Sum(i => i.Length.Ticks)));
    }

    /// <summary>Every day, all day.</summary>
    public static WeeklyHours AllDay { get; } = Of(Enum.GetValues<DayOfWeek>(), "00:00-24:00");

    /// <summary>The same intervals on each of the given days ("09:00-12:00", "13:30-18:00").</summary>
    public static WeeklyHours Of(IEnumerable<DayOfWeek> days, params string[] intervals)
    {
        var parsed = intervals.Select(WorkingInterval.Parse).ToArray();
        return new WeeklyHours(days.Distinct().ToDictionary(d => d, _ => (IReadOnlyList<WorkingInterval>)parsed));
    }

    public static WeeklyHours MondayToFriday(params string[] intervals) =>
        Of([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], intervals);

    /// <summary>A copy with other hours on one day (no intervals: the day is off).</summary>
    public WeeklyHours With(DayOfWeek day, params string[] intervals)
    {
        var days = Enum.GetValues<DayOfWeek>().ToDictionary(d => d, d => (IReadOnlyList<WorkingInterval>)_days[(int)d]);
        days[day] = intervals.Select(WorkingInterval.Parse).ToArray();
        return new WeeklyHours(days);
    }

    public IReadOnlyList<WorkingInterval> On(DayOfWeek day) => _days[(int)day];

    /// <summary>Wall-clock working time of a whole week.</summary>
    public TimeSpan WeeklyTotal { get; }

    internal WorkingInterval[] IntervalsOn(DayOfWeek day) => _days[(int)day];
}
