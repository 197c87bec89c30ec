using System.Diagnostics;
using System.Text;

namespace Helpdesk.Web.Tests.Fixtures;

/// <summary>
/// The app as an operating-system process of its own (<c>dotnet Helpdesk.Web.dll</c> from the test's
/// output folder, where the project reference puts it with its runtimeconfig), configured by
/// command-line settings, so that a fault test can kill it with SIGKILL: no shutdown hook, no
/// finishing writes, sockets cut by the kernel. Its output is kept for failure messages; dispose
/// always kills what is left.
/// </summary>
public sealed class AppNodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _folder;

    private AppNodeProcess(string name, Process process, int port, string folder)
    {
        Name = name;
        _process = process;
        Port = port;
        _folder = folder;
    }

    public string Name { get; }
    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Starts a node and waits until /healthz answers 200.</summary>
    /// <param name="settings">"Key=Value" configuration, passed as <c>--Key=Value</c>.</param>
    public static async Task<AppNodeProcess> StartAsync(string name, IEnumerable<string> settings, TimeSpan? timeout = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Helpdesk.Web.dll");
        if (!File.Exists(dll) || !File.Exists(Path.Combine(AppContext.BaseDirectory, "Helpdesk.Web.runtimeconfig.json")))
            throw new InvalidOperationException($"Helpdesk.Web.dll and its runtimeconfig are not beside the tests ({AppContext.BaseDirectory}); build tests/Helpdesk.Web.Tests.");
        var port = DovecotServer.FreePort();
        var folder = Directory.CreateTempSubdirectory("helpdesk-node-").FullName;
        var info = new ProcessStartInfo(DotnetHost())
        {
            // The binaries' folder holds appsettings.json: the content root a deployed node has.
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in new[]
                 {
                     $"--urls=http://127.0.0.1:{port}", "--environment=Testing",
                     $"--Attachments:Root={Path.Combine(folder, "attachments")}",
                     "--Logging:LogLevel:Default=Warning",
                 }.Concat(settings.Select(s => "--" + s)))
            info.ArgumentList.Add(arg);
        // The test host's own settings (a test database choice, ASP.NET variables) are not the node's.
        info.Environment.Remove("HELPDESK_TEST_DATABASE");
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");

        var node = new AppNodeProcess(name, Process.Start(info)!, port, folder);
        node._process.OutputDataReceived += (_, e) => node.Append(e.Data);
        node._process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        try
        {
            await node.WaitHealthyAsync(timeout ?? TimeSpan.FromSeconds(90));
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
            if (_output.Length < 200_000) _output.AppendLine(line);
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + timeout;
        var last = "no answer yet";
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Node {Name} exited with {_process.ExitCode} before it was healthy. Its output:\n{Output}");
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode) return;
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Node {Name} was not healthy within {timeout.TotalSeconds} s (last: {last}). Its output:\n{Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// kill -9: Process.Kill sends SIGKILL on Linux. Returns the exit code the OS reports (128 + 9 = 137
    /// for a process killed by SIGKILL), so the test can show it was not a clean stop.
    /// </summary>
    public async Task<int> KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    private static string DotnetHost() =>
        // Set by `dotnet test` for child processes; the test host itself runs under that dotnet.
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
