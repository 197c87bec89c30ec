using Helpdesk.Core.Chat;
using Helpdesk.Data;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Chat;

/// <summary>
/// Offers not accepted in time pass to the next agent. Ticks every second on the app's
/// TimeProvider, so tests move time instead of waiting.
/// </summary>
public sealed class ChatOfferExpiry(IServiceScopeFactory scopes, ChatDispatcher dispatcher, IHubContext<ChatHub, IChatClient> hub,
    TimeProvider clock, ILogger<ChatOfferExpiry> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await ExpireAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task ExpireAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
            var now = clock.GetUtcNow().UtcDateTime;
            var expired = await db.ChatOffers.Where(o => o.State == OfferState.Pending && o.ExpiresAt <= now).ToListAsync(ct);
            if (expired.Count == 0) return;
            foreach (var offer in expired) offer.State = OfferState.Expired;
            await db.SaveChangesAsync(ct);
            var ticketIds = expired.Select(o => o.TicketId).ToList();
            var tickets = await db.Tickets.Where(t => ticketIds.Contains(t.Id)).Select(t => new { t.Id, t.Number, t.TeamId }).ToListAsync(ct);
            foreach (var offer in expired)
                if (tickets.FirstOrDefault(t => t.Id == offer.TicketId) is { } t)
                    await hub.Clients.Group(ChatGroups.Agent(offer.AgentId)).OfferWithdrawn(t.Number);
            await dispatcher.DispatchAllAsync(tickets.Where(t => t.TeamId is not null).Select(t => t.TeamId!.Value), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Expiring chat offers failed");
        }
    }
}
