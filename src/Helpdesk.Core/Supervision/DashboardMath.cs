using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Supervision;

/// <summary>The supervisor's "today": midnight to midnight in the company's time zone, as UTC instants.</summary>
public readonly record struct DayWindow(DateOnly Date, DateTime StartUtc, DateTime EndUtc)
{
    public const string DefaultTimeZoneId = "Asia/Shanghai";

    public static DayWindow Containing(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        return new DayWindow(date, StartOf(date, zone), StartOf(date.AddDays(1), zone));
    }

    private static DateTime StartOf(DateOnly date, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone);
}

/// <summary>Where an open ticket stands against its SLA deadlines, for the dashboard's counters.</summary>
public enum SlaRisk { None = 0, AtRisk = 1, Breached = 2 }

/// <summary>
/// The dashboard's SLA rule: a ticket whose earliest running deadline has passed is breached; one
/// whose warning time was reached, or whose deadline comes within <see cref="DueSoon"/>, is at risk.
/// The SQL that counts them per team uses the same window.
/// </summary>
public static class SlaRiskRule
{
    public static readonly TimeSpan DueSoon = TimeSpan.FromMinutes(15);

    public static SlaRisk Classify(DateTime now, DateTime? warningAt, params DateTime?[] dueTimes)
    {
        var due = dueTimes.Where(d => d is not null).Select(d => d!.Value).DefaultIfEmpty(DateTime.MaxValue).Min();
        if (due < now) return SlaRisk.Breached;
        if (warningAt <= now || due <= now + DueSoon) return SlaRisk.AtRisk;
        return SlaRisk.None;
    }
}

/// <summary>p50/p90 of a set of durations in seconds (null when there are none).</summary>
public sealed record ResponseTimeFigures(int Count, double? P50Seconds, double? P90Seconds, double? AverageSeconds);

/// <summary>Aggregate arithmetic of the live dashboard (issue 10): pure, so tests give exact inputs.</summary>
public static class DashboardMath
{
    /// <summary>
    /// Nearest-rank percentile (the smallest value with at least p % of the values at or below it):
    /// a reported figure is always one that really happened.
    /// </summary>
    public static double? Percentile(IReadOnlyList<double> values, double percent)
    {
        if (percent is <= 0 or > 100) throw new ArgumentOutOfRangeException(nameof(percent), "A percentile is in (0, 100].");
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    public static ResponseTimeFigures ResponseTimes(IReadOnlyList<double> seconds) =>
        new(seconds.Count, Percentile(seconds, 50), Percentile(seconds, 90),
            seconds.Count == 0 ? null : Math.Round(seconds.Average(), 1));

    /// <summary>Share of the day's tickets (merged duplicates left out) that are resolved or further on; null on a day without tickets.</summary>
    public static double? ResolutionRate(int created, int resolved) =>
        created <= 0 ? null : Math.Round((double)resolved / created, 4);

    /// <summary>Resolved, feedback received or archived: the ticket was dealt with.</summary>
    public static bool CountsAsResolved(TicketStatus status) =>
        status is TicketStatus.Resolved or TicketStatus.FeedbackReceived or TicketStatus.Archived;
}
