using StackExchange.Redis;

namespace Helpdesk.Web.Supervisor;

/// <summary>
/// With several nodes (SignalR:Redis set), each node's dashboard hears the changes the others saw:
/// ticket events and presence are in-process events of the node that made them, so a node
/// announces "something changed" on a Redis channel (at most every 250 ms) and the others mark
/// their snapshot stale. Every node then computes the same figures from the shared database, and
/// its supervisors get them within the same second. One node: nothing to do.
/// </summary>
public sealed class DashboardNodeSignal(IConfiguration configuration, DashboardState state, ILogger<DashboardNodeSignal> log) : BackgroundService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("helpdesk:dashboard-changed");
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(250);
    private readonly string _node = Guid.NewGuid().ToString("N");
    private int _pending;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration["SignalR:Redis"] is not { Length: > 0 } redis)
            return;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        var bus = connection.GetSubscriber();
        await bus.SubscribeAsync(Channel, (_, from) =>
        {
            if (from != _node) state.MarkDirtyFromAnotherNode();
        });
        state.LocalChange += OnLocalChange;
        try
        {
            // Real time: this paces messages between machines, not the app's own clock.
            using var timer = new PeriodicTimer(Coalesce);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (Interlocked.Exchange(ref _pending, 0) == 0) continue;
                try
                {
                    await bus.PublishAsync(Channel, _node);
                }
                catch (RedisException e)
                {
                    // Redis away: the other nodes catch up at their own refresh (Supervisor:RefreshSeconds).
                    Interlocked.Exchange(ref _pending, 1);
                    log.LogDebug(e, "Dashboard change not announced to the other nodes");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            state.LocalChange -= OnLocalChange;
        }
    }

    private void OnLocalChange() => Interlocked.Exchange(ref _pending, 1);
}
