using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Helpdesk.Web.Tests.Fixtures;

/// <summary>
/// A throwaway Dovecot IMAP server on 127.0.0.1 (Debian's dovecot-imapd), everything in one temp
/// folder: its own config, a passwd file with the given users (password <see cref="Password"/>),
/// Maildirs owned by the dovecot user (Dovecot refuses root for mail). Shared by the tests and the
/// mail bench. A missing binary fails loudly: the tests never skip.
/// </summary>
public sealed class DovecotServer : IAsyncDisposable
{
    public const string Password = "secret-Pa55";

    private DovecotServer(string folder, int port, int uid, int gid)
    {
        Folder = folder;
        Port = port;
        Uid = uid;
        Gid = gid;
    }

    public string Host => "127.0.0.1";
    public int Port { get; }
    public string Folder { get; }
    public int Uid { get; }
    public int Gid { get; }

    /// <summary>The Maildir of a user (created at start, owned by dovecot).</summary>
    public string MaildirOf(string user) => Path.Combine(Folder, "mail", user, "Maildir");

    public static async Task<DovecotServer> StartAsync(params string[] users)
    {
        var binary = new[] { "/usr/sbin/dovecot", "/usr/bin/dovecot" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Dovecot is not installed (apt-get install dovecot-imapd; scripts/test.sh installs it). The email tests need a real IMAP server.");
        var (uid, gid) = SystemUser("dovecot");
        var folder = Directory.CreateTempSubdirectory("helpdesk-dovecot-").FullName;
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("The Dovecot test server runs on Linux.");
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        foreach (var sub in new[] { "run", "state", "mail" })
            Directory.CreateDirectory(Path.Combine(folder, sub));
        var port = FreePort();
        var passwd = string.Join("\n", users.Select(u => $"{u}:{{PLAIN}}{Password}:{uid}:{gid}::{Path.Combine(folder, "mail", u)}")) + "\n";
        await File.WriteAllTextAsync(Path.Combine(folder, "passwd"), passwd);
        await File.WriteAllTextAsync(Path.Combine(folder, "dovecot.conf"), $$"""
            protocols = imap
            listen = 127.0.0.1
            base_dir = {{folder}}/run
            state_dir = {{folder}}/state
            log_path = {{folder}}/dovecot.log
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            mail_location = maildir:~/Maildir
            first_valid_uid = {{uid}}
            default_internal_user = dovecot
            passdb {
              driver = passwd-file
              args = {{folder}}/passwd
            }
            userdb {
              driver = passwd-file
              args = {{folder}}/passwd
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            """);
        foreach (var user in users)
            foreach (var sub in new[] { "tmp", "new", "cur" })
                Directory.CreateDirectory(Path.Combine(folder, "mail", user, "Maildir", sub));
        await RunAsync("chown", "-R", $"{uid}:{gid}", Path.Combine(folder, "mail"));
        // Dovecot forks into the background; its child keeps any pipe open, so nothing is captured here.
        await RunAsync(binary, capture: false, "-c", Path.Combine(folder, "dovecot.conf"));
        var server = new DovecotServer(folder, port, uid, gid);
        await WaitForPortAsync(port, () => File.Exists(Path.Combine(folder, "dovecot.log")) ? File.ReadAllText(Path.Combine(folder, "dovecot.log")) : "");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(Folder, "run", "master.pid");
        if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var pid))
        {
            try
            {
                using var master = Process.GetProcessById(pid);
                // SIGTERM, as `kill` does: the master stops its children before it exits.
                await RunAsync("kill", pid.ToString());
                await master.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            }
            catch (ArgumentException) { } // already gone
            catch (InvalidOperationException) { }
        }
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static (int Uid, int Gid) SystemUser(string name)
    {
        var line = File.ReadAllLines("/etc/passwd").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"There is no '{name}' system user (it comes with dovecot-imapd).");
        var parts = line.Split(':');
        return (int.Parse(parts[2]), int.Parse(parts[3]));
    }

    public static async Task WaitForPortAsync(int port, Func<string> diagnostics, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"Nothing listens on 127.0.0.1:{port}: {e.Message}. {diagnostics()}");
            }
        }
    }

    public static Task RunAsync(string file, params string[] args) => RunAsync(file, true, args);

    public static async Task RunAsync(string file, bool capture, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = capture, RedirectStandardOutput = capture };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = capture ? await process.StandardError.ReadToEndAsync() : "(see its log)";
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error}");
    }
}

/// <summary>
/// A throwaway SMTP server (Debian's python3-aiosmtpd) that delivers every accepted mail into one
/// Maildir of a <see cref="DovecotServer"/> user, so a test reads what the app sent over IMAP.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process _process;

    private SmtpSink(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public string Host => "127.0.0.1";
    public int Port { get; }

    public static async Task<SmtpSink> StartAsync(DovecotServer dovecot, string deliverToUser)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python) || !await HasAiosmtpdAsync(python))
            throw new InvalidOperationException("python3-aiosmtpd is not installed (apt-get install python3-aiosmtpd; scripts/test.sh installs it). The email tests need a real SMTP server.");
        var port = DovecotServer.FreePort();
        var maildir = dovecot.MaildirOf(deliverToUser);
        // As the dovecot user, so the files it writes are readable by Dovecot's mail processes.
        var info = new ProcessStartInfo("runuser") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-u", "dovecot", "--", python, "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir })
            info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await DovecotServer.WaitForPortAsync(port, () => { lock (errors) return "aiosmtpd: " + errors; });
        return new SmtpSink(process, port);
    }

    private static async Task<bool> HasAiosmtpdAsync(string python)
    {
        try
        {
            await DovecotServer.RunAsync(python, "-c", "import aiosmtpd");
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

/// <summary>
/// IMAP APPEND of raw bytes, exactly as given (MailKit appends only messages it has parsed and
/// re-serialised). One connection; LITERAL+ so a batch of mails costs no round trip per mail.
/// </summary>
public sealed class RawImapAppender : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private int _tag;

    private RawImapAppender(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, System.Text.Encoding.Latin1);
    }

    public static async Task<RawImapAppender> ConnectAsync(string host, int port, string user, string password)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(host, port);
        var appender = new RawImapAppender(tcp);
        await appender._reader.ReadLineAsync(); // greeting
        await appender.CommandAsync($"LOGIN \"{user}\" \"{password}\"");
        return appender;
    }

    /// <summary>Appends and returns the new UID (UIDPLUS).</summary>
    public async Task<uint?> AppendAsync(byte[] raw, string folder = "INBOX", string? flags = null)
    {
        var tag = "a" + ++_tag;
        var head = System.Text.Encoding.ASCII.GetBytes($"{tag} APPEND \"{folder}\" {(flags is null ? "" : $"({flags}) ")}{{{raw.Length}+}}\r\n");
        await _stream.WriteAsync(head);
        await _stream.WriteAsync(raw);
        await _stream.WriteAsync("\r\n"u8.ToArray());
        var done = await ReadUntilTaggedAsync(tag);
        var m = System.Text.RegularExpressions.Regex.Match(done, @"APPENDUID \d+ (\d+)");
        return m.Success ? uint.Parse(m.Groups[1].Value) : null;
    }

    public async Task CommandAsync(string command)
    {
        var tag = "a" + ++_tag;
        await _stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"{tag} {command}\r\n"));
        await ReadUntilTaggedAsync(tag);
    }

    private async Task<string> ReadUntilTaggedAsync(string tag)
    {
        while (true)
        {
            var line = await _reader.ReadLineAsync() ?? throw new IOException("The IMAP server closed the connection.");
            if (!line.StartsWith(tag + " ", StringComparison.Ordinal)) continue;
            if (!line.StartsWith(tag + " OK", StringComparison.Ordinal))
                throw new InvalidOperationException("IMAP refused: " + line);
            return line;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await CommandAsync("LOGOUT"); } catch (Exception) { /* closing anyway */ }
        _tcp.Dispose();
    }
}
