using Helpdesk.Core.Customers;
using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Chat;

/// <summary>Finds or creates the customer record behind a widget visitor.</summary>
public sealed class ChatCustomers(HelpdeskDbContext db, TimeProvider clock)
{
    public Task<Customer?> FindAsync(VisitorTicket visitor, CancellationToken ct) =>
        visitor.ExternalUserId is { } external
            ? db.Customers.FirstOrDefaultAsync(c => c.ExternalId == external, ct)
            : db.Customers.FirstOrDefaultAsync(c => c.VisitorId == visitor.VisitorId, ct);

    public async Task<Customer> ResolveAsync(VisitorTicket visitor, string? name, string? email, CancellationToken ct)
    {
        var customer = await FindAsync(visitor, ct);
        if (customer is null)
        {
            customer = new Customer
            {
                Name = string.IsNullOrWhiteSpace(name) ? $"访客 Visitor {visitor.VisitorId[..6]}" : name.Trim(),
                Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim(),
                ExternalId = visitor.ExternalUserId,
                VisitorId = visitor.VisitorId,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
            db.Customers.Add(customer);
            await db.SaveChangesAsync(ct);
        }
        else if ((!string.IsNullOrWhiteSpace(name) && customer.Name.StartsWith("访客 Visitor", StringComparison.Ordinal))
                 || (!string.IsNullOrWhiteSpace(email) && customer.Email is null))
        {
            // A pre-chat form fills in what an anonymous record lacks; it never overwrites a known customer.
            if (!string.IsNullOrWhiteSpace(name) && customer.Name.StartsWith("访客 Visitor", StringComparison.Ordinal)) customer.Name = name.Trim();
            if (!string.IsNullOrWhiteSpace(email) && customer.Email is null) customer.Email = email.Trim();
            await db.SaveChangesAsync(ct);
        }
        return customer;
    }
}
