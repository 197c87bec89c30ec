using System.Net;
using System.Net.Sockets;

namespace Helpdesk.Web.Tests.Fixtures;

/// <summary>
/// A layer-4 load balancer on 127.0.0.1 and a free port: each accepted TCP connection is forwarded
/// to one backend, chosen round-robin (or <see cref="Pin"/>ned by the test), skipping backends that
/// refuse the connection. No stickiness and no HTTP awareness: a WebSocket is just a long TCP
/// connection, and an HTTP keep-alive connection stays with the node it first reached, as with a
/// TCP balancer in production. When a backend dies, its forwarded connections are cut both ways.
/// </summary>
public sealed class TcpBalancer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IReadOnlyList<IPEndPoint> _backends;
    private readonly CancellationTokenSource _stop = new();
    private readonly int[] _accepted, _open;
    private readonly Task _accepting;
    private int _next = -1;
    private int _refused;

    private TcpBalancer(IReadOnlyList<int> backendPorts)
    {
        _backends = backendPorts.Select(p => new IPEndPoint(IPAddress.Loopback, p)).ToList();
        _accepted = new int[_backends.Count];
        _open = new int[_backends.Count];
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public static TcpBalancer Start(params int[] backendPorts) => new(backendPorts);

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>When set, new connections go to this backend first (then on round-robin if it refuses).</summary>
    public int? Pin { get; set; }

    /// <summary>Connections forwarded to each backend so far.</summary>
    public int Accepted(int backend) => Volatile.Read(ref _accepted[backend]);

    /// <summary>Connections to each backend open now.</summary>
    public int Open(int backend) => Volatile.Read(ref _open[backend]);

    /// <summary>Connection attempts to a backend that refused (a dead node), skipped to the next.</summary>
    public int Refused => Volatile.Read(ref _refused);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        client.NoDelay = true;
        var first = Pin ?? (int)((uint)Interlocked.Increment(ref _next) % (uint)_backends.Count);
        for (var i = 0; i < _backends.Count; i++)
        {
            var index = (first + i) % _backends.Count;
            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(2));
                await server.ConnectAsync(_backends[index], connectTimeout.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                server.Dispose();
                Interlocked.Increment(ref _refused);
                continue;
            }
            Interlocked.Increment(ref _accepted[index]);
            Interlocked.Increment(ref _open[index]);
            try
            {
                await Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client));
            }
            finally
            {
                Interlocked.Decrement(ref _open[index]);
                server.Dispose();
                client.Dispose();
            }
            return;
        }
        // No backend alive: the client sees its connection closed, as behind a real balancer.
        client.Dispose();
    }

    /// <summary>
    /// Copies one direction. The end of the stream is passed on as a half-close; a reset (the node
    /// killed with unread data, or the peer gone) closes both sides at once.
    /// </summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Linger 0: the other side gets a reset, not a polite end it might wait on.
            TryReset(from);
            TryReset(to);
        }
    }

    private static void TryReset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
