using System.Collections.Concurrent;
using System.Diagnostics;

namespace Helpdesk.Bench.Chat;

/// <summary>What one run of the chat load measured.</summary>
public sealed class ChatLoadResult
{
    public required string Name { get; init; }
    public required int Conversations { get; init; }
    public long Sent;
    public long Acked;
    public long Refused;
    public readonly ConcurrentDictionary<string, int> Received = new();
    public readonly ConcurrentBag<double> LatenciesMs = [];
    public readonly ConcurrentDictionary<string, bool> AckedIds = new();
    public TimeSpan Duration { get; set; }

    public long Lost => AckedIds.Keys.Count(id => !Received.ContainsKey(id));
    public long Duplicated => Received.Values.Count(n => n > 1);
    public double PerSecond => Acked / Duration.TotalSeconds;

    public void Receive(string clientMessageId, string body)
    {
        Received.AddOrUpdate(clientMessageId, 1, (_, n) => n + 1);
        if (long.TryParse(body, out var sentAt))
            LatenciesMs.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
    }

    public double Percentile(double p)
    {
        var sorted = LatenciesMs.OrderBy(x => x).ToArray();
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public string Line() =>
        $"{Name,-28} conv={Conversations,5} acked={Acked,8} msg/s={PerSecond,9:F0} p50={Percentile(50),7:F1} ms p99={Percentile(99),7:F1} ms lost={Lost} dup={Duplicated} refused={Refused}";
}

/// <summary>
/// Drives customers that each send on a schedule (paced: one message a second) or as fast as
/// their acks come back (saturation), against whatever target sends the messages.
/// </summary>
public static class ChatLoad
{
    public static async Task RunAsync(ChatLoadResult result, IReadOnlyList<Func<string, string, Task<bool>>> customers,
        TimeSpan duration, TimeSpan? interval)
    {
        var name = result.Name;
        var stop = Stopwatch.StartNew();
        var tasks = customers.Select((send, index) => Task.Run(async () =>
        {
            var random = new Random(index);
            if (interval is { } pace)
                await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * pace.TotalMilliseconds));
            var next = stop.Elapsed;
            var n = 0;
            while (stop.Elapsed < duration)
            {
                var id = $"{name}-{index}-{n++}";
                Interlocked.Increment(ref result.Sent);
                var body = Stopwatch.GetTimestamp().ToString();
                try
                {
                    if (await send(id, body))
                    {
                        Interlocked.Increment(ref result.Acked);
                        result.AckedIds[id] = true;
                    }
                    else Interlocked.Increment(ref result.Refused);
                }
                catch
                {
                    Interlocked.Increment(ref result.Refused);
                }
                if (interval is { } every)
                {
                    next += every;
                    var wait = next - stop.Elapsed;
                    if (wait > TimeSpan.Zero) await Task.Delay(wait);
                }
            }
        })).ToList();
        await Task.WhenAll(tasks);
        result.Duration = stop.Elapsed;
        await DrainAsync(result, TimeSpan.FromSeconds(10));
    }

    /// <summary>Waits until every acknowledged message has reached an agent, or the time is up.</summary>
    public static async Task DrainAsync(ChatLoadResult result, TimeSpan limit)
    {
        var until = Stopwatch.StartNew();
        while (until.Elapsed < limit && result.AckedIds.Keys.Any(id => !result.Received.ContainsKey(id)))
            await Task.Delay(100);
    }
}
