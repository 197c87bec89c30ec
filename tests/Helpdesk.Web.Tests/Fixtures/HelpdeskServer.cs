using System.Net;
using Helpdesk.Web;
using Helpdesk.Web.Data;
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

    public string Folder { get; } = Directory.CreateTempSubdirectory("helpdesk-test-").FullName;
    public string DatabasePath => Path.Combine(Folder, "helpdesk.db");
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;

    /// <summary>Extra configuration ("Key=Value"), applied after the defaults.</summary>
    public List<string> Settings { get; } = [];

    public async Task InitializeAsync()
    {
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            "--environment=Testing",
            $"--ConnectionStrings:Helpdesk=Data Source={DatabasePath}",
            "--Database:Provider=Sqlite",
            "--Logging:LogLevel:Default=Warning",
        };
        args.AddRange(Settings.Select(s => "--" + s));
        var builder = HelpdeskApp.CreateBuilder(args.ToArray());
        builder.Services.AddSingleton<TimeProvider>(Clock);
        _app = HelpdeskApp.Build(builder);
        await _app.PrepareDatabaseAsync();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1"));
    }

    /// <summary>An HTTP client with its own cookie jar: one browser, one person.</summary>
    public StaffClient CreateClient() => new(BaseAddress);

    /// <summary>A client already signed in as one of the demo users.</summary>
    public async Task<StaffClient> SignedInAsync(string email, string password = DemoSeeder.Password)
    {
        var client = CreateClient();
        await client.SignInAsync(email, password);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
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
