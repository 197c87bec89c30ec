using System.Diagnostics;
using Helpdesk.Core.Scripts;
using Helpdesk.Web.Scripts;

namespace Helpdesk.Bench.Scripts;

/// <summary>
/// The forbidden-phrase guard on the hot path of every agent message (Helpdesk.Bench wording):
/// ForbiddenPhraseMatcher.Find (normalise, then search) against a baseline measured in the same
/// run, the naive check that would miss 「慢 慢，等着吧」: string.Contains of each raw phrase. With the
/// seeded list and with a list of 200 phrases. Figures only; it asserts nothing.
/// </summary>
public static class WordingBench
{
    private static readonly string[] Messages =
    [
        "您好，您的订单SO-2026-0042已经发货，预计明天送达，请您注意查收。如有其他问题请随时联系我们。",
        "Thank you for waiting. I have checked your order and the refund was issued today; it reaches your card in 3-5 working days.",
        "非常抱歉给您带来了不便，我完全理解您的心情。请您把遇到的情况详细告诉我，我一定尽全力为您处理。",
        "Could you give me your order number? I will check the delivery status for you right away, it only takes a minute.",
        "那您就慢 慢，等着吧", // a hit: the guard must find it
    ];

    public static void Run(int iterations)
    {
        Console.WriteLine("Helpdesk wording bench: the forbidden-phrase check of one agent message");
        Console.WriteLine($"  {Environment.ProcessorCount} cores, .NET {Environment.Version}; {iterations:N0} messages per case; figures only");
        var seeded = StandardWording.ForbiddenPhrases.Select((p, i) => new ForbiddenRule(i + 1, p.Text, p.Language, p.Suggestion)).ToList();
        var many = seeded.Concat(Enumerable.Range(0, 200 - seeded.Count)
            .Select(i => new ForbiddenRule(1000 + i, i % 2 == 0 ? $"禁用短语第{i}条" : $"forbidden phrase {i}", i % 2 == 0 ? "zh-CN" : "en", "ok"))).ToList();
        foreach (var (name, rules) in new[] { ($"{seeded.Count} phrases (seeded)", seeded), ($"{many.Count} phrases", many) })
        {
            var matcher = new ForbiddenPhraseMatcher(rules);
            var raw = rules.Select(r => r.Phrase).ToArray();
            if (matcher.Find(Messages[^1]).Count == 0) throw new InvalidOperationException("The matcher missed the spaced phrase.");
            int hits = 0, naiveHits = 0;
            // Alternating rounds so that other work on the 2 cores falls on both alike.
            var matcherTime = TimeSpan.Zero;
            var naiveTime = TimeSpan.Zero;
            for (var round = 0; round < 10; round++)
            {
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < iterations / 10; i++) hits += matcher.Find(Messages[i % Messages.Length]).Count;
                matcherTime += sw.Elapsed;
                sw.Restart();
                for (var i = 0; i < iterations / 10; i++)
                {
                    var text = Messages[i % Messages.Length];
                    foreach (var p in raw) if (text.Contains(p, StringComparison.OrdinalIgnoreCase)) naiveHits++;
                }
                naiveTime += sw.Elapsed;
            }
            var perMatcher = matcherTime.TotalMicroseconds / iterations;
            var perNaive = naiveTime.TotalMicroseconds / iterations;
            Console.WriteLine($"  {name,-26} matcher {perMatcher,7:F2} µs/message   baseline raw Contains {perNaive,7:F2} µs/message   ratio {perMatcher / perNaive,5:F1}×   (hits: matcher {hits:N0}, baseline {naiveHits:N0})");
        }
    }
}
