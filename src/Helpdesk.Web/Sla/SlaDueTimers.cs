namespace Helpdesk.Web.Sla;

/// <summary>
/// The last stretch of each SLA timer, in process. Hangfire moves a scheduled job to its queue by
/// whole seconds (and only when its scheduler polls), so a timer usually runs up to a second before
/// its wake-up. Rather than schedule itself again (a recompute, a write and a new job per early run),
/// the timer job hands its ticket here, and this node waits the remainder on the app's
/// <see cref="TimeProvider"/> and then looks at everything that came due together, in one scope.
/// Nothing here is the truth: the database is. A node that dies with tickets held here loses
/// nothing, because their wake-ups stay stored and passed, and the reconciler acts on those.
/// </summary>
public sealed class SlaDueTimers(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SlaDueTimers> log) : BackgroundService
{
    /// <summary>How early a timer may run and still be held here (longer waits go back to Hangfire).</summary>
    public static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long before its wake-up a timer is scheduled in Hangfire: Hangfire's scheduler moves due
    /// jobs to the queue once per polling interval (and by whole seconds), so a lead of the interval
    /// plus two seconds makes timers early rather than late, and this node waits the rest.
    /// </summary>
    public static TimeSpan LeadFor(TimeSpan schedulePollingInterval) =>
        TimeSpan.FromTicks(Math.Min(schedulePollingInterval.Ticks + TimeSpan.FromSeconds(2).Ticks, (HoldLimit - TimeSpan.FromSeconds(5)).Ticks));

    private const int BatchSize = 256;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private readonly PriorityQueue<SlaDueTimer, DateTimeOffset> _due = new();
    private readonly HashSet<(long, int)> _held = [];
    private readonly SemaphoreSlim _signal = new(0);
    private long _pending;

    /// <summary>Tickets held or being looked at (tests and the bench wait for zero).</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Holds the ticket's timer until <paramref name="at"/>; a second hand-over of the same version is ignored.</summary>
    public void Hold(long ticketId, int slaVersion, DateTimeOffset at, int deferrals = 0)
    {
        lock (_due)
        {
            if (!_held.Add((ticketId, slaVersion))) return;
            _due.Enqueue(new SlaDueTimer(ticketId, slaVersion, at, deferrals), at);
            Interlocked.Increment(ref _pending);
        }
        _signal.Release();
    }

    /// <summary>True when this node holds the timer of that version (the reconciler's "still pending").</summary>
    public bool Holds(long ticketId, int slaVersion)
    {
        lock (_due) return _held.Contains((ticketId, slaVersion));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<SlaDueTimer>(BatchSize);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan? wait = null;
            batch.Clear();
            lock (_due)
            {
                var now = clock.GetUtcNow();
                while (batch.Count < BatchSize && _due.TryPeek(out var item, out var at))
                {
                    // Strictly after: a reply exactly at the deadline meets it, so at the deadline
                    // itself nothing is late yet (and the breach would be skipped).
                    if (at >= now)
                    {
                        wait = at - now + Tick;
                        break;
                    }
                    batch.Add(_due.Dequeue());
                }
            }
            if (batch.Count == 0)
            {
                await WaitAsync(wait, stoppingToken);
                continue;
            }
            await ProcessAsync(batch, stoppingToken);
        }
    }

    /// <summary>Until the earliest wake-up on the app's clock, or until a new timer arrives (it may be earlier).</summary>
    private async Task WaitAsync(TimeSpan? wait, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var signalled = _signal.WaitAsync(stop.Token);
        var tasks = wait is { } w ? new[] { signalled, Task.Delay(w, clock, stop.Token) } : [signalled];
        try
        {
            await Task.WhenAny(tasks);
        }
        finally
        {
            await stop.CancelAsync();
        }
        // Drain extra signals: the loop looks at the whole queue each time anyway.
        while (_signal.CurrentCount > 0 && _signal.Wait(0)) { }
        ct.ThrowIfCancellationRequested();
    }

    private async Task ProcessAsync(List<SlaDueTimer> batch, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SlaProcessor>().ProcessTimersAsync(batch, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogError(e, "SLA timers of {Count} tickets not processed; the reconciler acts on their passed wake-ups", batch.Count);
        }
        finally
        {
            lock (_due)
                foreach (var item in batch)
                    _held.Remove((item.TicketId, item.Version));
            Interlocked.Add(ref _pending, -batch.Count);
        }
    }
}

/// <summary>A timer held in process: the ticket, the SLA version it was scheduled for, its wake-up.</summary>
public sealed record SlaDueTimer(long TicketId, int Version, DateTimeOffset At, int Deferrals);
