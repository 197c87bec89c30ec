using Hangfire;
using Hangfire.States;
using Helpdesk.Web.Jobs;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Sla;

/// <summary>
/// The Hangfire side of the SLA timers. Jobs are scheduled by delay from the app's clock
/// (<see cref="TimeProvider"/>): the due time is the app's, Hangfire counts the delay in real time.
/// </summary>
public sealed class SlaJobs(IBackgroundJobClient jobs, JobStorage storage, IOptions<JobsOptions> options)
{
    private static readonly HashSet<string> PendingStates =
        [ScheduledState.StateName, EnqueuedState.StateName, ProcessingState.StateName, AwaitingState.StateName];

    /// <summary>The ticket's timer at <paramref name="wakeUpAt"/> (the app's clock; Hangfire waits the delay from <paramref name="now"/> in real time).</summary>
    public string ScheduleTimer(long ticketId, int slaVersion, DateTime wakeUpAt, DateTimeOffset now)
    {
        var at = DateTime.SpecifyKind(wakeUpAt, DateTimeKind.Utc);
        var delay = at - now.UtcDateTime;
        var lead = SlaDueTimers.LeadFor(options.Value.SchedulePollingInterval);
        // Within the hold limit the job is queued at once and this node waits the rest in process.
        return delay <= lead
            ? jobs.Enqueue<SlaTimerJob>(j => j.RunAsync(ticketId, slaVersion, at, 0, CancellationToken.None))
            : jobs.Schedule<SlaTimerJob>(j => j.RunAsync(ticketId, slaVersion, at, 0, CancellationToken.None), delay - lead);
    }

    /// <summary>The timer ran before the write that scheduled it was committed: look again shortly.</summary>
    public void Defer(long ticketId, int slaVersion, DateTimeOffset now, int deferrals) =>
        jobs.Schedule<SlaTimerJob>(j => j.RunAsync(ticketId, slaVersion, now.UtcDateTime, deferrals, CancellationToken.None), TimeSpan.FromSeconds(1));

    /// <summary>Drops a timer a newer one replaced (best effort: a stale timer does nothing anyway).</summary>
    public void Forget(string? jobId)
    {
        if (string.IsNullOrEmpty(jobId)) return;
        try
        {
            jobs.Delete(jobId);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Already gone (run, expired, or a store that forgot it).
        }
    }

    /// <summary>True when the store still holds the job in a state that will run it.</summary>
    public bool IsPending(string? jobId)
    {
        if (string.IsNullOrEmpty(jobId)) return false;
        using var connection = storage.GetConnection();
        var state = connection.GetStateData(jobId)?.Name;
        return state is not null && PendingStates.Contains(state);
    }

    /// <summary>
    /// True when the store holds, under this id, this ticket's timer for this SLA version in a state
    /// that will run it. A store that was lost and started again (or restored from an older backup)
    /// hands out the same ids again, so the id alone could name another ticket's timer.
    /// </summary>
    public bool IsPendingFor(string? jobId, long ticketId, int slaVersion)
    {
        if (string.IsNullOrEmpty(jobId)) return false;
        using var connection = storage.GetConnection();
        var data = connection.GetJobData(jobId);
        return data?.Job is { } job && data.State is { } state && PendingStates.Contains(state)
            && job.Type == typeof(SlaTimerJob) && job.Args.Count >= 2
            && job.Args[0] is long id && id == ticketId && job.Args[1] is int version && version == slaVersion;
    }
}
