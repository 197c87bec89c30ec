using Helpdesk.Core.Chat;
using Helpdesk.Data;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.E2E.Tests.Widget;

/// <summary>
/// The chat widget as a shopper meets it: Chromium (the suite's browser) on the demo shop page of
/// a real app. Each test gets its own app, because agent presence and the chat queue are state of
/// the whole app; agents are simulated with the .NET SignalR client, as the console would talk.
/// Every page fails the test on a JavaScript dialog (what an XSS payload would open) or an
/// uncaught error.
/// </summary>
public abstract class WidgetTestBase(BrowserFixture browser) : LiveAppTestBase(browser)
{
    public const string AgentEmail = "agent1@demo.local";
    public const string AgentName = "李娜 Li Na";

    /// <summary>A fresh shopper (own storage, own language) on a page of the test's app.</summary>
    protected async Task<IPage> ShopperAsync(string locale = "zh-CN", string path = "/demo/", IBrowser? on = null)
    {
        var context = await ContextAsync(locale, 1280, 800, on);
        var page = await context.NewPageAsync();
        Watch(page);
        await page.GotoAsync(path);
        return page;
    }

    // ---- the widget's parts (Playwright's CSS locators pierce the open shadow root) ----------------

    protected static ILocator Host(IPage page) => page.Locator("[data-helpdesk-widget]");
    protected static ILocator Launcher(IPage page) => Host(page).Locator(".launcher");
    protected static ILocator Panel(IPage page) => Host(page).Locator(".panel");
    protected static ILocator Composer(IPage page) => Host(page).Locator(".composer textarea");
    protected static ILocator Messages(IPage page) => Host(page).Locator(".messages .msg:not(.welcome)");
    protected static ILocator AgentBubbles(IPage page) => Host(page).Locator(".msg.agent .bubble");
    protected static ILocator CustomerMessages(IPage page) => Host(page).Locator(".msg.customer");
    protected static ILocator Subtitle(IPage page) => Host(page).Locator(".subtitle");
    protected static ILocator QueueBar(IPage page) => Host(page).Locator(".queue");
    protected static ILocator ConnectionBar(IPage page) => Host(page).Locator(".conn");

    protected static ILocator CustomerMessage(IPage page, string text) =>
        CustomerMessages(page).Filter(new() { Has = page.Locator(".bubble", new() { HasTextString = text }) });

    /// <summary>Opens the panel (unless it came back open after a reload: it remembers that per tab).</summary>
    protected static async Task OpenAsync(IPage page)
    {
        await Expect(Launcher(page)).ToBeVisibleAsync();
        if (await Launcher(page).GetAttributeAsync("aria-expanded") != "true")
            await Launcher(page).ClickAsync();
        await Expect(Panel(page)).ToBeVisibleAsync();
    }

    /// <summary>Types into the composer as a person does (Shift+Enter for new lines) and presses Enter.</summary>
    protected static async Task SendAsync(IPage page, string text)
    {
        var composer = Composer(page);
        await composer.ClickAsync();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0) await composer.PressAsync("Shift+Enter");
            if (lines[i].Length > 0) await composer.PressSequentiallyAsync(lines[i], new() { Delay = 0 });
        }
        await composer.PressAsync("Enter");
        await Expect(composer).ToHaveValueAsync("");
    }

    /// <summary>The bubbles' texts in the order shown, as the shopper reads them.</summary>
    protected static Task<IReadOnlyList<string>> TimelineAsync(IPage page) =>
        Host(page).Locator(".messages .msg:not(.welcome) .bubble").AllTextContentsAsync();

    // ---- the agent side ------------------------------------------------------------------------------

    /// <summary>An agent signed in, connected to the chat hub and online.</summary>
    protected async Task<ChatConnection> OnlineAgentAsync(string email = AgentEmail, HelpdeskServer? server = null)
    {
        server ??= Server;
        var http = await server.StaffAsync(email);
        var agent = await ChatConnection.StaffAsync(server, http);
        Track(agent);
        await agent.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
        return agent;
    }

    /// <summary>Waits for the offer of the shopper's chat and takes it.</summary>
    protected static async Task<long> AcceptNextChatAsync(ChatConnection agent)
    {
        var offer = await agent.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), timeoutSeconds: 15);
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), offer.TicketNumber);
        return offer.TicketNumber;
    }

    protected static Task<ChatAck> AgentSaysAsync(ChatConnection agent, long ticket, string text) =>
        agent.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(ticket, Guid.NewGuid().ToString("N"), text));

    /// <summary>A second Chromium with extra arguments, for the few tests that need other flags.</summary>
    protected static async Task<ExtraChromium> ChromiumAsync(params string[] extraArgs)
    {
        var playwright = await Playwright.CreateAsync();
        var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", .. extraArgs],
        });
        return new ExtraChromium(playwright, chromium);
    }

    protected sealed class ExtraChromium(IPlaywright playwright, IBrowser browser) : IAsyncDisposable
    {
        public IBrowser Browser => browser;

        public async ValueTask DisposeAsync()
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    protected static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"widget-{name}.png") });
}
