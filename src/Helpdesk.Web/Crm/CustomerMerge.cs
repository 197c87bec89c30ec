using Helpdesk.Core.Crm;
using Helpdesk.Core.Customers;
using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Crm;

public sealed class MergeRefusedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// Merges a duplicate customer (same email or phone) into a survivor in one transaction: tickets,
/// contacts, interactions and orders move over, empty fields are filled, and both records get a
/// log entry; the duplicate stays as a stub pointing at the survivor (its external id still finds it).
/// </summary>
public sealed class CustomerMerge(HelpdeskDbContext db, TimeProvider clock)
{
    public async Task<(int Tickets, int Contacts, int Interactions, int Orders)> MergeAsync(long survivorId, long duplicateId, string author, CancellationToken ct)
    {
        if (survivorId == duplicateId) throw new MergeRefusedException("merge_self", "A customer cannot be merged into itself.");
        var survivor = await db.Customers.SingleOrDefaultAsync(c => c.Id == survivorId, ct) ?? throw new NotFoundException($"Customer {survivorId} does not exist.");
        var duplicate = await db.Customers.SingleOrDefaultAsync(c => c.Id == duplicateId, ct) ?? throw new NotFoundException($"Customer {duplicateId} does not exist.");
        if (survivor.MergedIntoId is not null || duplicate.MergedIntoId is not null)
            throw new MergeRefusedException("already_merged", "One of the two records was already merged; merge into the surviving record.");
        if (!CustomerMergeRules.AreDuplicates(survivor, duplicate))
            throw new MergeRefusedException("not_duplicates", $"Customers {survivorId} and {duplicateId} share no email address or phone number.");

        var now = clock.GetUtcNow().UtcDateTime;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var tickets = await db.Tickets.Where(t => t.CustomerId == duplicateId).ExecuteUpdateAsync(s => s.SetProperty(t => t.CustomerId, survivorId), ct);
            // Loaded apart from the duplicate's navigations, so moving them is only a change of their key.
            var contacts = await Children<CustomerContact>(duplicateId, ct);
            var interactions = await Children<CustomerInteraction>(duplicateId, ct);
            var orders = await Children<CustomerOrder>(duplicateId, ct);
            var counts = (tickets, contacts.Count, interactions.Count, orders.Count);
            foreach (var child in contacts.Cast<object>().Concat(interactions).Concat(orders))
                db.Entry(child).Property("CustomerId").CurrentValue = survivorId;
            CustomerMergeRules.Absorb(survivor, duplicate);
            duplicate.MergedIntoId = survivorId;
            AddEntry(survivorId, now, author, $"Merged customer #{duplicateId} ({duplicate.Name}): {tickets} tickets, {counts.Item2} contacts, {counts.Item3} log entries, {counts.Item4} orders moved here.");
            AddEntry(duplicateId, now, author, $"Merged into customer #{survivorId} ({survivor.Name}).");
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return counts;
        });
    }

    private Task<List<T>> Children<T>(long customerId, CancellationToken ct) where T : class =>
        db.Set<T>().Where(x => EF.Property<long>(x, "CustomerId") == customerId).ToListAsync(ct);

    private void AddEntry(long customerId, DateTime now, string author, string summary) =>
        db.Add(new CustomerInteraction { At = now, Source = InteractionSources.Merge, Author = author, Summary = summary }).Property("CustomerId").CurrentValue = customerId;
}
