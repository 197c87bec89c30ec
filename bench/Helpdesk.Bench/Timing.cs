using System.Diagnostics;

namespace Helpdesk.Bench;

/// <summary>Latency figures of one measured case, in milliseconds.</summary>
public sealed record LatencyStats(string Name, int Iterations, double P50, double P99, double Mean, double Min, double Max)
{
    public static LatencyStats From(string name, List<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return new LatencyStats(name, sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99),
            sorted.Average(), sorted[0], sorted[^1]);
    }

    /// <summary>Nearest rank: the smallest sample with at least q of the samples at or below it.</summary>
    private static double Percentile(double[] sorted, double q) =>
        sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}

public static class Timing
{
    /// <summary>
    /// Times two ways of answering the same question, alternating them iteration by iteration so
    /// that noise from the rest of the machine (other builds on the same 2 cores) falls on both
    /// alike and the ratio stays meaningful even when the absolute figures wobble.
    /// </summary>
    /// <remarks>
    /// Warm-up runs at least <paramref name="warmup"/> rounds and at least <paramref name="minWarmup"/>:
    /// the JIT promotes hot methods to optimised code in the background, a while after their first
    /// calls, so a short warm-up in a fresh process (--reuse) would time EF half-optimised.
    /// </remarks>
    public static async Task<(LatencyStats A, LatencyStats B)> CompareAsync(
        string nameA, Func<Task> a, string nameB, Func<Task> b, int warmup, int iterations, TimeSpan minWarmup)
    {
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < warmup || warming.Elapsed < minWarmup; i++)
        {
            await a();
            await b();
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var samplesA = new List<double>(iterations);
        var samplesB = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            // Swap who goes first every other round: neither side always runs on a warmer cache.
            if (i % 2 == 0)
            {
                samplesA.Add(await TimeAsync(a));
                samplesB.Add(await TimeAsync(b));
            }
            else
            {
                samplesB.Add(await TimeAsync(b));
                samplesA.Add(await TimeAsync(a));
            }
        }
        return (LatencyStats.From(nameA, samplesA), LatencyStats.From(nameB, samplesB));
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
