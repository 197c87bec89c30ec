using System.Diagnostics;
using Helpdesk.Core.Sla;

namespace Helpdesk.Bench.Sla;

/// <summary>
/// The SLA calendar math (Helpdesk.Bench calendar): BusinessCalendar.AddBusinessTime for short and
/// 10,000-hour targets and SlaClock.Evaluate on a typical timeline, against the obvious baseline
/// measured in the same run: stepping minute by minute and asking the wall clock of each minute.
/// Figures only; it asserts nothing.
/// </summary>
public static class CalendarBench
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static void Run()
    {
        var calendar = DefaultBusinessCalendar.Create();
        var random = new Random(6);
        var starts = Enumerable.Range(0, 4096)
            .Select(_ => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)).AddMinutes(random.Next(0, 365 * 1440)))
            .ToArray();

        Console.WriteLine("SLA calendar bench (default calendar: Mon–Fri 09:00–18:00 Asia/Shanghai, 2026 holidays and 调休)");
        Console.WriteLine($"  machine   {Environment.ProcessorCount} cores, .NET {Environment.Version}; figures only, nothing passes or fails");

        foreach (var target in new[] { TimeSpan.FromMinutes(60), TimeSpan.FromHours(27), TimeSpan.FromHours(10_000) })
        {
            var fast = PerCall(starts, 20_000, s => calendar.AddBusinessTime(s, target));
            // The stepping baseline is slow; a handful of calls is enough to see its scale.
            var stepCalls = target.TotalHours > 100 ? 3 : 300;
            var slow = PerCall(starts, stepCalls, s => SteppedAdd(calendar, s, (int)target.TotalMinutes));
            Console.WriteLine($"  AddBusinessTime {target.TotalHours,8:N0} h   {Format(fast),10} per call   minute stepping {Format(slow),10}   ratio {slow / fast,10:N0}×");
        }

        var between = PerCall(starts, 20_000, s => calendar.BusinessTimeBetween(s, s.AddDays(30)));
        Console.WriteLine($"  BusinessTimeBetween over 30 days {Format(between),10} per call");

        var policy = DefaultSlaPolicies.Default;
        var timelines = starts.Select(s => SlaTimeline.Of(
        [
            new SlaTicketOpened(s),
            new SlaCustomerMessage(s),
            new SlaAgentReply(s.AddHours(2)),
            new SlaStatusChange(s.AddHours(2), Helpdesk.Core.Tickets.TicketStatus.WaitingOnCustomer),
            new SlaCustomerMessage(s.AddHours(20)),
            new SlaStatusChange(s.AddHours(20), Helpdesk.Core.Tickets.TicketStatus.Assigned),
            new SlaAgentReply(s.AddHours(22)),
        ])).ToArray();
        var clock = PerCall(timelines, 20_000, t => SlaClock.Evaluate(policy, calendar, t, t.OpenedAt.AddDays(3)));
        Console.WriteLine($"  SlaClock.Evaluate, 7-event timeline, 3 targets {Format(clock),10} per call");
    }

    /// <summary>Mean seconds per call over <paramref name="calls"/> calls, after a warm-up.</summary>
    private static double PerCall<T, TResult>(T[] inputs, int calls, Func<T, TResult> call)
    {
        for (var i = 0; i < Math.Min(calls, 2000); i++) GC.KeepAlive(call(inputs[i % inputs.Length]));
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++) GC.KeepAlive(call(inputs[i % inputs.Length]));
        return watch.Elapsed.TotalSeconds / calls;
    }

    private static DateTimeOffset SteppedAdd(BusinessCalendar calendar, DateTimeOffset start, int minutes)
    {
        var at = start.UtcDateTime;
        for (var counted = 0; counted < minutes; at += Minute)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(at, calendar.Zone);
            var time = local.TimeOfDay;
            foreach (var interval in calendar.HoursOn(DateOnly.FromDateTime(local)))
                if (interval.From <= time && time < interval.To) { counted++; break; }
        }
        return new DateTimeOffset(at, TimeSpan.Zero);
    }

    private static string Format(double seconds) =>
        seconds >= 1e-3 ? $"{seconds * 1e3:N1} ms" : $"{seconds * 1e6:N2} µs";
}
