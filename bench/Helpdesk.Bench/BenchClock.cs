namespace Helpdesk.Bench;

/// <summary>
/// Simulated time: the generator sets it before each service call, so 100,000 tickets are spread
/// over months of creation dates (as in a real helpdesk) instead of the few minutes the run takes.
/// </summary>
public sealed class BenchClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
