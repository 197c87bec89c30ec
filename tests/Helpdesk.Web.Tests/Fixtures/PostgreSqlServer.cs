using Npgsql;

namespace Helpdesk.Web.Tests.Fixtures;

/// <summary>
/// A throwaway PostgreSQL cluster (Debian's postgresql package) on 127.0.0.1 and a free port, owned
/// by the postgres system user, with trust authentication; stopped and deleted on dispose. A missing
/// installation fails the test (scripts/test.sh installs it); it never skips.
/// </summary>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _folder;

    private PostgreSqlServer(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=30";

    public static async Task<PostgreSqlServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (bin is null)
            throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql; scripts/test.sh installs it). The PostgreSQL tests need a real server.");
        var folder = Directory.CreateTempSubdirectory("helpdesk-pg-").FullName;
        var (uid, gid) = DovecotServer.SystemUser("postgres");
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("The PostgreSQL fixture runs Debian's server.");
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await DovecotServer.RunAsync("chown", $"{uid}:{gid}", folder);
        var port = DovecotServer.FreePort();
        await AsPostgresAsync(Path.Combine(bin, "initdb"), "-D", Path.Combine(folder, "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale");
        var server = new PostgreSqlServer(bin, folder, port);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the cluster (again, after <see cref="StopAsync"/>) on the same port and data.</summary>
    public Task StartAgainAsync() =>
        // fsync off: a test cluster is thrown away, and the suite runs on a shared 2-core machine.
        AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-w", "-t", "60", "-l", Path.Combine(_folder, "log"),
            "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");

    /// <summary>Stops the cluster at once (connections cut), keeping its data: the database is unreachable until started again.</summary>
    public Task StopAsync() =>
        AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "stop");

    /// <summary>A fresh, empty database of its own for one app (or for several nodes sharing it).</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "helpdesk_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already down (a fault test stopped it); the folder goes anyway.
        }
        NpgsqlConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static Task AsPostgresAsync(string file, params string[] args) =>
        DovecotServer.RunAsync("runuser", ["-u", "postgres", "--", file, .. args]);
}
