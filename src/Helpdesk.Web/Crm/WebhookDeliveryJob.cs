using System.Text;
using System.Text.Json;
using Hangfire;
using Helpdesk.Core.Crm;
using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Crm;

/// <summary>
/// One try of one webhook delivery (a Hangfire job). The try is claimed on the row first (status
/// Sending with a lease, attempts as concurrency token), so a second job for the same delivery —
/// queued again by the sweep after a restart — does not send it at the same time. A failed try
/// schedules the next one with exponential backoff until the 24-hour window is spent.
/// Delivery is at-least-once: a crash after the receiver answered and before the row is written
/// sends it again, with the same X-Helpdesk-Delivery id, which receivers dedupe on.
/// </summary>
[AutomaticRetry(Attempts = 0, LogEvents = false)]
public sealed class WebhookDeliveryJob(HelpdeskDbContext db, IHttpClientFactory http, IBackgroundJobClient jobs, TimeProvider clock,
    IOptions<CrmOptions> options, ILogger<WebhookDeliveryJob> log)
{
    public const string HttpClientName = "webhooks";
    public const string SignatureHeader = "X-Helpdesk-Signature";
    public const string TimestampHeader = "X-Helpdesk-Timestamp";
    public const string DeliveryHeader = "X-Helpdesk-Delivery";
    public const string EventHeader = "X-Helpdesk-Event";

    public async Task RunAsync(Guid deliveryId, CancellationToken ct)
    {
        var row = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (row is null || row.Status is WebhookDeliveryStatus.Delivered or WebhookDeliveryStatus.Failed
            || (row.Status == WebhookDeliveryStatus.Sending && row.LeaseUntil > now))
            return;
        var subscription = await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == row.SubscriptionId, ct);
        row.Payload ??= await ComposeAsync(row, ct);
        row.Attempts++;
        row.Status = WebhookDeliveryStatus.Sending;
        row.LeaseUntil = now + options.Value.SendLease;
        row.LastAttemptAt = now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return; // another job claimed this try
        }

        if (subscription is null || !subscription.Active)
        {
            await FinishAsync(row, WebhookDeliveryStatus.Failed, null, "The subscription was removed or paused.");
            return;
        }
        try
        {
            var body = row.Payload;
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add(DeliveryHeader, row.Id.ToString());
            request.Headers.Add(EventHeader, row.Event);
            request.Headers.Add(TimestampHeader, timestamp.ToString());
            request.Headers.Add(SignatureHeader, WebhookSignature.Sign(subscription.Secret, timestamp, row.Id, body));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.SendTimeout);
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                row.DeliveredAt = clock.GetUtcNow().UtcDateTime;
                await FinishAsync(row, WebhookDeliveryStatus.Delivered, (int)response.StatusCode, null);
                return;
            }
            await FailAsync(row, (int)response.StatusCode, $"The receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            await FailAsync(row, null, e.Message);
        }
    }

    private async Task FailAsync(WebhookDelivery row, int? status, string error)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var next = WebhookRetry.NextAttempt(row.Attempts, row.CreatedAt, now, o.RetryFirstDelay, o.RetryMaxDelay, o.RetryWindow);
        row.NextAttemptAt = next;
        await FinishAsync(row, next is null ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending, status, error);
        log.LogWarning("Webhook delivery {Id} ({Event}) try {Attempt} failed: {Error}; {Next}", row.Id, row.Event, row.Attempts, error,
            next is null ? "giving up" : $"next try at {next:O}");
        if (next is { } at)
            jobs.Schedule<WebhookDeliveryJob>(j => j.RunAsync(row.Id, CancellationToken.None), at - now);
    }

    private async Task FinishAsync(WebhookDelivery row, WebhookDeliveryStatus status, int? code, string? error)
    {
        row.Status = status;
        row.LeaseUntil = null;
        row.LastStatusCode = code;
        row.LastError = error is { Length: > 1000 } ? error[..1000] : error;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>The body of a customer event, composed at its first try (a new customer's id exists only after the insert) and kept for the retries.</summary>
    private async Task<string> ComposeAsync(WebhookDelivery row, CancellationToken ct)
    {
        object? data = null;
        if (row.CustomerId is { } id)
            data = await CrmCustomers.RecordAsync(db, id, ct);
        return CrmChangeInterceptor.Envelope(row.Id, row.Event, row.CreatedAt, data);
    }
}

/// <summary>
/// Queues undelivered outbox rows whose job is gone: all at start-up (the in-memory job store
/// forgets its jobs on a restart), then every Crm:SweepInterval those whose next try is overdue
/// or whose sending node died (lease expired).
/// </summary>
public sealed class WebhookDispatcher(IServiceScopeFactory scopes, IBackgroundJobClient jobs, TimeProvider clock, IOptions<CrmOptions> options,
    ILogger<WebhookDispatcher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var startUp = true;
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        do
        {
            try
            {
                var queued = await SweepAsync(startUp, ct);
                if (queued > 0) log.LogInformation("Queued {Count} undelivered webhook deliveries again", queued);
                startUp = false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "The webhook outbox sweep failed");
            }
        } while (await timer.WaitForNextTickAsync(ct));
    }

    public async Task<int> SweepAsync(bool everything, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        // Overdue by a sweep interval: its scheduled job would have run by now.
        var overdue = now - options.Value.SweepInterval;
        var ids = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => (d.Status == WebhookDeliveryStatus.Pending && (everything || d.NextAttemptAt <= overdue))
                        || (d.Status == WebhookDeliveryStatus.Sending && d.LeaseUntil < now))
            .OrderBy(d => d.CreatedAt).Select(d => d.Id).Take(10_000).ToListAsync(ct);
        foreach (var id in ids)
            jobs.Enqueue<WebhookDeliveryJob>(j => j.RunAsync(id, CancellationToken.None));
        return ids.Count;
    }
}
