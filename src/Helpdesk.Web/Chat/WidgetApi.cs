using Helpdesk.Core.Chat;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Helpdesk.Web.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Chat;

public sealed record WidgetSessionRequest(string? SiteKey, string? VisitorToken, string? UserId, string? UserHash);

public sealed record WidgetSession(string VisitorToken, string VisitorId, bool Identified, string SiteName, bool Open, bool AgentsOnline, long? OpenChat);

public sealed record WidgetStatus(bool Open, bool AgentsOnline, bool OfferOfflineMessage);

public sealed record OfflineMessageRequest(string? Name, string? Email, string? Text);

/// <summary>
/// /api/widget: what the embedded widget calls over HTTP. A session gives the visitor a signed
/// token (kept across reloads); a host site may vouch for its signed-in user with an HMAC.
/// </summary>
public static class WidgetApi
{
    public const string CorsPolicy = "widget";

    public static RouteGroupBuilder MapWidgetApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/widget").WithTags("Chat widget").AllowAnonymous().RequireCors(CorsPolicy)
            .RequireRateLimiting(Infrastructure.PlatformFeature.WidgetRateLimit);
        api.MapPost("/sessions", StartSession).WithName("StartWidgetSession");
        api.MapGet("/status", Status).WithName("GetWidgetStatus");
        api.MapPost("/offline-messages", LeaveMessage).WithName("LeaveOfflineMessage")
            .RequireAuthorization(p => p.AddAuthenticationSchemes(VisitorAuthenticationHandler.SchemeName).RequireClaim(VisitorAuthenticationHandler.VisitorIdClaim));
        return api;
    }

    private static async Task<Results<Ok<WidgetSession>, ValidationProblem, ProblemHttpResult>> StartSession(WidgetSessionRequest body, HttpContext http,
        IOptionsMonitor<ChatOptions> options, VisitorTokens tokens, ChatCustomers customers, HelpdeskDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var site = o.FindSite(body.SiteKey);
        if (site is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["siteKey"] = ["No site is configured with this key."] });
        if (!WidgetOrigins.IsAllowed(site, http.Request.Headers.Origin, http.Request))
            return TypedResults.Problem("This page's origin is not allowed for the site.", statusCode: 403, title: "Origin not allowed");

        string? externalId = null;
        if (!string.IsNullOrEmpty(body.UserId))
        {
            if (body.UserId.Length > 128 || site.IdentitySecret is null || !VisitorIdentity.VerifyUserHash(body.UserId, site.IdentitySecret, body.UserHash))
                return TypedResults.Problem("The user's identity could not be verified (userHash).", statusCode: 403, title: "Identity not verified");
            externalId = body.UserId;
        }

        var previous = tokens.Read(body.VisitorToken);
        var visitorId = previous is not null && previous.SiteKey == site.Key && (externalId is null || previous.ExternalUserId == externalId)
            ? previous.VisitorId
            : Guid.NewGuid().ToString("N");
        var visitor = new VisitorTicket(visitorId, site.Key, externalId ?? (previous?.VisitorId == visitorId ? previous.ExternalUserId : null));
        var token = tokens.Issue(visitor, TimeSpan.FromDays(o.VisitorTokenDays));

        var customer = await customers.FindAsync(visitor, ct);
        long? openChat = customer is null ? null : await db.Tickets
            .Where(t => t.CustomerId == customer.Id && t.Channel == TicketChannel.Chat && t.ChatEndedAt == null
                && (t.Status == TicketStatus.New || t.Status == TicketStatus.Assigned || t.Status == TicketStatus.WaitingOnCustomer))
            .OrderByDescending(t => t.Id).Select(t => (long?)t.Number).FirstOrDefaultAsync(ct);
        var (open, online) = await AvailabilityAsync(site, db, clock, ct);
        return TypedResults.Ok(new WidgetSession(token, visitorId, visitor.ExternalUserId is not null, site.Name, open, online, openChat));
    }

    private static async Task<Results<Ok<WidgetStatus>, ValidationProblem>> Status(string? siteKey, IOptionsMonitor<ChatOptions> options, HelpdeskDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var site = options.CurrentValue.FindSite(siteKey);
        if (site is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["siteKey"] = ["No site is configured with this key."] });
        var (open, online) = await AvailabilityAsync(site, db, clock, ct);
        return TypedResults.Ok(new WidgetStatus(open, online, !open || !online));
    }

    /// <summary>离线留言: with nobody online or outside hours the visitor leaves a message, answered by email.</summary>
    private static async Task<Results<Created<PublicTicketReceipt>, ValidationProblem>> LeaveMessage(OfflineMessageRequest body, HttpContext http,
        ChatCustomers customers, TicketService tickets, HelpdeskDbContext db, IOptionsMonitor<ChatOptions> options, CancellationToken ct)
    {
        var visitor = http.User.AsVisitor()!;
        var v = new RequestValidation().Text("name", body.Name, 100).Text("email", body.Email, 256).Text("text", body.Text, TicketLimits.BodyMax);
        if (!string.IsNullOrWhiteSpace(body.Email) && !System.Net.Mail.MailAddress.TryCreate(body.Email, out _))
            v.Add("email", "'email' is not an email address.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var customer = await customers.ResolveAsync(visitor, body.Name, body.Email, ct);
        var site = options.CurrentValue.FindSite(visitor.SiteKey);
        var teamId = await db.Teams.Where(t => t.Key == site!.TeamKey).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct);
        var text = body.Text!.Trim();
        var subject = "离线留言 Offline message: " + (text.Length > 60 ? text[..60] + "…" : text);
        var ticket = await tickets.CreateAsync(new NewTicket(subject, TicketType.Inquiry, TicketChannel.Email,
            Description: $"{text}\n\n— {body.Name!.Trim()} <{body.Email!.Trim()}>", CustomerId: customer.Id, TeamId: teamId, Tags: ["离线留言"]),
            Actor.Customer(customer.Id, customer.Name), ct);
        return TypedResults.Created($"/api/tickets/{ticket.Number}", new PublicTicketReceipt(ticket.Number, ticket.Subject));
    }

    private static async Task<(bool Open, bool AgentsOnline)> AvailabilityAsync(ChatSiteOptions site, HelpdeskDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var open = site.BusinessHours().IsOpen(clock.GetUtcNow());
        var teamId = await db.Teams.Where(t => t.Key == site.TeamKey).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct);
        var online = teamId is { } team && (await ChatDispatcher.AvailabilityAsync(db, team, ct)).Values.Any(a => a.Presence == PresenceStatus.Online);
        return (open, online);
    }
}
