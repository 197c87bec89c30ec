using System.Text.Json;
using System.Text.RegularExpressions;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.E2E.Tests.Fixtures;

/// <summary>
/// One real app (temp SQLite file, demo data) and one headless Debian Chromium for the whole
/// browser suite. Each test gets its own browser context: its own cookies, storage and language.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string Password = "Demo123!";

    private IPlaywright? _playwright;
    private readonly Dictionary<string, StaffClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _clientsGate = new(1, 1);

    public HelpdeskServer Server { get; } = new();
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots land beside the test binaries, so a CI run can keep them as artifacts.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        // Playwright's own browser download cannot work here; Debian's Chromium is the browser.
        // A missing browser is a failure, never a skip: a green run must have driven a browser.
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing. Install it with: apt-get update && apt-get install -y chromium" +
                (Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: browser tests fail without it)." : "."));

        await Server.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
        // Two cores shared with builds: the default 5 s is tight for a first page load.
        SetDefaultExpectTimeout(15_000);
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A fresh browser profile whose navigator.languages prefer <paramref name="locale"/>.</summary>
    public async Task<IPage> NewPageAsync(string locale = "en-US")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString().TrimEnd('/'),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the sign-in page, as a person does, and waits for the page it leads to.</summary>
    public static async Task SignInAsync(IPage page, string email, string returnUrl = "/agent/", string password = Password)
    {
        await page.GotoAsync("/signin/?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#submit").ClickAsync();
        await WaitForPathAsync(page, returnUrl.Split('#')[0]);
    }

    /// <summary>Waits to arrive at a path; if the page stays put, the failure says what the page showed.</summary>
    public static async Task WaitForPathAsync(IPage page, string path)
    {
        try
        {
            // Polls the address rather than waiting for a navigation event: a script's redirect
            // may already have happened by the time the test looks.
            await Expect(page).ToHaveURLAsync(new Regex("^https?://[^/]+" + Regex.Escape(path) + "([?#].*)?$"));
        }
        catch (PlaywrightException e)
        {
            var shot = Path.Combine(ScreenshotFolder, $"stuck-{DateTime.UtcNow:HHmmssfff}.png");
            await page.ScreenshotAsync(new() { Path = shot });
            var banners = await page.Locator(".banner").AllInnerTextsAsync();
            throw new TimeoutException($"Never reached {path}: still at {page.Url}; banners: [{string.Join(" | ", banners)}]; screenshot {shot}", e);
        }
    }

    /// <summary>
    /// An API client signed in as <paramref name="email"/>, one per user for the whole suite: the
    /// server allows 30 sign-ins a minute per address, and the suite would soon hit that.
    /// </summary>
    public async Task<StaffClient> ApiAsync(string email)
    {
        await _clientsGate.WaitAsync();
        try
        {
            if (!_clients.TryGetValue(email, out var client))
                _clients[email] = client = await Server.SignedInAsync(email);
            return client;
        }
        finally
        {
            _clientsGate.Release();
        }
    }

    public async Task<Guid> StaffIdAsync(string email)
    {
        var session = await (await ApiAsync(email)).Http.GetFromJsonAsync<JsonElement>("/api/auth/session");
        return session.GetProperty("id").GetGuid();
    }

    /// <summary>
    /// A page already signed in as <paramref name="email"/> (the API client's sign-in cookie handed
    /// to the browser), opened at <paramref name="path"/>. Tests about signing in use the page instead.
    /// </summary>
    public async Task<IPage> SignedInPageAsync(string email, string path, string locale = "en-US")
    {
        var client = await ApiAsync(email);
        var page = await NewPageAsync(locale);
        var auth = client.Cookies.GetCookies(Server.BaseAddress).Cast<System.Net.Cookie>()
            .Where(c => c.Name == "helpdesk.staff")
            .Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = Server.BaseAddress.ToString() })
            .ToList();
        auth.Should().NotBeEmpty("the API client is signed in");
        await page.Context.AddCookiesAsync(auth);
        await page.GotoAsync(path);
        return page;
    }

    /// <summary>
    /// A ticket of the test's own, made through the API and assigned to <paramref name="assigneeEmail"/>,
    /// so that tests never depend on each other's changes to the seeded tickets.
    /// </summary>
    public async Task<long> CreateTicketAsync(string subject, string assigneeEmail = "agent1@demo.local", bool assign = true)
    {
        var client = await ApiAsync(assigneeEmail);
        var response = await client.Http.PostAsJsonAsync("/api/tickets", new
        {
            subject,
            type = "Inquiry",
            channel = "Phone",
            description = "Customer phoned about: " + subject,
            assigneeId = assign ? await StaffIdAsync(assigneeEmail) : (Guid?)null,
        });
        response.EnsureSuccessStatusCode();
        var detail = await response.Content.ReadFromJsonAsync<JsonElement>();
        return detail.GetProperty("ticket").GetProperty("number").GetInt64();
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values) client.Dispose();
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
