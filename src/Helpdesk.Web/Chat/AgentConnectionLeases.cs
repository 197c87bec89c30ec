using System.Collections.Concurrent;
using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Chat;

/// <summary>
/// This process among the nodes: the name its agents' console connections are recorded under, and
/// the ones it holds open now (only those are renewed: a row whose delete failed, the database being
/// down at the disconnect, expires like a dead node's).
/// </summary>
public sealed class ChatNode
{
    private readonly ConcurrentDictionary<string, byte> _open = new();

    public string Id { get; } = Name();

    public void Opened(string connectionId) => _open.TryAdd(connectionId, 0);

    public void Closed(string connectionId) => _open.TryRemove(connectionId, out _);

    public IReadOnlyList<string> Open => _open.Keys.ToList();

    private static string Name()
    {
        var name = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return name.Length <= 100 ? name : name[^100..];
    }
}

/// <summary>
/// Renews the console connections this node holds open every Chat:ConnectionRenewSeconds and drops
/// every connection not renewed for Chat:ConnectionExpirySeconds: a node killed with agents
/// connected never runs their disconnects, and without this its consoles would keep those agents
/// online (offered chats they cannot see) for good. Ticks on the app's TimeProvider.
/// </summary>
public sealed class AgentConnectionLeases(IServiceScopeFactory scopes, ChatNode node, IOptions<ChatOptions> options, TimeProvider clock,
    ILogger<AgentConnectionLeases> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ConnectionRenewSeconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await RunOnceAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task RunOnceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
            var now = clock.GetUtcNow().UtcDateTime;
            // Own open connections first: a node whose clock jumped (a test's, or after a pause) must not take them for dead.
            var open = node.Open;
            if (open.Count > 0)
                await db.AgentConnections.Where(c => c.Node == node.Id && open.Contains(c.ConnectionId))
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.SeenAt, now), ct);
            var dropped = await scope.ServiceProvider.GetRequiredService<ChatPresence>()
                .ForgetAsync(now - TimeSpan.FromSeconds(options.Value.ConnectionExpirySeconds), ct);
            if (dropped > 0)
                log.LogWarning("Dropped {Count} agent console connection(s) nobody renewed (their node stopped without closing them)", dropped);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The database may be down for a moment; the next tick tries again.
            log.LogError(e, "Renewing this node's agent console connections failed");
        }
    }
}
