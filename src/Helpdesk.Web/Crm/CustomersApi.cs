using Helpdesk.Core.Customers;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Crm;

public sealed record CustomerCard(
    long Id, string Name, string? Surname, Gender Gender, string? Email, string? Phone, string? Mobile, string? Region,
    CustomerTier Tier, int Credit, string? AccountManager, string? CompanyGroup, ChurnRisk ChurnRisk, bool Identified,
    int OpenTickets, int TotalTickets);

/// <summary>/api/customers: the customer card the consoles show beside a conversation.</summary>
public static class CustomersApi
{
    public static void MapCustomersApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/customers").WithTags("Customers").RequireAuthorization(StaffPolicies.Staff);
        api.MapGet("/{id}", Get).WithName("GetCustomerCard").ProducesProblem(StatusCodes.Status404NotFound);
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
            c.AccountManager, c.CompanyGroup, c.ChurnRisk, c.ExternalId is not null, open, total));
    }
}
