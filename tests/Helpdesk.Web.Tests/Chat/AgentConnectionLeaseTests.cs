using Helpdesk.Core.Chat;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Chat;

/// <summary>
/// A node killed with agents' consoles open never runs their disconnects. The consoles it held
/// must stop counting once it stops renewing them, or their agents stay online for good and keep
/// being offered chats nobody sees (found by ScaleOut/NodeCrashTests).
/// </summary>
public sealed class AgentConnectionLeaseTests
{
    [Fact]
    public async Task Consoles_of_a_node_that_stopped_renewing_them_stop_counting_and_the_agent_goes_offline_when_the_live_one_closes()
    {
        await using var server = new HelpdeskServer { Settings = { "Chat:ConnectionRenewSeconds=5", "Chat:ConnectionExpirySeconds=30" } };
        await server.InitializeAsync();
        var agentHttp = await server.SignedInAsync(Demo.Agent1);
        var live = await ChatConnection.StaffAsync(server, agentHttp);
        await live.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);

        // A second console, recorded by another node (as a node that is then killed leaves it).
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var crashed = ActivatorUtilities.CreateInstance<ChatPresence>(scope.ServiceProvider, new ChatNode());
            await crashed.ConnectedAsync(agentHttp.Id, "console-on-a-dead-node", CancellationToken.None);
        }
        (await PresenceAsync(server, agentHttp.Id)).Should().Be((PresenceStatus.Online, 2));

        // Past the expiry: this node renewed its own console; the other node's is dropped.
        server.Clock.Advance(TimeSpan.FromSeconds(36));
        await Eventually.ReturnsAsync(() => PresenceAsync(server, agentHttp.Id), p => p.Connections == 1,
            "the dead node's console to stop counting");
        (await PresenceAsync(server, agentHttp.Id)).Status.Should().Be(PresenceStatus.Online, "the console on this node is open and renewed");
        server.Clock.Advance(TimeSpan.FromSeconds(36));
        var now = server.Clock.GetUtcNow().UtcDateTime;
        await Eventually.ReturnsAsync(() => SeenAtAsync(server, agentHttp.Id), seen => seen.Count == 1 && seen[0] >= now,
            "this node to renew its live console");
        (await PresenceAsync(server, agentHttp.Id)).Should().Be((PresenceStatus.Online, 1), "a renewed console keeps counting, however far the clock moved");

        // Closing the only live console makes the agent offline.
        await live.DisposeAsync();
        (await Eventually.ReturnsAsync(() => PresenceAsync(server, agentHttp.Id), p => p.Status == PresenceStatus.Offline,
            "the agent to go offline with their last live console")).Connections.Should().Be(0);
    }

    private static async Task<List<DateTime>> SeenAtAsync(HelpdeskServer server, Guid agentId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        return await db.AgentConnections.AsNoTracking().Where(c => c.AgentId == agentId).Select(c => c.SeenAt).ToListAsync();
    }

    private static async Task<(PresenceStatus Status, int Connections)> PresenceAsync(HelpdeskServer server, Guid agentId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        var row = await db.AgentPresence.AsNoTracking().SingleAsync(p => p.AgentId == agentId);
        return (row.Status, row.Connections);
    }
}
