using Helpdesk.Core.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Helpdesk.Web.Infrastructure;

/// <summary>
/// One concern reacting to ticket events (design §3.3, Chatwoot's listeners): realtime pushes,
/// routing, counters. New behaviour is a new listener, not another branch in TicketService.
/// </summary>
public interface ITicketEventListener
{
    Task HandleAsync(TicketEvent e, CancellationToken ct);

    /// <summary>
    /// Called once after the listener has handled every event of one publication (one commit's
    /// events, or a whole intake batch's): a listener that gathered work while handling them does
    /// it here, together, instead of one transaction per event.
    /// </summary>
    Task EventsPublishedAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// Publishes the events the tickets recorded once SaveChanges has committed them. Inside an
/// explicit transaction it waits: the owner of the transaction calls <see cref="PublishAsync"/>
/// after its commit. A failing listener is logged and does not undo the committed write.
/// </summary>
public sealed class TicketEventPublisher(IServiceProvider services, ILogger<TicketEventPublisher> log) : SaveChangesInterceptor
{
    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData data, int result, CancellationToken ct = default)
    {
        if (data.Context is { } db && db.Database.CurrentTransaction is null)
            await PublishAsync(db, ct);
        return result;
    }

    public Task PublishAsync(DbContext db, CancellationToken ct) =>
        PublishAsync(db.ChangeTracker.Entries<Ticket>().Select(e => e.Entity), ct);

    /// <summary>For writers that store tickets without EF's change tracker (the chat writer's fast path).</summary>
    public async Task PublishAsync(IEnumerable<Ticket> tickets, CancellationToken ct)
    {
        var events = new List<TicketEvent>();
        foreach (var ticket in tickets)
        {
            events.AddRange(ticket.PendingEvents);
            ticket.ClearPendingEvents();
        }
        await PublishEventsAsync(events, ct);
    }

    /// <summary>Events that are not the aggregate's own (SLA warnings and breaches), after the write that found them.</summary>
    public async Task PublishEventsAsync(IReadOnlyList<TicketEvent> events, CancellationToken ct)
    {
        if (events.Count == 0)
            return;
        // Resolved late: listeners may need services that themselves depend on the DbContext.
        var listeners = services.GetServices<ITicketEventListener>().ToList();
        foreach (var e in events)
        foreach (var listener in listeners)
        {
            try
            {
                await listener.HandleAsync(e, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Listener {Listener} failed on {Event} of ticket {Number}", listener.GetType().Name, e.GetType().Name, e.Ticket.Number);
            }
        }
        foreach (var listener in listeners)
        {
            try
            {
                await listener.EventsPublishedAsync(ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Listener {Listener} failed after {Count} events", listener.GetType().Name, events.Count);
            }
        }
    }
}
