using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Helpdesk.Web.Chat;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Fixtures;

/// <summary>
/// A real SignalR client over WebSockets, recording every push it receives so a test can wait
/// for the one it expects (with a timeout, never a sleep).
/// </summary>
public sealed class ChatConnection : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Channel<object>> _inbox = new();

    private ChatConnection(HubConnection hub)
    {
        Hub = hub;
        Listen<ChatMessage>(nameof(IChatClient.Message));
        Listen<TypingNotice>(nameof(IChatClient.Typing));
        Listen<ReadNotice>(nameof(IChatClient.Read));
        Listen<QueueNotice>(nameof(IChatClient.Queue));
        Listen<AgentJoinedNotice>(nameof(IChatClient.AgentJoined));
        Listen<ChatEndedNotice>(nameof(IChatClient.ChatEnded));
        Listen<ChatOfferNotice>(nameof(IChatClient.Offer));
        Listen<long>(nameof(IChatClient.OfferWithdrawn));
        Listen<ChatAssignedNotice>(nameof(IChatClient.ChatAssigned));
        Listen<long>(nameof(IChatClient.ChatUnassigned));
        Listen<TicketStatusNotice>(nameof(IChatClient.TicketStatus));
        Listen<PresenceNotice>(nameof(IChatClient.Presence));
        Listen<Helpdesk.Web.Escalation.EscalationNotice>(nameof(IChatClient.Escalation));
    }

    public HubConnection Hub { get; }
    public string? VisitorToken { get; private set; }

    private void Listen<T>(string name)
    {
        var channel = _inbox.GetOrAdd(name, _ => Channel.CreateUnbounded<object>());
        Hub.On<T>(name, value => channel.Writer.TryWrite(value!));
    }

    /// <summary>Waits for the next push of this kind that matches, skipping others.</summary>
    public async Task<T> NextAsync<T>(string name, Func<T, bool>? match = null, int timeoutSeconds = 10)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var reader = _inbox[name].Reader;
        try
        {
            while (true)
            {
                var value = (T)await reader.ReadAsync(cts.Token);
                if (match is null || match(value)) return value;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {name} push arrived within {timeoutSeconds} s.");
        }
    }

    /// <summary>Everything of this kind received so far, without waiting.</summary>
    public List<T> Received<T>(string name)
    {
        var list = new List<T>();
        while (_inbox[name].Reader.TryRead(out var v)) list.Add((T)v);
        return list;
    }

    public static Task<ChatConnection> VisitorAsync(HelpdeskServer server, string siteKey = "demo", string? token = null, string? origin = null) =>
        VisitorAsync(server.BaseAddress, siteKey, token, origin);

    /// <param name="reconnect">Automatic reconnect as the widget does it; none by default.</param>
    public static async Task<ChatConnection> VisitorAsync(Uri baseAddress, string siteKey = "demo", string? token = null, string? origin = null,
        IRetryPolicy? reconnect = null)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/widget/sessions") { Content = JsonContent.Create(new { siteKey, visitorToken = token }) };
        if (origin is not null) request.Headers.Add("Origin", origin);
        var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var session = (await response.Content.ReadFromJsonAsync<WidgetSession>())!;
        var connection = new ChatConnection(Build(baseAddress, o =>
        {
            o.AccessTokenProvider = () => Task.FromResult<string?>(session.VisitorToken);
            if (origin is not null) o.Headers["Origin"] = origin;
        }, reconnect));
        connection.VisitorToken = session.VisitorToken;
        await connection.Hub.StartAsync();
        return connection;
    }

    public static Task<ChatConnection> StaffAsync(HelpdeskServer server, StaffClient staff) => StaffAsync(server.BaseAddress, staff);

    public static async Task<ChatConnection> StaffAsync(Uri baseAddress, StaffClient staff, IRetryPolicy? reconnect = null)
    {
        var connection = new ChatConnection(Build(baseAddress, o => o.Cookies = staff.Cookies, reconnect));
        await connection.Hub.StartAsync();
        return connection;
    }

    // WebSockets without the negotiate round trip: one TCP connection per hub connection, so a
    // balancer without sticky sessions cannot split the negotiate and the socket across nodes.
    private static HubConnection Build(Uri baseAddress, Action<HttpConnectionOptions> configure, IRetryPolicy? reconnect)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/chat"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                configure(o);
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        if (reconnect is not null) builder.WithAutomaticReconnect(reconnect);
        return builder.Build();
    }

    public async ValueTask DisposeAsync() => await Hub.DisposeAsync();
}
