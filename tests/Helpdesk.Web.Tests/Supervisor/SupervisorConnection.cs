using System.Text.Json.Serialization;
using System.Threading.Channels;
using Helpdesk.Web.Supervisor;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Supervisor;

/// <summary>A real SignalR client of /hubs/supervisor that records every snapshot pushed to it.</summary>
public sealed class SupervisorConnection : IAsyncDisposable
{
    private readonly Channel<DashboardSnapshot> _snapshots = Channel.CreateUnbounded<DashboardSnapshot>();

    private SupervisorConnection(HubConnection hub)
    {
        Hub = hub;
        Hub.On<DashboardSnapshot>(nameof(ISupervisorClient.Snapshot), s => _snapshots.Writer.TryWrite(s));
    }

    public HubConnection Hub { get; }

    /// <summary>Every snapshot received so far, in order of arrival.</summary>
    public List<DashboardSnapshot> All { get; } = [];

    public static async Task<SupervisorConnection> ConnectAsync(HelpdeskServer server, StaffClient staff)
    {
        var connection = new SupervisorConnection(Build(server, staff, skipNegotiation: true));
        await connection.Hub.StartAsync();
        return connection;
    }

    /// <summary>A connection that negotiates first, so a refusal comes back as an HTTP status.</summary>
    public static HubConnection Build(HelpdeskServer server, StaffClient staff, bool skipNegotiation) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/supervisor"), o =>
            {
                o.Cookies = staff.Cookies;
                if (skipNegotiation)
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                }
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();

    /// <summary>Waits for the next snapshot that matches, skipping others (10 s, never a sleep).</summary>
    public async Task<DashboardSnapshot> NextAsync(Func<DashboardSnapshot, bool> match, string what, int timeoutSeconds = 10)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            while (true)
            {
                var snapshot = await _snapshots.Reader.ReadAsync(cts.Token);
                All.Add(snapshot);
                if (match(snapshot)) return snapshot;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No snapshot with {what} arrived within {timeoutSeconds} s; the last had sequence {All.LastOrDefault()?.Sequence}.");
        }
    }

    public async ValueTask DisposeAsync() => await Hub.DisposeAsync();
}
