using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Helpdesk.Web.Tests.Fixtures;

/// <summary>
/// A real SMTP server on 127.0.0.1 (Debian's python3-aiosmtpd) on its own, without Dovecot (see SmtpSink), that writes every accepted mail
/// into a Maildir the test reads. A missing aiosmtpd fails the test (never skips).
/// </summary>
public sealed class StandaloneSmtpSink : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private StandaloneSmtpSink(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public static async Task<StandaloneSmtpSink> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("helpdesk-smtp-").FullName;
        foreach (var sub in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(Path.Combine(folder, sub));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", folder])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("python3 -m aiosmtpd did not start; install python3-aiosmtpd (scripts/test.sh does).");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"aiosmtpd exited: {await process.StandardError.ReadToEndAsync()} (install python3-aiosmtpd)");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
        return new StandaloneSmtpSink(process, folder, port);
    }

    public IReadOnlyList<MimeMessage> Messages() =>
        Directory.GetFiles(Path.Combine(_folder, "new")).Concat(Directory.GetFiles(Path.Combine(_folder, "cur")))
            .Select(f => MimeMessage.Load(f)).ToList();

    public async ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
