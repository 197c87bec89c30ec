using Helpdesk.Core.Crm;
using Helpdesk.Core.Customers;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Audit;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Crm;

public sealed record CustomerCard(
    long Id, string Name, string? Surname, Gender Gender, string? Email, string? Phone, string? Mobile, string? Region,
    CustomerTier Tier, int Credit, string? AccountManager, string? CompanyGroup, ChurnRisk ChurnRisk, bool Identified,
    int OpenTickets, int TotalTickets, string? ChurnReason = null);

public sealed record NewInteraction(DateTime? At, string? Place, string? Summary, string? Details, string? Notes);
public sealed record MergeRequest(long? DuplicateId);
public sealed record MergeResult(CustomerRecordView Survivor, int Tickets, int Contacts, int Interactions, int Orders);

/// <summary>/api/customers: the customer card beside a conversation, the full record, the log, merging and CSV.</summary>
public static class CustomersApi
{
    public static void MapCustomersApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/customers").WithTags("Customers").RequireAuthorization(StaffPolicies.Staff).AddEndpointFilter<AntiforgeryFilter>();
        api.MapGet("/{id}", Get).WithName("GetCustomerCard").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:long}/record", Record);
        api.MapPost("/{id:long}/interactions", AddInteraction);
        api.MapPost("/{id:long}/merge", Merge);
        api.MapGet("/{id:long}/duplicates", Duplicates);
        api.MapGet("/export.csv", Export).RequireAuthorization(StaffPolicies.Supervisor);
        api.MapPost("/import", Import).RequireAuthorization(StaffPolicies.Supervisor).Audited()
            // A CSV of many thousand customers: more than the JSON limit (Http:MaxRequestBodyBytes), as much as before it.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(30_000_000));
    }

    private static async Task<Results<Ok<CustomerCard>, ValidationProblem, ProblemHttpResult>> Get(string id, HelpdeskDbContext db, CancellationToken ct)
    {
        if (!long.TryParse(id, out var customerId) || customerId <= 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["A customer id is a positive whole number."] });
        var c = await db.Customers.AsNoTracking().SingleOrDefaultAsync(x => x.Id == customerId, ct);
        if (c is null)
            return TypedResults.Problem($"Customer {customerId} does not exist.", statusCode: 404, title: "Not found");
        var total = await db.Tickets.CountAsync(t => t.CustomerId == customerId, ct);
        var open = await db.Tickets.CountAsync(t => t.CustomerId == customerId && TicketLifecycle.OpenStatuses.Contains(t.Status), ct);
        return TypedResults.Ok(new CustomerCard(c.Id, c.Name, c.Surname, c.Gender, c.Email, c.Phone, c.Mobile, c.Region, c.Tier, c.Credit,
            c.AccountManager, c.CompanyGroup, c.ChurnRisk, c.ExternalId is not null, open, total, c.ChurnReason));
    }

    private static async Task<Results<Ok<CustomerRecordView>, ProblemHttpResult>> Record(long id, HelpdeskDbContext db, CancellationToken ct) =>
        await CrmCustomers.RecordAsync(db, id, ct) is { } view ? TypedResults.Ok(view) : TypedResults.Problem($"Customer {id} does not exist.", statusCode: 404, title: "Not found");

    private static async Task<Results<Created<InteractionView>, ValidationProblem, ProblemHttpResult>> AddInteraction(long id, NewInteraction request,
        HelpdeskDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var v = new RequestValidation().Text("summary", request.Summary, 500).Text("place", request.Place, 200, required: false)
            .Text("details", request.Details, 4000, required: false).Text("notes", request.Notes, 2000, required: false);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        if (!await db.Customers.AnyAsync(c => c.Id == id, ct))
            return TypedResults.Problem($"Customer {id} does not exist.", statusCode: 404, title: "Not found");
        var entry = new CustomerInteraction
        {
            At = request.At?.ToUniversalTime() ?? clock.GetUtcNow().UtcDateTime, Place = Blank(request.Place), Summary = request.Summary!.Trim(),
            Details = Blank(request.Details), Notes = Blank(request.Notes), Source = InteractionSources.Agent,
            Author = http.User.FindFirst(StaffPolicies.DisplayNameClaim)?.Value ?? http.User.Identity?.Name,
        };
        db.Add(entry).Property("CustomerId").CurrentValue = id;
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/customers/{id}/record",
            new InteractionView(entry.Id, entry.At, entry.Place, entry.Summary, entry.Details, entry.Notes, entry.Source, entry.TicketNumber, entry.Author));
    }

    private static async Task<Results<Ok<MergeResult>, ValidationProblem, ProblemHttpResult>> Merge(long id, MergeRequest request, CustomerMerge merge,
        HelpdeskDbContext db, HttpContext http, CancellationToken ct)
    {
        if (request.DuplicateId is not > 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["duplicateId"] = ["Name the duplicate customer to merge into this one."] });
        try
        {
            var author = http.User.FindFirst(StaffPolicies.DisplayNameClaim)?.Value ?? "staff";
            var (tickets, contacts, interactions, orders) = await merge.MergeAsync(id, request.DuplicateId.Value, author, ct);
            return TypedResults.Ok(new MergeResult((await CrmCustomers.RecordAsync(db, id, ct))!, tickets, contacts, interactions, orders));
        }
        catch (MergeRefusedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: 409, title: "Merge refused", extensions: new Dictionary<string, object?> { ["code"] = e.Code });
        }
    }

    /// <summary>Other live records with the same email address or phone number: merge candidates.</summary>
    private static async Task<Ok<List<CustomerCard>>> Duplicates(long id, HelpdeskDbContext db, CancellationToken ct)
    {
        var c = await db.Customers.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return TypedResults.Ok(new List<CustomerCard>());
        var email = c.Email?.ToLower();
        var phones = new[] { c.Phone, c.Mobile }.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        var candidates = await db.Customers.AsNoTracking()
            .Where(x => x.Id != id && x.MergedIntoId == null && ((email != null && x.Email != null && x.Email.ToLower() == email)
                        || (x.Phone != null && phones.Contains(x.Phone)) || (x.Mobile != null && phones.Contains(x.Mobile))))
            .Take(20).ToListAsync(ct);
        return TypedResults.Ok(candidates.Where(x => CustomerMergeRules.AreDuplicates(c, x))
            .Select(x => new CustomerCard(x.Id, x.Name, x.Surname, x.Gender, x.Email, x.Phone, x.Mobile, x.Region, x.Tier, x.Credit, x.AccountManager,
                x.CompanyGroup, x.ChurnRisk, x.ExternalId is not null, 0, 0, x.ChurnReason)).ToList());
    }

    private static async Task<IResult> Export(string? kind, string? headers, CustomerCsv csv, CancellationToken ct)
    {
        var k = kind ?? "customers";
        if (k is not ("customers" or "contacts"))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = ["customers or contacts"] });
        var bytes = await csv.ExportAsync(k, headers == "zh", ct);
        return TypedResults.File(bytes, "text/csv; charset=utf-8", $"{k}.csv");
    }

    /// <summary>The CSV is the request body (text/csv, UTF-8 with or without BOM) or the "file" of a form.</summary>
    private static async Task<IResult> Import(string? kind, string? dryRun, HttpRequest request, CustomerCsv csv, IOptions<CrmOptions> options, AuditTrail audit, CancellationToken ct)
    {
        var v = new RequestValidation();
        var dry = dryRun is null ? false : v.Bool("dryRun", dryRun);
        var k = kind ?? "customers";
        if (k is not ("customers" or "contacts")) v.Add("kind", "Import customers or contacts.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        Stream body = request.Body;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            if (form.Files.GetFile("file") is not { } file)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Attach the CSV as 'file'."] });
            body = file.OpenReadStream();
        }
        var (report, error) = await csv.ImportAsync(k, body, dry!.Value, options.Value.CsvMaxRows, ct);
        if (report is { DryRun: true }) audit.Unchanged();
        else if (report is not null)
            audit.Record("customers.imported", k, null, new { report.Rows, report.Created, report.Updated, report.Unchanged, report.Invalid });
        return report is null ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [error!] }) : TypedResults.Ok(report);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
