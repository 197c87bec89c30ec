using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Chat;

/// <summary>This process among the nodes: the name its agents' console connections are recorded under.</summary>
public sealed class ChatNode
{
    public string Id { get; } = Name();

    private static string Name()
    {
        var name = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return name.Length <= 100 ? name : name[^100..];
    }
}

/// <summary>
/// Renews this node's console connections every Chat:ConnectionRenewSeconds and drops those of
/// nodes that stopped renewing theirs for Chat:ConnectionExpirySeconds: a node killed with agents
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
            // Own rows first: a node whose clock jumped (a test's, or after a pause) must not take itself for dead.
            await db.AgentConnections.Where(c => c.Node == node.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.SeenAt, now), ct);
            var dropped = await scope.ServiceProvider.GetRequiredService<ChatPresence>()
                .ForgetAsync(now - TimeSpan.FromSeconds(options.Value.ConnectionExpirySeconds), ct);
            if (dropped > 0)
                log.LogWarning("Dropped {Count} agent console connection(s) of a node that stopped renewing them (it stopped without closing them)", dropped);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The database may be down for a moment; the next tick tries again.
            log.LogError(e, "Renewing this node's agent console connections failed");
        }
    }
}
