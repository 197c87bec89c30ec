using System.Text.Json;
using Hangfire;
using Helpdesk.Core.Crm;
using Helpdesk.Core.Customers;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using System.Data.Common;

namespace Helpdesk.Web.Crm;

/// <summary>
/// Writes what the CRM must learn inside the same SaveChanges (so the same transaction) as the
/// change itself: interaction-log entries for new tickets and ended chats, the customer's row
/// version, a changes-feed entry per changed customer and the webhook outbox rows. Domain events
/// are published after commit, too late for an outbox, so this reads the tickets' pending events
/// before the write. After the commit it hands the new deliveries to Hangfire; a delivery whose job
/// is lost is queued again by <see cref="WebhookDispatcher"/>.
/// </summary>
public sealed class CrmChangeInterceptor(TimeProvider clock, IBackgroundJobClient jobs) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    // A context may save twice before its owner publishes; each event is handled once.
    private readonly HashSet<TicketEvent> _handled = new(ReferenceEqualityComparer.Instance);
    private readonly List<Guid> _pending = [];
    private readonly HashSet<Guid> _queued = [];
    private bool _lockNextTransaction;
    // Any fixed number: the advisory lock's name in PostgreSQL (see OrderFeedWritesAsync).
    private const long FeedLockKey = 4_771_300_001;

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData data, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (data.Context is HelpdeskDbContext db)
            await RecordAsync(db, ct);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData data, InterceptionResult<int> result)
    {
        if (data.Context is HelpdeskDbContext db)
            RecordAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    private async Task RecordAsync(HelpdeskDbContext db, CancellationToken ct)
    {
        db.ChangeTracker.DetectChanges();
        var now = clock.GetUtcNow().UtcDateTime;
        var ticketEvents = new List<(string Event, object Data)>();
        foreach (var ticket in db.ChangeTracker.Entries<Ticket>().Select(e => e.Entity).ToList())
        foreach (var e in ticket.PendingEvents)
        {
            if (!_handled.Add(e)) continue;
            switch (e)
            {
                case TicketCreated when ticket.CustomerId is { } customerId:
                    AddInteraction(db, customerId, ticket, now, ticket.Channel == TicketChannel.Chat ? InteractionSources.Chat : InteractionSources.Ticket,
                        $"{(ticket.Channel == TicketChannel.Chat ? "Chat" : "Ticket")} #{ticket.Number} opened: {ticket.Subject}");
                    break;
                case MessageAdded m when m.Message.EventCode == "chat_ended" && ticket.CustomerId is { } customerId:
                    AddInteraction(db, customerId, ticket, now, InteractionSources.Chat, $"Chat #{ticket.Number} ended: {ticket.Subject}");
                    break;
            }
            switch (e)
            {
                case TicketCreated:
                    ticketEvents.Add((WebhookEvents.TicketCreated, TicketData(ticket)));
                    break;
                case StatusChanged { To: TicketStatus.Resolved }:
                    ticketEvents.Add((WebhookEvents.TicketResolved, TicketData(ticket)));
                    break;
                case SurveyAnswered answered:
                    ticketEvents.Add((WebhookEvents.SurveyAnswered, SurveyData(ticket, answered)));
                    break;
            }
        }

        var customers = await ChangedCustomersAsync(db, ct);
        if (customers.Count > 0)
            await OrderFeedWritesAsync(db, ct);
        foreach (var (customer, kind) in customers)
        {
            var entry = db.Entry(customer);
            if (entry.State == EntityState.Added) customer.Version = 1;
            else customer.Version = (long)entry.Property(c => c.Version).OriginalValue! + 1;
            customer.UpdatedAt = now;
            db.CustomerChanges.Add(new CustomerChange { Customer = customer, Kind = kind, At = now });
        }
        if (customers.Count == 0 && ticketEvents.Count == 0)
            return;

        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Active).ToListAsync(ct);
        foreach (var s in subscriptions)
        {
            foreach (var (name, payload) in ticketEvents.Where(t => s.Wants(t.Event)))
                Add(db, new WebhookDelivery { SubscriptionId = s.Id, Event = name }, now, payload);
            foreach (var (customer, _) in customers)
            {
                if (s.Wants(WebhookEvents.CustomerUpdated))
                    Add(db, new WebhookDelivery { SubscriptionId = s.Id, Event = WebhookEvents.CustomerUpdated, Customer = customer }, now);
                if (s.Wants(WebhookEvents.CustomerChurnRisk) && BecameChurnRisk(db.Entry(customer)))
                    Add(db, new WebhookDelivery { SubscriptionId = s.Id, Event = WebhookEvents.CustomerChurnRisk, Customer = customer }, now);
            }
        }
        db.ChangeTracker.DetectChanges();
    }

    /// <summary>
    /// The changes feed's sequence is an identity: on SQL Server and PostgreSQL two transactions can
    /// commit their numbers out of order, and a CRM that read 11 before 10 committed would never see
    /// 10. A transaction that writes feed entries therefore takes one exclusive lock first (held to its
    /// commit), so numbers are handed out and committed one transaction after the other. SQLite
    /// serialises writers already. EF begins its own transaction after this hook: the lock is then
    /// taken as that transaction starts (<see cref="TransactionStartedAsync"/>).
    /// </summary>
    private async Task OrderFeedWritesAsync(HelpdeskDbContext db, CancellationToken ct)
    {
        if (db.Database.IsSqlite()) return;
        if (db.Database.CurrentTransaction is { } current)
            await TakeFeedLockAsync(db.Database.GetDbConnection(), current.GetDbTransaction(), ct);
        else
            _lockNextTransaction = true;
    }

    private static async Task TakeFeedLockAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = connection.GetType().Name.StartsWith("Npgsql", StringComparison.Ordinal)
            ? $"SELECT pg_advisory_xact_lock({FeedLockKey})"
            : "EXEC sp_getapplock @Resource = N'helpdesk.customer_changes', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 30000";
        await command.ExecuteNonQueryAsync(ct);
    }

    public async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken ct = default)
    {
        if (_lockNextTransaction)
        {
            _lockNextTransaction = false;
            await TakeFeedLockAsync(connection, result, ct);
        }
        return result;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        if (_lockNextTransaction)
        {
            _lockNextTransaction = false;
            TakeFeedLockAsync(connection, result, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }

    /// <summary>Every body has the same envelope: { id (the delivery id), event, occurredAt, data }.</summary>
    public static string Envelope(Guid id, string eventName, DateTime occurredAt, object? data) =>
        JsonSerializer.Serialize(new { id, @event = eventName, occurredAt, data }, CrmJson.Options);

    private static void Add(HelpdeskDbContext db, WebhookDelivery d, DateTime now, object? data = null)
    {
        d.Id = Guid.CreateVersion7();
        d.CreatedAt = now;
        d.NextAttemptAt = now;
        // A customer's body waits for the first try: a new customer has no id before the insert.
        if (data is not null) d.Payload = Envelope(d.Id, d.Event, now, data);
        db.WebhookDeliveries.Add(d);
    }

    private static bool BecameChurnRisk(EntityEntry<Customer> entry) =>
        entry.Entity.ChurnRisk == ChurnRisk.High
        && (entry.State == EntityState.Added || entry.Property(c => c.ChurnRisk).OriginalValue != ChurnRisk.High);

    private static void AddInteraction(HelpdeskDbContext db, long customerId, Ticket ticket, DateTime now, string source, string summary)
    {
        var interaction = new CustomerInteraction
        {
            At = now, Source = source, TicketNumber = ticket.Number, Place = ticket.Channel.ToString(),
            Summary = summary.Length <= 500 ? summary : summary[..500],
        };
        db.Add(interaction).Property("CustomerId").CurrentValue = customerId;
    }

    private static object TicketData(Ticket t) => new
    {
        number = t.Number, subject = t.Subject, status = t.Status.ToString(), type = t.Type.ToString(), channel = t.Channel.ToString(),
        priority = t.Priority.ToString(), customerId = t.CustomerId, createdAt = t.CreatedAt,
    };

    /// <summary>The answer (a changed answer is sent again with changed: true); the comment stays in the helpdesk.</summary>
    private static object SurveyData(Ticket t, SurveyAnswered a) => new
    {
        surveyId = a.SurveyId, ticketNumber = t.Number, customerId = t.CustomerId, score = a.Score, solved = a.Solved, changed = a.Changed,
        channel = t.Channel.ToString(),
    };

    /// <summary>Customers changed in this save: their own rows or their contacts, interactions, orders.</summary>
    private static async Task<List<(Customer Customer, string Kind)>> ChangedCustomersAsync(HelpdeskDbContext db, CancellationToken ct)
    {
        var changed = new Dictionary<Customer, string>(ReferenceEqualityComparer.Instance);
        foreach (var e in db.ChangeTracker.Entries<Customer>())
        {
            if (e.State == EntityState.Added) changed[e.Entity] = CustomerChangeKinds.Created;
            else if (e.State == EntityState.Modified && e.Properties.Any(p => p.IsModified && p.Metadata.Name is not (nameof(Customer.Version) or nameof(Customer.UpdatedAt))))
                changed[e.Entity] = e.Property(c => c.MergedIntoId).IsModified ? CustomerChangeKinds.Merged : CustomerChangeKinds.Updated;
        }
        var childIds = new HashSet<long>();
        foreach (var e in db.ChangeTracker.Entries().Where(e => e.Entity is CustomerContact or CustomerInteraction or CustomerOrder
                                                                && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
        {
            var fk = e.Property("CustomerId");
            foreach (var value in new[] { fk.CurrentValue, e.State == EntityState.Added ? null : fk.OriginalValue })
                if (value is long id && id > 0) childIds.Add(id);
        }
        foreach (var id in childIds)
        {
            var customer = db.Customers.Local.FirstOrDefault(c => c.Id == id) ?? await db.Customers.FindAsync([id], ct);
            if (customer is not null && !changed.ContainsKey(customer)) changed[customer] = CustomerChangeKinds.Updated;
        }
        return changed.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData data, int result, CancellationToken ct = default)
    {
        _lockNextTransaction = false;
        Collect(data.Context);
        if (data.Context?.Database.CurrentTransaction is null) Flush();
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData data, int result)
    {
        _lockNextTransaction = false;
        Collect(data.Context);
        if (data.Context?.Database.CurrentTransaction is null) Flush();
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetFailedSave(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default)
    {
        ForgetFailedSave(eventData.Context);
        return Task.CompletedTask;
    }

    // A failed save may be retried by its owner: its events must be handled again then.
    private void ForgetFailedSave(DbContext? db)
    {
        _lockNextTransaction = false;
        if (db is null) return;
        foreach (var ticket in db.ChangeTracker.Entries<Ticket>())
            foreach (var e in ticket.Entity.PendingEvents) _handled.Remove(e);
    }

    private void Collect(DbContext? db)
    {
        if (db is null) return;
        _pending.AddRange(db.ChangeTracker.Entries<WebhookDelivery>().Where(e => e.Entity.Status == WebhookDeliveryStatus.Pending && e.Entity.Attempts == 0)
            .Select(e => e.Entity.Id).Where(_queued.Add));
    }

    private void Flush()
    {
        foreach (var id in _pending)
            jobs.Enqueue<WebhookDeliveryJob>(j => j.RunAsync(id, CancellationToken.None));
        _pending.Clear();
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        Flush();
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Flush();

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => _pending.Clear();

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        _pending.Clear();
        return Task.CompletedTask;
    }
}
