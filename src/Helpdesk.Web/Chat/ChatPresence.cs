using Helpdesk.Core.Chat;
using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Chat;

/// <summary>
/// Agent presence, kept in the database so every node sees it. Each open console is a row of
/// <see cref="AgentConnection"/> (which node holds it); the agent's count is the number of rows,
/// and the last console closing makes the agent offline and takes back the offers they had.
/// A node that dies cannot close its consoles: <see cref="AgentConnectionLeases"/> on the other
/// nodes drops its rows once it stops renewing them, and <see cref="ForgetAsync"/> recounts.
/// </summary>
public sealed class ChatPresence(HelpdeskDbContext db, ChatDispatcher dispatcher, IHubContext<ChatHub, IChatClient> hub, TimeProvider clock,
    IEnumerable<IChatStateListener> listeners, ChatNode node)
{
    public async Task ConnectedAsync(Guid agentId, string connectionId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var row = await RowAsync(agentId, ct);
        db.AgentConnections.Add(new AgentConnection { ConnectionId = connectionId, AgentId = agentId, Node = node.Id, SeenAt = now });
        node.Opened(connectionId);
        row.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        row.Connections = await CountAsync(agentId, ct);
        await db.SaveChangesAsync(ct);
        Changed();
    }

    public async Task DisconnectedAsync(Guid agentId, string connectionId, CancellationToken ct)
    {
        node.Closed(connectionId);
        await db.AgentConnections.Where(c => c.ConnectionId == connectionId).ExecuteDeleteAsync(ct);
        await RecountAsync(agentId, ct);
    }

    /// <summary>
    /// Drops the connections nobody renewed since <paramref name="staleBefore"/> (a dead node's) and
    /// recounts their agents: those with no console left go offline.
    /// </summary>
    public async Task<int> ForgetAsync(DateTime staleBefore, CancellationToken ct)
    {
        var agents = await db.AgentConnections.Where(c => c.SeenAt < staleBefore).Select(c => c.AgentId).Distinct().ToListAsync(ct);
        if (agents.Count == 0) return 0;
        var dropped = await db.AgentConnections.Where(c => c.SeenAt < staleBefore).ExecuteDeleteAsync(ct);
        foreach (var agentId in agents)
            await RecountAsync(agentId, ct);
        return dropped;
    }

    private async Task RecountAsync(Guid agentId, CancellationToken ct)
    {
        var row = await RowAsync(agentId, ct);
        row.Connections = await CountAsync(agentId, ct);
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        if (row.Connections == 0)
            await GoOfflineAsync(row, ct);
        else
            await db.SaveChangesAsync(ct);
        Changed();
    }

    private Task<int> CountAsync(Guid agentId, CancellationToken ct) => db.AgentConnections.CountAsync(c => c.AgentId == agentId, ct);

    public async Task SetAsync(Guid agentId, PresenceStatus status, CancellationToken ct)
    {
        var row = await RowAsync(agentId, ct);
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        if (status == PresenceStatus.Offline)
        {
            await GoOfflineAsync(row, ct, keepConnections: true);
            return;
        }
        row.Status = status;
        await db.SaveChangesAsync(ct);
        Changed();
        await AnnounceAsync(agentId, status, ct);
        if (status == PresenceStatus.Online)
            await dispatcher.DispatchAllAsync(await TeamsAsync(agentId, ct), ct);
    }

    private async Task GoOfflineAsync(AgentPresence row, CancellationToken ct, bool keepConnections = false)
    {
        row.Status = PresenceStatus.Offline;
        if (!keepConnections) row.Connections = 0;
        // Offers to somebody who is gone would only make the customer wait out the timeout.
        var offers = await db.ChatOffers.Where(o => o.AgentId == row.AgentId && o.State == OfferState.Pending).ToListAsync(ct);
        foreach (var offer in offers) offer.State = OfferState.Withdrawn;
        await db.SaveChangesAsync(ct);
        Changed();
        await AnnounceAsync(row.AgentId, PresenceStatus.Offline, ct);
        await dispatcher.DispatchAllAsync(await TeamsAsync(row.AgentId, ct), ct);
    }

    private async Task AnnounceAsync(Guid agentId, PresenceStatus status, CancellationToken ct)
    {
        foreach (var team in await TeamsAsync(agentId, ct))
            await hub.Clients.Group(ChatGroups.Team(team)).Presence(new PresenceNotice(agentId, status));
    }

    private void Changed()
    {
        foreach (var listener in listeners) listener.ChatStateChanged();
    }

    private Task<List<int>> TeamsAsync(Guid agentId, CancellationToken ct) =>
        db.TeamMemberships.Where(m => m.UserId == agentId).Select(m => m.TeamId).ToListAsync(ct);

    private async Task<AgentPresence> RowAsync(Guid agentId, CancellationToken ct)
    {
        var row = await db.AgentPresence.FirstOrDefaultAsync(p => p.AgentId == agentId, ct);
        if (row is null)
        {
            row = new AgentPresence { AgentId = agentId, Status = PresenceStatus.Offline };
            db.AgentPresence.Add(row);
        }
        return row;
    }
}
