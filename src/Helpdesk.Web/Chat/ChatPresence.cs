using Helpdesk.Core.Chat;
using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Chat;

/// <summary>
/// Agent presence, kept in the database so every node sees it. Connecting counts a console;
/// the last console closing makes the agent offline and takes back the offers they had.
/// </summary>
public sealed class ChatPresence(HelpdeskDbContext db, ChatDispatcher dispatcher, IHubContext<ChatHub, IChatClient> hub, TimeProvider clock,
    IEnumerable<IChatStateListener> listeners)
{
    public async Task ConnectedAsync(Guid agentId, CancellationToken ct)
    {
        var row = await RowAsync(agentId, ct);
        row.Connections++;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        Changed();
    }

    public async Task DisconnectedAsync(Guid agentId, CancellationToken ct)
    {
        var row = await RowAsync(agentId, ct);
        row.Connections = Math.Max(0, row.Connections - 1);
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        if (row.Connections == 0)
            await GoOfflineAsync(row, ct);
        else
            await db.SaveChangesAsync(ct);
        Changed();
    }

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
