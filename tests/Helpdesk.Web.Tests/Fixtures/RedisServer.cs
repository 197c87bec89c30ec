using System.Diagnostics;

namespace Helpdesk.Web.Tests.Fixtures;

/// <summary>
/// A throwaway Redis (Debian's redis-server) on 127.0.0.1 and a free port, nothing saved to disk,
/// killed on dispose. A missing redis-server fails the test (scripts/test.sh installs it).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false";

    public static async Task<RedisServer> StartAsync()
    {
        var port = DovecotServer.FreePort();
        var server = new RedisServer(await LaunchAsync(port), port);
        return server;
    }

    /// <summary>Kills the server and starts it again on the same port (a Redis restart, for fault tests).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        _process = await LaunchAsync(Port);
    }

    private static async Task<Process> LaunchAsync(int port)
    {
        const string binary = "/usr/bin/redis-server";
        if (!File.Exists(binary))
            throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server; scripts/test.sh installs it). The scale-out tests need a real Redis.");
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" })
            info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await DovecotServer.WaitForPortAsync(port, () => { lock (output) return "redis-server: " + output; });
        return process;
    }

    private async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
