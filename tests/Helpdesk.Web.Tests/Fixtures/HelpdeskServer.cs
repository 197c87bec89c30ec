using System.Net;
using Helpdesk.Web;
using Helpdesk.Web.Data;
using Helpdesk.Web.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Helpdesk.Web.Tests.Fixtures;

/// <summary>
/// The real app on a real Kestrel port (127.0.0.1, port chosen by the OS) over a real SQLite file
/// in a temp folder, demo data seeded. One per test class (IClassFixture) or per test.
/// Time comes from a <see cref="FakeTimeProvider"/> the test can move.
/// </summary>
public sealed class HelpdeskServer : IAsyncDisposable, IAsyncLifetime
{
    private WebApplication? _app;
    private string? _folder;
    private readonly Dictionary<string, StaffClient> _shared = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The temp folder of the database. Set it to start on the folder of an earlier server.</summary>
    public string Folder
    {
        get => _folder ??= Directory.CreateTempSubdirectory("helpdesk-test-").FullName;
        init => _folder = value;
    }

    /// <summary>Leave the folder (and its database) behind on dispose, for a second start on the same file.</summary>
    public bool KeepFolder { get; init; }
    public string DatabasePath => Path.Combine(Folder, "helpdesk.db");
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;

    /// <summary>Extra configuration ("Key=Value"), applied after the defaults.</summary>
    public List<string> Settings { get; } = [];

    /// <summary>Changes to the host before it is built, after the app's own (a log capture, a recording event listener).</summary>
    public List<Action<WebApplicationBuilder>> Configure { get; } = [];

    /// <summary>
    /// HELPDESK_TEST_DATABASE=PostgreSql runs every app of the suite on PostgreSQL: one cluster for
    /// the test process, a database per app folder (an app restarted on the same folder finds its data).
    /// </summary>
    public static bool SuiteOnPostgreSql => string.Equals(Environment.GetEnvironmentVariable("HELPDESK_TEST_DATABASE"), "PostgreSql", StringComparison.OrdinalIgnoreCase);

    /// <summary>For tests about the SQLite file itself: this app stays on SQLite whatever the suite runs on.</summary>
    public bool PinnedToSqlite { get; init; }

    public bool UsesPostgreSql => SuiteOnPostgreSql && !PinnedToSqlite;

    private static readonly Lazy<Task<PostgreSqlServer>> SharedPostgres = new(async () =>
    {
        var server = await PostgreSqlServer.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    });

    private async Task<IEnumerable<string>> DatabaseArgumentsAsync()
    {
        if (!UsesPostgreSql)
            return [$"--ConnectionStrings:Helpdesk=Data Source={DatabasePath}", "--Database:Provider=Sqlite"];
        var remembered = Path.Combine(Folder, "postgresql.connection");
        if (!File.Exists(remembered))
            await File.WriteAllTextAsync(remembered, await (await SharedPostgres.Value).CreateDatabaseAsync());
        return [$"--ConnectionStrings:Helpdesk={await File.ReadAllTextAsync(remembered)}", "--Database:Provider=PostgreSql", "--Demo:Enabled=true"];
    }

    /// <summary>Takes the database away under the running app: deletes the SQLite file, or drops the PostgreSQL database.</summary>
    public async Task LoseDatabaseAsync()
    {
        if (UsesPostgreSql)
        {
            var connection = new Npgsql.NpgsqlConnectionStringBuilder(await File.ReadAllTextAsync(Path.Combine(Folder, "postgresql.connection")));
            var database = connection.Database;
            connection.Database = "postgres";
            await using var admin = new Npgsql.NpgsqlConnection(connection.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(DatabasePath);
        File.Delete(DatabasePath + "-wal");
        File.Delete(DatabasePath + "-shm");
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>
    /// Loses the Hangfire job store between two runs of the app on this folder. On SQLite it is in
    /// memory and dies with the app anyway; on PostgreSQL its schema is dropped (a store lost or
    /// restored from an older backup).
    /// </summary>
    public async Task LoseJobStoreAsync()
    {
        if (!UsesPostgreSql) return;
        await using var connection = new Npgsql.NpgsqlConnection(await File.ReadAllTextAsync(Path.Combine(Folder, "postgresql.connection")));
        await connection.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand("DROP SCHEMA IF EXISTS hangfire CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    public async Task InitializeAsync()
    {
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            "--environment=Testing",
            // Files beside the database in the temp folder, never in the build output.
            $"--Attachments:Root={Path.Combine(Folder, "attachments")}",
            "--Logging:LogLevel:Default=Warning",
        };
        args.AddRange(await DatabaseArgumentsAsync());
        args.AddRange(Settings.Select(s => "--" + s));
        var builder = HelpdeskApp.CreateBuilder(args.ToArray());
        builder.Services.AddSingleton<TimeProvider>(Clock);
        foreach (var configure in Configure) configure(builder);
        _app = HelpdeskApp.Build(builder);
        await _app.PrepareDatabaseAsync();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1"));
    }

    /// <summary>An HTTP client with its own cookie jar: one browser, one person.</summary>
    public StaffClient CreateClient() => new(BaseAddress);

    /// <summary>
    /// A signed-in client shared by the tests of one class (they run one after another), so a class
    /// stays under the sign-in rate limit. Tests that sign out or lock out make their own client.
    /// </summary>
    public async Task<StaffClient> StaffAsync(string email, string password = DemoSeeder.Password)
    {
        if (!_shared.TryGetValue(email, out var client))
            _shared[email] = client = await SignedInAsync(email, password);
        return client;
    }

    /// <summary>A client already signed in as one of the demo users.</summary>
    public async Task<StaffClient> SignedInAsync(string email, string password = DemoSeeder.Password)
    {
        var client = CreateClient();
        await client.SignInAsync(email, password);
        return client;
    }

    /// <summary>Stops the app and releases the database file, keeping the folder.</summary>
    public async Task StopAsync()
    {
        foreach (var client in _shared.Values) client.Dispose();
        _shared.Clear();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (UsesPostgreSql) Npgsql.NpgsqlConnection.ClearAllPools();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        if (!KeepFolder && _folder is not null)
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
}

/// <summary>
/// An HttpClient that behaves like the console's script: keeps cookies and echoes the
/// XSRF-TOKEN cookie in the X-XSRF-TOKEN header on writes.
/// </summary>
public sealed class StaffClient : IDisposable
{
    private readonly CookieContainer _cookies = new();
    private readonly AntiforgeryHandler _antiforgery;

    public StaffClient(Uri baseAddress)
    {
        _antiforgery = new AntiforgeryHandler(_cookies, baseAddress) { InnerHandler = new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false } };
        Http = new HttpClient(_antiforgery) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies => _cookies;

    /// <summary>Who this client signed in as (from the sign-in answer); null before sign-in.</summary>
    public SessionInfo? Session { get; private set; }

    /// <summary>The staff id of the signed-in user.</summary>
    public Guid Id => Session?.Id ?? throw new InvalidOperationException("Not signed in.");

    public HttpClient Http { get; }

    /// <summary>When false, writes go out without the antiforgery header (to test the refusal).</summary>
    public bool SendAntiforgery
    {
        get => _antiforgery.Enabled;
        set => _antiforgery.Enabled = value;
    }

    public async Task SignInAsync(string email, string password)
    {
        var response = await Http.PostAsJsonAsync("/api/auth/sign-in", new { email, password });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Session = await response.Content.ReadFromJsonAsync<SessionInfo>(TestJson.Options);
    }

    public void Dispose() => Http.Dispose();

    private sealed class AntiforgeryHandler(CookieContainer cookies, Uri baseAddress) : DelegatingHandler
    {
        public bool Enabled { get; set; } = true;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (Enabled && request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
            {
                var token = cookies.GetCookies(baseAddress)["XSRF-TOKEN"]?.Value;
                if (token is null)
                {
                    // Like the page does on load: ask for a session, which hands out the token.
                    using var session = await base.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, "/api/auth/session")), ct);
                    token = cookies.GetCookies(baseAddress)["XSRF-TOKEN"]?.Value;
                }
                request.Headers.Remove("X-XSRF-TOKEN");
                if (token is not null) request.Headers.Add("X-XSRF-TOKEN", token);
            }
            return await base.SendAsync(request, ct);
        }
    }
}
