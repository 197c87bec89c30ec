using System.Text.Json;
using System.Text.Json.Serialization;
using Helpdesk.Core.Crm;
using Helpdesk.Core.Customers;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Crm;

public static class CrmJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}

public sealed record ContactView(long Id, string? ExternalId, string Name, Gender Gender, string? Position, string? Phone, string? Mobile, string? Notes);
public sealed record InteractionView(long Id, DateTime At, string? Place, string Summary, string? Details, string? Notes, string Source, long? TicketNumber, string? Author);
public sealed record OrderView(long Id, string OrderNumber, DateTime PlacedAt, decimal Amount, string Currency, PaymentStatus PaymentStatus);

/// <summary>The whole customer record (客户档案): what the customer page, the CRM API and the webhooks show.</summary>
public sealed record CustomerRecordView(
    long Id, string? ExternalId, string Name, string? Surname, Gender Gender, string? Email, string? Phone, string? Mobile, string? Region,
    CustomerTier Tier, string TierLabel, int Credit, string? AccountManager, string? CompanyGroup, ChurnRisk ChurnRisk, string? ChurnReason,
    long Version, DateTime CreatedAt, DateTime? UpdatedAt, long? MergedIntoId, int OpenTickets, int TotalTickets,
    IReadOnlyList<ContactView> Contacts, IReadOnlyList<InteractionView> Interactions, IReadOnlyList<OrderView> Orders)
{
    public string ETag => CrmCustomers.ETagOf(Version);
}

public static class CrmCustomers
{
    public const int InteractionsShown = 200;

    public static string ETagOf(long version) => $"\"{version}\"";

    public static async Task<CustomerRecordView?> RecordAsync(HelpdeskDbContext db, long id, CancellationToken ct)
    {
        var c = await db.Customers.AsNoTracking().Include(x => x.Contacts).Include(x => x.Orders).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return null;
        var interactions = await db.Set<CustomerInteraction>().AsNoTracking().Where(i => EF.Property<long>(i, "CustomerId") == id)
            .OrderByDescending(i => i.At).ThenByDescending(i => i.Id).Take(InteractionsShown).ToListAsync(ct);
        var total = await db.Tickets.CountAsync(t => t.CustomerId == id, ct);
        var open = await db.Tickets.CountAsync(t => t.CustomerId == id && TicketLifecycle.OpenStatuses.Contains(t.Status), ct);
        return View(c, interactions, open, total);
    }

    public static CustomerRecordView View(Customer c, IEnumerable<CustomerInteraction> interactions, int open, int total) => new(
        c.Id, c.ExternalId, c.Name, c.Surname, c.Gender, c.Email, c.Phone, c.Mobile, c.Region, c.Tier, CustomerRecordRules.TierLabel(c.Tier), c.Credit,
        c.AccountManager, c.CompanyGroup, c.ChurnRisk, c.ChurnReason, c.Version, c.CreatedAt, c.UpdatedAt, c.MergedIntoId, open, total,
        c.Contacts.OrderBy(x => x.Id).Select(x => new ContactView(x.Id, x.ExternalId, x.Name, x.Gender, x.Position, x.Phone, x.Mobile, x.Notes)).ToList(),
        interactions.Select(i => new InteractionView(i.Id, i.At, i.Place, i.Summary, i.Details, i.Notes, i.Source, i.TicketNumber, i.Author)).ToList(),
        c.Orders.OrderByDescending(o => o.PlacedAt).Select(o => new OrderView(o.Id, o.OrderNumber, o.PlacedAt, o.Amount, o.Currency, o.PaymentStatus)).ToList());

    /// <summary>The live record behind an external id; a merged duplicate leads to its survivor.</summary>
    public static async Task<Customer?> ByExternalIdAsync(HelpdeskDbContext db, string externalId, CancellationToken ct)
    {
        var found = await db.Customers.Include(c => c.Contacts).Include(c => c.Orders)
            .Where(c => c.ExternalId == externalId).OrderBy(c => c.MergedIntoId == null ? 0 : 1).ThenBy(c => c.Id).FirstOrDefaultAsync(ct);
        for (var hops = 0; found?.MergedIntoId is { } next && hops < 10; hops++)
            found = await db.Customers.Include(c => c.Contacts).Include(c => c.Orders).SingleOrDefaultAsync(c => c.Id == next, ct);
        return found;
    }
}
