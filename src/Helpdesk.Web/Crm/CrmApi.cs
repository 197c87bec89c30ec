using Helpdesk.Core.Crm;
using Helpdesk.Core.Customers;
using Helpdesk.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Crm;

public sealed record BulkUpsertRequest(List<CustomerRecord>? Records);
public sealed record BulkUpsertResult(int Index, string? ExternalId, string Outcome, long? Id, string? ETag, IDictionary<string, string[]>? Errors);
public sealed record BulkUpsertResponse(int Created, int Updated, int Unchanged, int Invalid, IReadOnlyList<BulkUpsertResult> Results);
public sealed record ChangeEntry(long Sequence, long CustomerId, string Kind, DateTime At, CustomerRecordView? Customer);
public sealed record ChangesPage(IReadOnlyList<ChangeEntry> Changes, long Next, bool HasMore);

/// <summary>
/// /api/crm: the company CRM's side, authenticated by X-Api-Key. Customers are keyed by the CRM's
/// external id; writes are idempotent (the same PUT twice changes nothing the second time) and
/// guarded by ETag/If-Match; the changes feed is ordered by a sequence written with each change.
/// </summary>
public static class CrmApi
{
    public const string ReadPolicy = "crm-read";
    public const string WritePolicy = "crm-write";
    public const int DefaultChangesLimit = 100;
    public const int MaxChangesLimit = 1000;

    public static void MapCrmApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/crm").WithTags("CRM").RequireAuthorization(ReadPolicy);
        api.MapGet("/customers/by-id/{id:long}", GetById);
        api.MapGet("/customers/{externalId}", GetByExternalId);
        api.MapPut("/customers/{externalId}", Put).RequireAuthorization(WritePolicy);
        api.MapPost("/customers/bulk", Bulk).RequireAuthorization(WritePolicy)
            // Up to 1,000 full records with contacts and orders: more than the JSON limit (Http:MaxRequestBodyBytes) of single writes.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(16 * 1024 * 1024));
        api.MapGet("/changes", Changes);
    }

    private static async Task<IResult> GetById(long id, HelpdeskDbContext db, HttpContext http, CancellationToken ct)
    {
        var view = await CrmCustomers.RecordAsync(db, id, ct);
        return view is null ? NotFound($"Customer {id} does not exist.") : WithETag(http, TypedResults.Ok(view), view.Version);
    }

    private static async Task<IResult> GetByExternalId(string externalId, HelpdeskDbContext db, HttpContext http, CancellationToken ct)
    {
        var customer = await CrmCustomers.ByExternalIdAsync(db, externalId, ct);
        if (customer is null) return NotFound($"No customer has the external id '{externalId}'.");
        var view = (await CrmCustomers.RecordAsync(db, customer.Id, ct))!;
        return WithETag(http, TypedResults.Ok(view), view.Version);
    }

    private static async Task<IResult> Put(string externalId, CustomerRecord record, HelpdeskDbContext db, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        record = record with { ExternalId = externalId };
        var customer = await CrmCustomers.ByExternalIdAsync(db, externalId, ct);
        var errors = CustomerRecordRules.Validate(record, creating: customer is null);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && (customer is null || !Matches(ifMatch, customer.Version)))
            return TypedResults.Problem(customer is null
                    ? $"No customer has the external id '{externalId}', so If-Match cannot match."
                    : $"The customer changed since you read it (your ETag {ifMatch}, now {CrmCustomers.ETagOf(customer.Version)}). Read it again and retry.",
                statusCode: 412, title: "Precondition failed");
        var created = customer is null;
        if (created)
            db.Customers.Add(customer = new Customer());
        var before = customer!.Version;
        CustomerRecordRules.Apply(customer, record, clock.GetUtcNow().UtcDateTime);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem("The customer changed while this write was applied. Read it again and retry.", statusCode: 412, title: "Precondition failed");
        }
        var view = (await CrmCustomers.RecordAsync(db, customer.Id, ct))!;
        http.Response.Headers["X-Upsert-Outcome"] = created ? "created" : view.Version == before ? "unchanged" : "updated";
        return WithETag(http, created ? TypedResults.Created($"/api/crm/customers/{Uri.EscapeDataString(externalId)}", view) : TypedResults.Ok(view), view.Version);
    }

    private static async Task<Results<Ok<BulkUpsertResponse>, ValidationProblem>> Bulk(BulkUpsertRequest request, HelpdeskDbContext db, TimeProvider clock,
        IOptions<CrmOptions> options, CancellationToken ct)
    {
        var records = request.Records;
        var limit = options.Value.BulkLimit;
        if (records is null || records.Count == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["records"] = ["Send at least one record."] });
        if (records.Count > limit)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["records"] = [$"At most {limit} records per call; this one has {records.Count}. Split it."] });

        var ids = records.Select(r => r.ExternalId).Where(x => !string.IsNullOrEmpty(x)).Distinct().ToList();
        var existing = await db.Customers.Include(c => c.Contacts).Include(c => c.Orders)
            .Where(c => c.ExternalId != null && ids.Contains(c.ExternalId) && c.MergedIntoId == null).ToListAsync(ct);
        var byExternal = existing.GroupBy(c => c.ExternalId!).ToDictionary(g => g.Key, g => g.OrderBy(c => c.Id).First());
        var now = clock.GetUtcNow().UtcDateTime;
        var seen = new HashSet<string>();
        var applied = new List<(int Index, CustomerRecord Record, Customer Customer, bool Created, long Before)>();
        var results = new BulkUpsertResult?[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var errors = string.IsNullOrEmpty(r.ExternalId)
                ? new Dictionary<string, string[]> { ["externalId"] = ["Each record needs the CRM's external id."] }
                : !seen.Add(r.ExternalId) ? new Dictionary<string, string[]> { ["externalId"] = ["This external id appears earlier in the same call."] }
                : CustomerRecordRules.Validate(r, creating: !byExternal.ContainsKey(r.ExternalId));
            if (errors.Count > 0)
            {
                results[i] = new BulkUpsertResult(i, r.ExternalId, "invalid", null, null, errors);
                continue;
            }
            var created = !byExternal.TryGetValue(r.ExternalId!, out var customer);
            if (created) db.Customers.Add(customer = new Customer());
            var before = customer!.Version;
            CustomerRecordRules.Apply(customer, r, now);
            applied.Add((i, r, customer, created, before));
        }
        await db.SaveChangesAsync(ct);
        foreach (var a in applied)
            results[a.Index] = new BulkUpsertResult(a.Index, a.Record.ExternalId, a.Created ? "created" : a.Customer.Version == a.Before ? "unchanged" : "updated",
                a.Customer.Id, CrmCustomers.ETagOf(a.Customer.Version), null);
        var list = results.Select(r => r!).ToList();
        return TypedResults.Ok(new BulkUpsertResponse(list.Count(r => r.Outcome == "created"), list.Count(r => r.Outcome == "updated"),
            list.Count(r => r.Outcome == "unchanged"), list.Count(r => r.Outcome == "invalid"), list));
    }

    /// <summary>
    /// Entries after the cursor in sequence order, each with the customer as it is now. A client
    /// stores <see cref="ChangesPage.Next"/> and asks again; it never misses a change because the
    /// entry commits with the change, and transactions writing entries take turns
    /// (<see cref="CrmChangeInterceptor"/>), so sequence numbers become visible in order on every provider.
    /// </summary>
    private static async Task<Results<Ok<ChangesPage>, ValidationProblem>> Changes(string? after, string? limit, HelpdeskDbContext db, CancellationToken ct)
    {
        var v = new Infrastructure.RequestValidation();
        long c = 0;
        if (after is not null && (!long.TryParse(after, out c) || c < 0)) v.Add("after", "The cursor is 0 or the 'next' of an earlier page.");
        long? cursor = c;
        var take = limit is null ? DefaultChangesLimit : v.Int("limit", limit, 1, MaxChangesLimit);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var rows = await db.CustomerChanges.AsNoTracking().Where(c => c.Id > cursor!.Value).OrderBy(c => c.Id).Take(take!.Value + 1).ToListAsync(ct);
        var hasMore = rows.Count > take;
        if (hasMore) rows.RemoveAt(rows.Count - 1);
        var views = new Dictionary<long, CustomerRecordView?>();
        foreach (var id in rows.Select(r => r.CustomerId).Distinct())
            views[id] = await CrmCustomers.RecordAsync(db, id, ct);
        var entries = rows.Select(r => new ChangeEntry(r.Id, r.CustomerId, r.Kind, r.At, views[r.CustomerId])).ToList();
        return TypedResults.Ok(new ChangesPage(entries, rows.Count > 0 ? rows[^1].Id : cursor!.Value, hasMore));
    }

    private static bool Matches(string ifMatch, long version) =>
        ifMatch.Split(',').Select(t => t.Trim()).Any(t => t == "*" || (t.StartsWith("W/") ? t[2..] : t) == CrmCustomers.ETagOf(version));

    private static IResult WithETag(HttpContext http, IResult result, long version)
    {
        http.Response.Headers.ETag = CrmCustomers.ETagOf(version);
        return result;
    }

    private static IResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: 404, title: "Not found");
}
