using Helpdesk.Core.Chat;
using Helpdesk.Core.Scripts;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Scripts;
using Helpdesk.Web.Tickets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Chat;

/// <summary>
/// Routes waiting chats of a team to its agents (AgentRouting: least loaded online agent under
/// capacity), as offers or, with Chat:AutoAssign, as assignments; then tells every waiting
/// customer their place in the queue. Runs whenever the picture changes: a new chat, an agent
/// online or freed, an offer declined or expired. One dispatch at a time on a node; across nodes
/// the database keeps one pending offer per chat (a unique index), and the node that loses the
/// race looks again.
/// </summary>
public sealed class ChatDispatcher(IServiceScopeFactory scopes, IHubContext<ChatHub, IChatClient> hub,
    IOptionsMonitor<ChatOptions> options, TimeProvider clock, ILogger<ChatDispatcher> log,
    IEnumerable<Infrastructure.IChatStateListener> listeners)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task DispatchAsync(int teamId, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var scope = scopes.CreateAsyncScope();
                try
                {
                    await DispatchTeamAsync(scope.ServiceProvider, teamId, ct);
                    return;
                }
                catch (DbUpdateException e) when (attempt < 3)
                {
                    // Another node offered one of these chats between our read and our write.
                    log.LogDebug(e, "Chat dispatch for team {Team} lost a race with another node; looking again", teamId);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Chat dispatch for team {Team} failed", teamId);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task DispatchAllAsync(IEnumerable<int> teamIds, CancellationToken ct = default)
    {
        foreach (var team in teamIds.Distinct())
            await DispatchAsync(team, ct);
    }

    private async Task DispatchTeamAsync(IServiceProvider services, int teamId, CancellationToken ct)
    {
        var db = services.GetRequiredService<HelpdeskDbContext>();
        var o = options.CurrentValue;
        var now = clock.GetUtcNow().UtcDateTime;

        var waiting = await WaitingChats(db, teamId).ToListAsync(ct);
        var agents = await AvailabilityAsync(db, teamId, ct);
        var waitingIds = waiting.Select(t => t.Id).ToList();
        var offers = await db.ChatOffers.Where(x => waitingIds.Contains(x.TicketId)).ToListAsync(ct);

        var toNotify = new List<(Guid Agent, ChatOfferNotice Notice)>();
        var toAssign = new List<(long Number, Guid Agent)>();
        foreach (var ticket in waiting)
        {
            if (offers.Any(x => x.TicketId == ticket.Id && x.State == OfferState.Pending))
                continue;
            // An agent who let this chat pass is not asked again while others can take it.
            var passed = offers.Where(x => x.TicketId == ticket.Id && x.State is OfferState.Declined or OfferState.Expired)
                .Select(x => x.AgentId).ToHashSet();
            var agent = AgentRouting.PickAgent(agents.Values, o.AgentCapacity, passed);
            if (agent is null)
                continue;
            agents[agent.Value] = agents[agent.Value] with { ActiveChats = agents[agent.Value].ActiveChats + 1, LastAssignedAt = now };
            if (o.AutoAssign)
            {
                toAssign.Add((ticket.Number, agent.Value));
                continue;
            }
            var offer = new ChatOffer { TicketId = ticket.Id, AgentId = agent.Value, OfferedAt = now, ExpiresAt = now.AddSeconds(o.OfferTimeoutSeconds), State = OfferState.Pending };
            db.ChatOffers.Add(offer);
            offers.Add(offer);
            var customer = ticket.CustomerId is { } c ? await db.Customers.Where(x => x.Id == c).Select(x => x.Name).FirstOrDefaultAsync(ct) : null;
            toNotify.Add((agent.Value, new ChatOfferNotice(ticket.Number, ticket.Subject, customer ?? "", offer.ExpiresAt)));
        }
        await db.SaveChangesAsync(ct);
        foreach (var listener in listeners) listener.ChatStateChanged();
        foreach (var (agent, notice) in toNotify)
            await hub.Clients.Group(ChatGroups.Agent(agent)).Offer(notice);

        var tickets = services.GetRequiredService<TicketService>();
        foreach (var (number, agent) in toAssign)
        {
            try
            {
                await tickets.AssignAsync(number, agent, teamId, null, Actor.System, null, ct);
                await MarkAssignedAsync(db, agent, now, ct);
                await services.GetRequiredService<ChatScripts>().GreetAsync(number, agent, ct);
            }
            catch (TicketRuleException e)
            {
                log.LogInformation("Auto-assignment of {Number} skipped: {Reason}", number, e.Message);
            }
        }
        await NotifyQueueAsync(db, teamId, agents.Values.ToList(), ct);
    }

    /// <summary>Tells each waiting customer of the team their position and expected wait.</summary>
    public async Task NotifyQueueAsync(HelpdeskDbContext db, int teamId, IReadOnlyList<AgentAvailability>? agents, CancellationToken ct)
    {
        var o = options.CurrentValue;
        agents ??= (await AvailabilityAsync(db, teamId, ct)).Values.ToList();
        var online = agents.Count(a => a.Presence == PresenceStatus.Online);
        var free = AgentRouting.FreeSlots(agents, o.AgentCapacity);
        var waiting = await WaitingChats(db, teamId)
            .Select(t => new { t.Number, Customer = db.Customers.Where(c => c.Id == t.CustomerId).Select(c => new CustomerName(c.Name, c.Surname, c.Gender)).FirstOrDefault() })
            .ToListAsync(ct);
        await using var scope = scopes.CreateAsyncScope();
        var greeter = await scope.ServiceProvider.GetRequiredService<ChatScripts>().QueueGreeterAsync(teamId, ct);
        for (var i = 0; i < waiting.Count; i++)
        {
            var estimate = QueueEstimate.For(i + 1, online, o.AgentCapacity, TimeSpan.FromSeconds(o.AverageHandleSeconds), 0);
            int? seconds = estimate.EstimatedWait == TimeSpan.MaxValue ? null : (int)estimate.EstimatedWait.TotalSeconds;
            var greeting = greeter.For(i + 1, waiting[i].Customer);
            await hub.Clients.Group(ChatGroups.Customer(waiting[i].Number)).Queue(new QueueNotice(waiting[i].Number, i + 1, seconds, online > 0, greeting));
        }
    }

    /// <summary>Chats of the team nobody has taken yet, oldest first.</summary>
    public static IQueryable<Ticket> WaitingChats(HelpdeskDbContext db, int teamId) =>
        db.Tickets.Where(t => t.TeamId == teamId && t.Channel == TicketChannel.Chat && t.Status == TicketStatus.New && t.ChatEndedAt == null)
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id);

    /// <summary>Every agent of the team with presence, open chats and pending offers counted as load.</summary>
    public static async Task<Dictionary<Guid, AgentAvailability>> AvailabilityAsync(HelpdeskDbContext db, int teamId, CancellationToken ct)
    {
        var members = await db.TeamMemberships.Where(m => m.TeamId == teamId)
            .Join(db.Users.Where(u => !u.IsDisabled), m => m.UserId, u => u.Id, (m, u) => u.Id).ToListAsync(ct);
        var presence = await db.AgentPresence.Where(p => members.Contains(p.AgentId)).ToDictionaryAsync(p => p.AgentId, ct);
        var active = await db.Tickets
            .Where(t => t.AssigneeId != null && members.Contains(t.AssigneeId.Value) && t.Channel == TicketChannel.Chat && t.ChatEndedAt == null
                        && (t.Status == TicketStatus.Assigned || t.Status == TicketStatus.WaitingOnCustomer))
            .GroupBy(t => t.AssigneeId!.Value).Select(g => new { Agent = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Agent, x => x.Count, ct);
        var offered = await db.ChatOffers.Where(x => x.State == OfferState.Pending && members.Contains(x.AgentId))
            .GroupBy(x => x.AgentId).Select(g => new { Agent = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Agent, x => x.Count, ct);
        return members.ToDictionary(id => id, id => new AgentAvailability(id,
            presence.TryGetValue(id, out var p) && p.Connections > 0 ? p.Status : PresenceStatus.Offline,
            active.GetValueOrDefault(id) + offered.GetValueOrDefault(id),
            presence.TryGetValue(id, out var q) ? q.LastAssignedAt : null,
            presence.TryGetValue(id, out var r) ? r.Capacity : null));
    }

    public static async Task MarkAssignedAsync(HelpdeskDbContext db, Guid agent, DateTime now, CancellationToken ct) =>
        await db.AgentPresence.Where(p => p.AgentId == agent).ExecuteUpdateAsync(s => s.SetProperty(p => p.LastAssignedAt, now), ct);
}
