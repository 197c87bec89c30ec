using System.Diagnostics;
using Helpdesk.Core.Triage;

namespace Helpdesk.Bench.Triage;

/// <summary>
/// The triage bench (issue 7): classifies every message of the labelled evaluation set many times
/// with the shipped rules and prints the latency of one message (median, p99) beside a baseline
/// measured in the same run, alternating message by message: the naive way of matching the same
/// keywords — normalise the text, then string.Contains for every keyword of every keyword rule
/// (no negation, no patterns, no explanation). Figures only; it asserts nothing.
/// </summary>
public static class TriageBench
{
    public static int Run(int rounds, string? folder)
    {
        folder ??= FindEvaluationFolder();
        var messages = Directory.GetFiles(folder, "*.tsv").Order()
            .SelectMany(File.ReadLines).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t')[4]).ToArray();

        var compile = Stopwatch.StartNew();
        var engine = TriageEngine.Compile(1, TriageRuleSet.Defaults);
        compile.Stop();
        var keywords = TriageRuleSet.Defaults.Rules.Where(r => r.Kind == TriageRuleKind.Keywords)
            .SelectMany(r => r.Keywords).Select(k => TriageText.Normalise(k.TrimEnd('*'))).Distinct().ToArray();

        Console.WriteLine("Helpdesk triage bench");
        Console.WriteLine($"  machine   {Environment.ProcessorCount} cores, .NET {Environment.Version}, load {LoadAverage()}");
        Console.WriteLine($"  messages  {messages.Length} (evaluation set, {folder})");
        Console.WriteLine($"  rules     {TriageRuleSet.Defaults.Rules.Count} rules, {keywords.Length} distinct keywords, {TriageRuleSet.Defaults.Rules.Count(r => r.Kind == TriageRuleKind.Pattern)} patterns; compiled in {compile.Elapsed.TotalMilliseconds:F1} ms");
        Console.WriteLine($"  rounds    {rounds} over the set (every message timed once per round, engine and baseline alternating)");

        var sink = 0;
        int Baseline(string text)
        {
            var normalised = TriageText.Normalise(text);
            var found = 0;
            foreach (var k in keywords)
                if (normalised.Contains(k, StringComparison.Ordinal)) found++;
            return found;
        }

        // Warm-up: the JIT's tiered compilation settles before timing.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(3))
            foreach (var m in messages) { sink += engine.Classify(new TriageInput(m)).Fired.Count; sink += Baseline(m); }

        var engineSamples = new List<double>(messages.Length * rounds);
        var baselineSamples = new List<double>(messages.Length * rounds);
        var total = Stopwatch.StartNew();
        for (var r = 0; r < rounds; r++)
        foreach (var m in messages)
        {
            var t0 = Stopwatch.GetTimestamp();
            sink += engine.Classify(new TriageInput(m)).Fired.Count;
            var t1 = Stopwatch.GetTimestamp();
            sink += Baseline(m);
            var t2 = Stopwatch.GetTimestamp();
            engineSamples.Add((t1 - t0) * 1000.0 / Stopwatch.Frequency);
            baselineSamples.Add((t2 - t1) * 1000.0 / Stopwatch.Frequency);
        }
        total.Stop();

        var e = LatencyStats.From("TriageEngine.Classify", engineSamples);
        var b = LatencyStats.From("baseline: normalise + Contains per keyword", baselineSamples);
        Console.WriteLine();
        Console.WriteLine($"  {"per message, ms",-44} {"p50",9} {"p99",9} {"mean",9} {"max",9}");
        foreach (var s in new[] { e, b })
            Console.WriteLine($"  {s.Name,-44} {s.P50,9:F4} {s.P99,9:F4} {s.Mean,9:F4} {s.Max,9:F3}");
        Console.WriteLine($"  {"ratio engine / baseline",-44} {e.P50 / b.P50,9:F2} {e.P99 / b.P99,9:F2} {e.Mean / b.Mean,9:F2}");
        Console.WriteLine();
        Console.WriteLine($"  engine: {engineSamples.Count / (engineSamples.Sum() / 1000):N0} messages/s on one core; target p50 < 1 ms: {(e.P50 < 1 ? "met" : "NOT met")}");
        Console.WriteLine($"  (checksum {sink}; {total.Elapsed.TotalSeconds:F1} s timed; load at the end {LoadAverage()})");
        return 0;
    }

    private static string FindEvaluationFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Helpdesk.Core.Tests", "Triage", "Evaluation");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/Helpdesk.Core.Tests/Triage/Evaluation not found above the bench; pass its folder as the second argument.");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
