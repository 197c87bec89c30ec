using Helpdesk.Data;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.E2E.Tests.Fixtures;

/// <summary>
/// Browser tests that need an app of their own (chat presence and queues are state of the whole
/// app): one server per test, browser contexts closed after it, and any JavaScript dialog (what an
/// XSS payload would open) or uncaught page error fails the test.
/// </summary>
public abstract class LiveAppTestBase(BrowserFixture browser) : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<IAsyncDisposable> _disposables = [];
    protected readonly List<string> Dialogs = [];
    protected readonly List<string> PageErrors = [];

    protected BrowserFixture Browser => browser;
    protected HelpdeskServer Server { get; set; } = new();

    public virtual Task InitializeAsync() => Server.InitializeAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            try { await context.CloseAsync(); }
            catch (PlaywrightException) { } // its browser is already closed
        }
        foreach (var d in _disposables) await d.DisposeAsync();
        await Server.DisposeAsync();
        Dialogs.Should().BeEmpty("no JavaScript dialog may open (an XSS payload would)");
        PageErrors.Should().BeEmpty("the pages must not throw");
    }

    /// <summary>
    /// The approved standard greeting (seeded, design §5) an agent's chat opens with when they take
    /// it, in the widget's language: the first agent message every shopper sees.
    /// </summary>
    protected static string GreetingFor(string locale, string agentName = "李娜 Li Na") => locale.StartsWith("zh", StringComparison.Ordinal)
        ? $"您好，欢迎咨询演示商城客户服务，客服代表{agentName}很高兴为您服务，请问有什么可以帮助您？"
        : $"Hello, welcome to Demo Shop customer service. This is {agentName}, happy to help. How may I help you today?";

    /// <summary>Something to dispose after the test (a SignalR client, say).</summary>
    protected T Track<T>(T disposable) where T : IAsyncDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    /// <summary>A fresh browser context (own storage, own language) on the test's app.</summary>
    protected async Task<IBrowserContext> ContextAsync(string locale, int width = 1400, int height = 900, IBrowser? on = null)
    {
        var context = await (on ?? browser.Browser).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString().TrimEnd('/'),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        _contexts.Add(context);
        return context;
    }

    protected void Watch(IPage page)
    {
        page.Dialog += async (_, dialog) =>
        {
            lock (Dialogs) Dialogs.Add($"{dialog.Type}: {dialog.Message}");
            await dialog.DismissAsync();
        };
        page.PageError += (_, error) => { lock (PageErrors) PageErrors.Add(error); };
    }

    protected T Db<T>(Func<HelpdeskDbContext, T> read, HelpdeskServer? server = null)
    {
        using var scope = (server ?? Server).Services.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>());
    }
}
