using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Helpdesk.Web.Crm;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helpdesk.Web.Tests.Crm;

/// <summary>One webhook request as the CRM received it, with its signature checked by the test's own HMAC code.</summary>
public sealed record ReceivedHook(string DeliveryId, string Event, string Body, bool SignatureValid);

/// <summary>
/// The company CRM's webhook endpoint: a small Kestrel app on 127.0.0.1 that checks the
/// X-Helpdesk-Signature with its own HMAC-SHA256 code (not the app's) and records what came.
/// It can be stopped and started again on the same port (a CRM that was down).
/// </summary>
public sealed class CrmReceiver : IAsyncDisposable
{
    private WebApplication? _app;
    public ConcurrentQueue<ReceivedHook> Received { get; } = new();
    public string Secret { get; } = "test-secret-" + Guid.NewGuid().ToString("N");
    public int Port { get; private set; }
    public string Url => $"http://127.0.0.1:{Port}/hooks";
    /// <summary>When set, requests hang until the sender gives up (a CRM that stalls mid-delivery).</summary>
    public bool Hang { get; set; }
    public int Requests => _requests;
    private int _requests;

    public async Task StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _app = builder.Build();
        _app.MapPost("/hooks", async (HttpContext http) =>
        {
            Interlocked.Increment(ref _requests);
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            if (Hang)
            {
                try { await Task.Delay(Timeout.Infinite, http.RequestAborted); } catch (OperationCanceledException) { }
                return Results.StatusCode(503);
            }
            var id = http.Request.Headers["X-Helpdesk-Delivery"].ToString();
            var timestamp = http.Request.Headers["X-Helpdesk-Timestamp"].ToString();
            var signature = http.Request.Headers["X-Helpdesk-Signature"].ToString();
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{timestamp}.{id}.{body}")));
            Received.Enqueue(new ReceivedHook(id, http.Request.Headers["X-Helpdesk-Event"].ToString(), body, signature == expected));
            return Results.Ok();
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public async Task<ReceivedHook> WaitForAsync(Func<ReceivedHook, bool> match, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            if (Received.FirstOrDefault(match) is { } hit) return hit;
            await Task.Delay(50);
        }
        throw new TimeoutException($"The CRM receiver got no {what} within 30 s; it got: {string.Join(", ", Received.Select(r => r.Event))}.");
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

public static class CrmClient
{
    /// <summary>An API key issued by the demo admin; the secret is only in this answer.</summary>
    public static async Task<IssuedApiKey> IssueKeyAsync(this HelpdeskServer server, string scope, string? name = null)
    {
        var admin = await server.StaffAsync(Demo.Admin);
        var response = await admin.Http.PostAsJsonAsync("/api/admin/api-keys", new { name = name ?? $"crm {scope}", scope });
        await response.ShouldBeAsync(HttpStatusCode.Created);
        return await response.ReadAsync<IssuedApiKey>();
    }

    public static HttpClient CrmHttp(this HelpdeskServer server, string? key)
    {
        var http = new HttpClient { BaseAddress = server.BaseAddress };
        if (key is not null) http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return http;
    }

    public static async Task<int> SubscribeAsync(this HelpdeskServer server, CrmReceiver receiver, params string[] events)
    {
        var admin = await server.StaffAsync(Demo.Admin);
        var response = await admin.Http.PostAsJsonAsync("/api/admin/webhooks", new { url = receiver.Url, secret = receiver.Secret, events });
        await response.ShouldBeAsync(HttpStatusCode.Created);
        return (await response.ReadAsync<WebhookView>()).Id;
    }

    public static async Task<List<DeliveryView>> DeliveriesAsync(this HelpdeskServer server, int subscriptionId)
    {
        var admin = await server.StaffAsync(Demo.Admin);
        return (await admin.Http.GetFromJsonAsync<List<DeliveryView>>($"/api/admin/webhooks/{subscriptionId}/deliveries", TestJson.Options))!;
    }

    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Waited 30 s for {what}.");
    }

    public static HttpContent Csv(string text, bool bom = true) =>
        new ByteArrayContent([.. (bom ? Encoding.UTF8.GetPreamble() : []), .. Encoding.UTF8.GetBytes(text)]) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } };
}
