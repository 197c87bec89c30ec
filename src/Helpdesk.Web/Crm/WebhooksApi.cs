using Hangfire;
using Helpdesk.Core.Crm;
using Helpdesk.Data;
using Helpdesk.Web.Audit;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Crm;

public sealed record WebhookRequest(string? Url, string? Secret, List<string>? Events, bool? Active);
public sealed record WebhookView(int Id, string Url, IReadOnlyList<string> Events, bool Active, DateTime CreatedAt, int Pending, int Failed, int Delivered);
public sealed record DeliveryView(Guid Id, string Event, WebhookDeliveryStatus Status, DateTime CreatedAt, int Attempts, DateTime? LastAttemptAt,
    int? LastStatusCode, string? LastError, DateTime? NextAttemptAt, DateTime? DeliveredAt);

/// <summary>/api/admin/webhooks: subscriptions (URL, secret, events) and each one's delivery log.</summary>
public static class WebhooksApi
{
    public const int SecretMinLength = 16;

    public static void MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/admin/webhooks").WithTags("CRM admin").RequireAuthorization(StaffPolicies.Admin).AddEndpointFilter<AntiforgeryFilter>().Audited();
        api.MapGet("/", List);
        api.MapGet("/events", () => TypedResults.Ok(WebhookEvents.All));
        api.MapPost("/", Create);
        api.MapPut("/{id:int}", Update);
        api.MapDelete("/{id:int}", Delete);
        api.MapGet("/{id:int}/deliveries", Deliveries);
        api.MapPost("/{id:int}/deliveries/{deliveryId:guid}/retry", Retry);
    }

    private static async Task<Ok<List<WebhookView>>> List(HelpdeskDbContext db, CancellationToken ct)
    {
        var subs = await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct);
        var counts = await db.WebhookDeliveries.GroupBy(d => new { d.SubscriptionId, d.Status }).Select(g => new { g.Key.SubscriptionId, g.Key.Status, N = g.Count() }).ToListAsync(ct);
        int Count(int id, params WebhookDeliveryStatus[] s) => counts.Where(c => c.SubscriptionId == id && s.Contains(c.Status)).Sum(c => c.N);
        return TypedResults.Ok(subs.Select(s => new WebhookView(s.Id, s.Url, s.Events.Split(',', StringSplitOptions.RemoveEmptyEntries), s.Active, s.CreatedAt,
            Count(s.Id, WebhookDeliveryStatus.Pending, WebhookDeliveryStatus.Sending), Count(s.Id, WebhookDeliveryStatus.Failed), Count(s.Id, WebhookDeliveryStatus.Delivered))).ToList());
    }

    private static RequestValidation Check(WebhookRequest r, bool creating)
    {
        var v = new RequestValidation().Text("url", r.Url, 2000, required: creating);
        if (r.Url is { Length: > 0 } && (!Uri.TryCreate(r.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            v.Add("url", "An absolute http(s) URL.");
        if (creating || r.Secret is not null)
        {
            if (r.Secret is null || r.Secret.Length < SecretMinLength || r.Secret.Length > 200)
                v.Add("secret", $"A secret of {SecretMinLength}-200 characters signs the deliveries.");
        }
        if (creating || r.Events is not null)
        {
            if (r.Events is not { Count: > 0 }) v.Add("events", $"Choose events: {string.Join(", ", WebhookEvents.All)}.");
            foreach (var e in r.Events ?? [])
                if (!WebhookEvents.All.Contains(e)) v.Add("events", $"'{e}' is not an event ({string.Join(", ", WebhookEvents.All)}).");
        }
        return v;
    }

    private static async Task<Results<Created<WebhookView>, ValidationProblem>> Create(WebhookRequest r, HelpdeskDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken ct)
    {
        var v = Check(r, creating: true);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var s = new WebhookSubscription { Url = r.Url!, Secret = r.Secret!, Events = string.Join(',', r.Events!.Distinct()), Active = r.Active ?? true, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.WebhookSubscriptions.Add(s);
        await db.SaveChangesAsync(ct);
        audit.Record("webhook.created", "webhook", s.Id, new { url = AuditDetails.SafeUrl(s.Url), events = r.Events!.Distinct(), active = s.Active });
        return TypedResults.Created($"/api/admin/webhooks/{s.Id}", new WebhookView(s.Id, s.Url, r.Events!.Distinct().ToList(), s.Active, s.CreatedAt, 0, 0, 0));
    }

    private static async Task<Results<NoContent, NotFound, ValidationProblem>> Update(int id, WebhookRequest r, HelpdeskDbContext db, AuditTrail audit, CancellationToken ct)
    {
        var v = Check(r, creating: false);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var s = await db.WebhookSubscriptions.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return TypedResults.NotFound();
        // A changed secret is recorded as changed, never with its value; URLs without their query (it may hold a token).
        var urlChanged = r.Url is not null && r.Url != s.Url;
        var eventsChanged = r.Events is not null && string.Join(',', r.Events.Distinct()) != s.Events;
        var activeChanged = r.Active is { } a && a != s.Active;
        var signingKeyRotated = r.Secret is not null && r.Secret != s.Secret;
        if (urlChanged || eventsChanged || activeChanged || signingKeyRotated)
            audit.Record("webhook.updated", "webhook", s.Id, new
            {
                url = urlChanged ? new { from = AuditDetails.SafeUrl(s.Url), to = AuditDetails.SafeUrl(r.Url) } : null,
                events = eventsChanged ? new { from = s.Events.Split(','), to = r.Events!.Distinct() } : null,
                active = activeChanged ? new { from = s.Active, to = r.Active } : null,
                signingKeyRotated = signingKeyRotated ? true : (bool?)null,
            });
        else audit.Unchanged();
        if (r.Url is not null) s.Url = r.Url;
        if (r.Secret is not null) s.Secret = r.Secret;
        if (r.Events is not null) s.Events = string.Join(',', r.Events.Distinct());
        if (r.Active is { } active) s.Active = active;
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound>> Delete(int id, HelpdeskDbContext db, AuditTrail audit, CancellationToken ct)
    {
        var s = await db.WebhookSubscriptions.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return TypedResults.NotFound();
        audit.Record("webhook.deleted", "webhook", s.Id, new { url = AuditDetails.SafeUrl(s.Url), events = s.Events.Split(',') });
        // The deliveries go with it (cascade in the database), in the same save as the entry.
        db.WebhookSubscriptions.Remove(s);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<List<DeliveryView>>, ValidationProblem>> Deliveries(int id, string? status, string? limit, HelpdeskDbContext db, CancellationToken ct)
    {
        var v = new RequestValidation();
        var st = v.Enum<WebhookDeliveryStatus>("status", status);
        var take = limit is null ? 100 : v.Int("limit", limit, 1, 500);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var q = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id);
        if (st is { } s) q = q.Where(d => d.Status == s);
        var rows = await q.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(take!.Value).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(d => new DeliveryView(d.Id, d.Event, d.Status, d.CreatedAt, d.Attempts, d.LastAttemptAt, d.LastStatusCode, d.LastError,
            d.NextAttemptAt, d.DeliveredAt)).ToList());
    }

    /// <summary>A failed delivery tried again by hand (its 24-hour window starts over).</summary>
    private static async Task<Results<Accepted, NotFound>> Retry(int id, Guid deliveryId, HelpdeskDbContext db, TimeProvider clock, IBackgroundJobClient jobs, AuditTrail audit, CancellationToken ct)
    {
        var d = await db.WebhookDeliveries.SingleOrDefaultAsync(x => x.Id == deliveryId && x.SubscriptionId == id, ct);
        if (d is null) return TypedResults.NotFound();
        audit.Record("webhook.delivery_retried", "webhook_delivery", d.Id, new { webhookId = id, @event = d.Event, status = d.Status });
        if (d.Status == WebhookDeliveryStatus.Failed)
        {
            d.Status = WebhookDeliveryStatus.Pending;
            d.CreatedAt = clock.GetUtcNow().UtcDateTime;
            d.NextAttemptAt = d.CreatedAt;
            await db.SaveChangesAsync(ct);
        }
        jobs.Enqueue<WebhookDeliveryJob>(j => j.RunAsync(deliveryId, CancellationToken.None));
        return TypedResults.Accepted($"/api/admin/webhooks/{id}/deliveries");
    }
}
