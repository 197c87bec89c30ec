using Hangfire;

namespace Helpdesk.Web.Sla;

/// <summary>
/// The one pending timer of a ticket, at its next warning or deadline (a Hangfire job). Hangfire
/// runs it up to a second early (whole-second schedule, polling): it hands the ticket to this
/// node's <see cref="SlaDueTimers"/>, which waits the remainder and then looks. The look acts only
/// if the ticket's SLA version is still the one the timer was scheduled for: any change since then
/// scheduled a newer timer, and this one does nothing. Retried or run twice, it escalates once.
/// </summary>
[AutomaticRetry(Attempts = 3)]
public sealed class SlaTimerJob(SlaProcessor processor, SlaDueTimers due, TimeProvider clock)
{
    public async Task RunAsync(long ticketId, int slaVersion, DateTime wakeUpAt, int deferrals, CancellationToken ct)
    {
        var at = new DateTimeOffset(DateTime.SpecifyKind(wakeUpAt, DateTimeKind.Utc));
        if (at - clock.GetUtcNow() <= SlaDueTimers.HoldLimit)
        {
            due.Hold(ticketId, slaVersion, at, deferrals);
            return;
        }
        // Far too early (this node's clock is behind the one that scheduled it): recompute, which schedules again.
        await processor.ProcessAsync(ticketId, new SlaWork(SlaCause.Timer, JobVersion: slaVersion), ct);
    }
}
