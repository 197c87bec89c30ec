using Helpdesk.Core.Supervision;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Supervisor;

/// <summary>
/// The one copy of the dashboard's figures on this node. Changes only mark it stale; a single loop
/// recomputes it (at most every <see cref="SupervisorOptions.CoalesceMilliseconds"/>, so a burst of
/// events costs one computation) and pushes the result to every supervisor at once. Connecting
/// supervisors and the REST endpoint get the cached copy: the database is never asked per client.
/// </summary>
public sealed class DashboardState(IServiceScopeFactory scopes, IHubContext<SupervisorHub, ISupervisorClient> hub,
    IOptionsMonitor<SupervisorOptions> options, IOptionsMonitor<ChatOptions> chat, TimeProvider clock, ILogger<DashboardState> log)
    : BackgroundService, IChatStateListener
{
    private readonly SemaphoreSlim _compute = new(1, 1);
    private readonly SemaphoreSlim _signal = new(0, 1);
    private long _changes = 1;
    private long _computedFor;
    private long _sequence;
    private DashboardSnapshot? _current;
    private int _watchers;

    /// <summary>How many snapshots were computed (the bench and tests compare it with the clients served).</summary>
    public long Computations => Interlocked.Read(ref _sequence);

    /// <summary>A change this node saw (a ticket event, presence, an offer); other nodes hear of it through <see cref="DashboardNodeSignal"/>.</summary>
    public event Action? LocalChange;

    public void MarkDirty()
    {
        MarkDirtyFromAnotherNode();
        LocalChange?.Invoke();
    }

    /// <summary>Another node saw a change: recompute here too, without announcing it again.</summary>
    public void MarkDirtyFromAnotherNode()
    {
        Interlocked.Increment(ref _changes);
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); }
            catch (SemaphoreFullException) { } // already signalled: the loop will see this change too
        }
    }

    void IChatStateListener.ChatStateChanged() => MarkDirty();

    internal void Watching(int delta) => Interlocked.Add(ref _watchers, delta);

    /// <summary>The current figures: the cached copy when nothing changed since it was made.</summary>
    public async Task<DashboardSnapshot> CurrentAsync(CancellationToken ct = default)
    {
        MarkDirtyIfDue();
        var snapshot = Volatile.Read(ref _current);
        if (snapshot is not null && Interlocked.Read(ref _computedFor) == Interlocked.Read(ref _changes))
            return snapshot;
        await _compute.WaitAsync(ct);
        try
        {
            var seen = Interlocked.Read(ref _changes);
            if (_current is not null && Interlocked.Read(ref _computedFor) == seen)
                return _current;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
            var o = options.CurrentValue;
            snapshot = await DashboardQueries.ComputeAsync(db, clock.GetUtcNow(), o.Zone(), chat.CurrentValue.AgentCapacity,
                Interlocked.Increment(ref _sequence), ct);
            Volatile.Write(ref _current, snapshot);
            Interlocked.Exchange(ref _computedFor, seen);
            return snapshot;
        }
        finally
        {
            _compute.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long pushed = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A periodic look while somebody watches: waits grow and SLA warnings come due without an event.
                await _signal.WaitAsync(TimeSpan.FromSeconds(options.CurrentValue.RefreshSeconds), stoppingToken);
                if (Volatile.Read(ref _watchers) <= 0)
                    continue; // nobody to push to: the next reader computes on demand
                var snapshot = await CurrentAsync(stoppingToken);
                if (snapshot.Sequence != pushed)
                {
                    await hub.Clients.Group(SupervisorHub.Group).Snapshot(snapshot);
                    pushed = snapshot.Sequence;
                }
                // Coalesce: events arriving meanwhile leave the signal set and are taken together.
                // Real time on purpose: this paces the CPU, it is not a business clock.
                await Task.Delay(options.CurrentValue.CoalesceMilliseconds, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "The supervisor dashboard could not be refreshed");
                await Task.Delay(1000, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Figures that depend on time alone (waits, "due soon", the day) age: an old snapshot is stale.</summary>
    private void MarkDirtyIfDue()
    {
        var snapshot = Volatile.Read(ref _current);
        if (snapshot is null || clock.GetUtcNow().UtcDateTime - snapshot.ServerTime >= TimeSpan.FromSeconds(options.CurrentValue.RefreshSeconds))
            Interlocked.Increment(ref _changes);
    }
}
