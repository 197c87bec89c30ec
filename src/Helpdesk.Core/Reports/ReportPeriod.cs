namespace Helpdesk.Core.Reports;

/// <summary>
/// The days a report covers, inclusive, as calendar days of one time zone (Asia/Shanghai by
/// default): a supervisor in Shanghai counts a ticket opened at 23:30 local time on that day,
/// although it is the previous day 15:30 in UTC.
/// </summary>
public sealed record ReportPeriod
{
    public const int MaxDays = 366;
    public const int DefaultDays = 7;

    private ReportPeriod(DateOnly from, DateOnly to, TimeZoneInfo zone) => (From, To, Zone) = (from, to, zone);

    public DateOnly From { get; }
    public DateOnly To { get; }
    public TimeZoneInfo Zone { get; }

    public int DayCount => To.DayNumber - From.DayNumber + 1;

    /// <summary>The first instant of <see cref="From"/> in the zone, as UTC.</summary>
    public DateTime StartUtc => StartOf(From);

    /// <summary>The first instant after <see cref="To"/> in the zone, as UTC (exclusive).</summary>
    public DateTime EndUtc => StartOf(To.AddDays(1));

    public IEnumerable<DateOnly> Days
    {
        get
        {
            for (var d = From; d <= To; d = d.AddDays(1)) yield return d;
        }
    }

    /// <summary>The zone's calendar day of a UTC instant.</summary>
    public DateOnly DayOf(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone));

    public bool Contains(DateTime utc) => utc >= StartUtc && utc < EndUtc;

    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>
    /// The period asked for, or the reasons it cannot be (field name → message). Without dates it is
    /// the last <see cref="DefaultDays"/> days up to today in the zone; with one date only, the other
    /// is filled in the same way.
    /// </summary>
    public static ReportPeriod? Resolve(DateOnly? from, DateOnly? to, DateTimeOffset now, TimeZoneInfo zone, IDictionary<string, string> errors)
    {
        var end = to ?? (from is { } f ? Min(f.AddDays(DefaultDays - 1), Today(now, zone)) : Today(now, zone));
        var start = from ?? end.AddDays(-(DefaultDays - 1));
        if (end < start)
        {
            errors["to"] = $"'to' ({end:yyyy-MM-dd}) is before 'from' ({start:yyyy-MM-dd}).";
            return null;
        }
        if (end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            errors["to"] = $"A report covers at most {MaxDays} days; {start:yyyy-MM-dd} to {end:yyyy-MM-dd} is {end.DayNumber - start.DayNumber + 1}.";
            return null;
        }
        return new ReportPeriod(start, end, zone);
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private DateTime StartOf(DateOnly day) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue), DateTimeKind.Unspecified), Zone);
}
