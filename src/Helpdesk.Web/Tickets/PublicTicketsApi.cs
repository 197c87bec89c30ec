using Helpdesk.Core.Customers;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Tickets;

public sealed record PublicTicketRequest(string? Name, string? Email, string? Subject, string? Description, TicketType? Type, AfterSalesCategory? Category)
{
    public RequestValidation Validate()
    {
        var v = new RequestValidation()
            .Text("name", Name, 100)
            .Text("email", Email, 256)
            .Text("subject", Subject, TicketLimits.SubjectMax)
            .Text("description", Description, TicketLimits.BodyMax)
            .Defined("type", Type).Defined("category", Category);
        if (!string.IsNullOrWhiteSpace(Email) && !System.Net.Mail.MailAddress.TryCreate(Email, out _))
            v.Add("email", "'email' is not an email address.");
        return v;
    }
}

public sealed record PublicTicketReceipt(long Number, string Subject);

/// <summary>
/// The web-form channel: a visitor of the company's site opens a ticket without an account.
/// Anonymous, so rate-limited per address, and it answers only with the ticket number.
/// </summary>
public static class PublicTicketsApi
{
    public static RouteGroupBuilder MapPublicTicketsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/public/tickets").WithTags("Web form").AllowAnonymous()
            .RequireRateLimiting(PlatformFeature.PublicFormRateLimit);
        api.MapPost("/", Submit).WithName("SubmitWebForm").ProducesProblem(StatusCodes.Status429TooManyRequests);
        return api;
    }

    private static async Task<Results<Created<PublicTicketReceipt>, ValidationProblem>> Submit(PublicTicketRequest body,
        HelpdeskDbContext db, TicketService tickets, TimeProvider clock, CancellationToken ct)
    {
        var v = body.Validate();
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var email = body.Email!.Trim();
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Email == email, ct);
        if (customer is null)
        {
            customer = new Customer { Name = body.Name!.Trim(), Email = email, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Customers.Add(customer);
            await db.SaveChangesAsync(ct);
        }
        var ticket = await tickets.CreateAsync(new NewTicket(body.Subject!, body.Type ?? TicketType.Inquiry, TicketChannel.WebForm,
            Category: body.Category ?? AfterSalesCategory.None, Description: body.Description, CustomerId: customer.Id),
            Actor.Customer(customer.Id, customer.Name), ct);
        // No Location: the visitor has no API to read the ticket back; the number is the receipt.
        return TypedResults.Created((string?)null, new PublicTicketReceipt(ticket.Number, ticket.Subject));
    }
}
