using System.Text.Json.Serialization;
using Helpdesk.Web.Chat;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helpdesk.Bench.Chat;

/// <summary>The baseline: a bare SignalR hub that forwards each message to the agent's group and acks. No storage, no routing, no auth.</summary>
public sealed class EchoHub : Hub
{
    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);

    public async Task<int> Send(string group, string clientMessageId, string body)
    {
        await Clients.Group(group).SendAsync("Message", clientMessageId, body);
        return 1;
    }
}

public sealed class EchoChatTarget : IAsyncDisposable
{
    private WebApplication _app = null!;
    private readonly List<HubConnection> _connections = [];
    public ChatLoadResult? Current { get; set; }
    public List<Func<string, string, Task<bool>>> Customers { get; } = [];

    public async Task StartAsync(int customers, int agents)
    {
        var builder = WebApplication.CreateBuilder(["--urls=http://127.0.0.1:0"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSignalR();
        _app = builder.Build();
        _app.MapHub<EchoHub>("/hubs/echo");
        await _app.StartAsync();
        var baseUri = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var agentHubs = new List<HubConnection>();
        for (var a = 0; a < agents; a++)
        {
            var hub = Connect(baseUri);
            hub.On<string, string>("Message", (id, body) => Current?.Receive(id, body));
            await hub.StartAsync();
            agentHubs.Add(hub);
        }
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(Enumerable.Range(0, customers).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var group = $"conversation-{i}";
                await agentHubs[i % agents].InvokeAsync(nameof(EchoHub.Join), group);
                var hub = Connect(baseUri);
                await hub.StartAsync();
                lock (Customers)
                    Customers.Add(async (id, body) => await hub.InvokeAsync<int>(nameof(EchoHub.Send), group, id, body) > 0);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private HubConnection Connect(Uri baseUri)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, "/hubs/echo"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .Build();
        lock (_connections) _connections.Add(hub);
        return hub;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hub in _connections) await hub.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
