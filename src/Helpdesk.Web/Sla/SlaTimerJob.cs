using Hangfire;

namespace Helpdesk.Web.Sla;

/// <summary>
/// The one pending timer of a ticket, at its next warning or deadline (a Hangfire job). It acts
/// only if the ticket's SLA version is still the one it was scheduled for: any change since then
/// scheduled a newer timer, and this one does nothing. Retried or run twice, it escalates once.
/// </summary>
[AutomaticRetry(Attempts = 3)]
public sealed class SlaTimerJob(SlaProcessor processor, SlaJobs jobs)
{
    private const int MaxDeferrals = 5;

    public async Task RunAsync(long ticketId, int slaVersion, int deferrals, CancellationToken ct)
    {
        var result = await processor.ProcessAsync(ticketId, new SlaWork(SlaCause.Timer, JobVersion: slaVersion), ct);
        // Scheduled just before its version was committed and already due: the commit is a moment away.
        if (result == SlaResult.NotYetCommitted && deferrals < MaxDeferrals)
            jobs.Defer(ticketId, slaVersion, deferrals + 1);
    }
}

/// <summary>The ladder's level-3 check, at level 2 plus the policy's delay; the ladder ignores it unless the ticket is still at level 2.</summary>
[AutomaticRetry(Attempts = 3)]
public sealed class SlaLevel3Job(SlaProcessor processor)
{
    public Task RunAsync(long ticketId, CancellationToken ct) =>
        processor.ProcessAsync(ticketId, new SlaWork(SlaCause.Level3), ct);
}
