namespace Helpdesk.Core.Sla;

/// <summary>
/// Days off. A one-off holiday is a date or a range of dates (国庆 2026-10-01..10-07); a yearly one
/// repeats on the same month and day every year (元旦 01-01). For a yearly holiday only the month
/// and day of <see cref="From"/> and <see cref="To"/> matter.
/// </summary>
public sealed record Holiday
{
    private const int ReferenceLeapYear = 2000;

    private Holiday(string name, DateOnly from, DateOnly to, bool yearly)
    {
        if (to < from)
            throw new ArgumentException($"Holiday '{name}' ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).");
        if (to.DayNumber - from.DayNumber > 366)
            throw new ArgumentException($"Holiday '{name}' is longer than a year; split it or close the calendar instead.");
        Name = name;
        From = from;
        To = to;
        Yearly = yearly;
    }

    public string Name { get; }
    public DateOnly From { get; }
    public DateOnly To { get; }
    public bool Yearly { get; }

    public static Holiday On(DateOnly date, string name) => new(name, date, date, false);

    public static Holiday Range(DateOnly from, DateOnly to, string name) => new(name, from, to, false);

    /// <summary>Every year from month/day for <paramref name="days"/> days (may run into the next year).</summary>
    public static Holiday EveryYear(int month, int day, string name, int days = 1)
    {
        if (days < 1) throw new ArgumentOutOfRangeException(nameof(days), days, $"Holiday '{name}' needs at least one day.");
        var from = new DateOnly(ReferenceLeapYear, month, day);
        return new(name, from, from.AddDays(days - 1), true);
    }

    internal IEnumerable<DateOnly> Dates()
    {
        for (var d = From; d <= To; d = d.AddDays(1)) yield return d;
    }
}

/// <summary>
/// 调休: a date that would be off (a weekend, or inside a holiday range) made a working day. It
/// works the hours of <paramref name="WorksLike"/> (in China a make-up Saturday or Sunday keeps
/// the ordinary weekday hours, so Monday by default). It wins over both the weekday and any holiday.
/// </summary>
public sealed record ExtraWorkingDay(DateOnly Date, string Name, DayOfWeek WorksLike = DayOfWeek.Monday);
