using Helpdesk.Core.Sla;
using Helpdesk.Core.Surveys;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Reports;

/// <summary>One day of a report: a value per column (null where there is nothing to measure, such as a percentile of no tickets).</summary>
public sealed record ReportRow(DateOnly Date, IReadOnlyList<double?> Values);

/// <summary>A report as a table: one row per day of the period, every day present (zeros included), the same columns in each.</summary>
public sealed record ReportTable(IReadOnlyList<string> Columns, IReadOnlyList<ReportRow> Rows);

/// <summary>A duration measured for one ticket, counted on the day of <see cref="At"/>.</summary>
public readonly record struct DurationFact(DateTime At, TimeSpan Took);

/// <summary>One finished SLA clock, counted on the day it stopped.</summary>
public readonly record struct SlaFact(DateTime StoppedAt, SlaTarget Target, bool Met);

/// <summary>
/// The per-day rules of the supervisor reports (issue 10). Facts come in as UTC instants and are
/// counted on their calendar day in the period's zone; facts outside the period are ignored.
/// </summary>
public static class DailyReports
{
    public const string Total = "total";

    /// <summary>Tickets opened per day, per channel, and their total.</summary>
    public static ReportTable Volume(ReportPeriod period, IEnumerable<(DateTime CreatedAt, TicketChannel Channel)> tickets)
    {
        var channels = Enum.GetValues<TicketChannel>();
        return CountBy(period, tickets.Select(t => (t.CreatedAt, (int)t.Channel)), channels.Select(c => c.ToString()).ToList(), channels.Select(c => (int)c).ToList());
    }

    /// <summary>Complaints opened per day, per after-sales category (stacked in the chart), and their total.</summary>
    public static ReportTable Complaints(ReportPeriod period, IEnumerable<(DateTime CreatedAt, AfterSalesCategory Category)> complaints)
    {
        var categories = Enum.GetValues<AfterSalesCategory>();
        return CountBy(period, complaints.Select(c => (c.CreatedAt, (int)c.Category)), categories.Select(c => c.ToString()).ToList(), categories.Select(c => (int)c).ToList());
    }

    /// <summary>
    /// How long something took, per day: how many were measured and the 50th and 90th percentiles
    /// in whole seconds (nearest rank, so each figure is one ticket's real time).
    /// </summary>
    public static ReportTable Durations(ReportPeriod period, IEnumerable<DurationFact> facts)
    {
        var byDay = facts.Where(f => period.Contains(f.At)).GroupBy(f => period.DayOf(f.At))
            .ToDictionary(g => g.Key, g => g.Select(f => Math.Max(0, (long)Math.Round(f.Took.TotalSeconds))).Order().ToList());
        var rows = period.Days.Select(d =>
        {
            var seconds = byDay.GetValueOrDefault(d) ?? [];
            return new ReportRow(d, [seconds.Count, Percentile(seconds, 0.5), Percentile(seconds, 0.9)]);
        }).ToList();
        return new ReportTable(["count", "p50Seconds", "p90Seconds"], rows);
    }

    /// <summary>CSAT per day of issue (<see cref="CsatMath"/>), with the 95 % target on every row for the chart's target line.</summary>
    public static ReportTable Csat(ReportPeriod period, IEnumerable<SurveyFact> surveys)
    {
        var byDay = surveys.Where(s => period.Contains(s.IssuedAt)).GroupBy(s => period.DayOf(s.IssuedAt)).ToDictionary(g => g.Key, g => g.ToList());
        var rows = period.Days.Select(d =>
        {
            var f = CsatMath.Compute(byDay.GetValueOrDefault(d) ?? []);
            return new ReportRow(d, [f.Issued, f.Answered, f.Satisfied, f.Csat, f.AverageScore, CsatMath.Target]);
        }).ToList();
        return new ReportTable(["issued", "answered", "satisfied", "csat", "averageScore", "target"], rows);
    }

    /// <summary>
    /// Finished SLA clocks per day: met and breached per target, and the day's compliance (share met
    /// over all targets; null on a day where no clock stopped).
    /// </summary>
    public static ReportTable Sla(ReportPeriod period, IEnumerable<SlaFact> outcomes)
    {
        var targets = Enum.GetValues<SlaTarget>();
        var columns = targets.SelectMany(t => new[] { Camel(t.ToString()) + "Met", Camel(t.ToString()) + "Breached" }).Append("compliance").ToList();
        var byDay = outcomes.Where(o => period.Contains(o.StoppedAt)).GroupBy(o => period.DayOf(o.StoppedAt)).ToDictionary(g => g.Key, g => g.ToList());
        var rows = period.Days.Select(d =>
        {
            var day = byDay.GetValueOrDefault(d) ?? [];
            var values = new List<double?>(columns.Count);
            foreach (var t in targets)
            {
                values.Add(day.Count(o => o.Target == t && o.Met));
                values.Add(day.Count(o => o.Target == t && !o.Met));
            }
            values.Add(day.Count == 0 ? null : Math.Round((double)day.Count(o => o.Met) / day.Count, 4));
            return new ReportRow(d, values);
        }).ToList();
        return new ReportTable(columns, rows);
    }

    /// <summary>The nearest-rank percentile of sorted values (the smallest value with at least p of them at or below it); null for none.</summary>
    public static double? Percentile(IReadOnlyList<long> sorted, double p)
    {
        if (sorted.Count == 0) return null;
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    private static ReportTable CountBy(ReportPeriod period, IEnumerable<(DateTime At, int Key)> facts, List<string> names, List<int> keys)
    {
        var counts = new Dictionary<(DateOnly, int), int>();
        foreach (var (at, key) in facts)
        {
            if (!period.Contains(at)) continue;
            var slot = (period.DayOf(at), key);
            counts[slot] = counts.GetValueOrDefault(slot) + 1;
        }
        var rows = period.Days.Select(d =>
        {
            var values = keys.Select(k => (double?)counts.GetValueOrDefault((d, k))).ToList();
            values.Add(values.Sum());
            return new ReportRow(d, values);
        }).ToList();
        return new ReportTable([.. names, Total], rows);
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
