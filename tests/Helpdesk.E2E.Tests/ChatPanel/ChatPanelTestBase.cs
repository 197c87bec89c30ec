using System.Text.RegularExpressions;
using Helpdesk.Core.Chat;
using Helpdesk.Data;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.E2E.Tests.ChatPanel;

/// <summary>
/// The agent console's chat panel against real customers: each test has its own app (presence and
/// the chat queue are state of the whole app), agents in browser contexts on /agent/ (signed in
/// through the API, their cookie handed to the browser) and shoppers in other contexts on the demo
/// shop with the widget. Any JavaScript dialog (what an XSS payload would open) or uncaught page
/// error fails the test.
/// </summary>
public abstract class ChatPanelTestBase(BrowserFixture browser) : LiveAppTestBase(browser)
{
    public const string Agent1 = "agent1@demo.local";
    public const string Agent1Name = "李娜 Li Na";
    public const string Agent2 = "agent2@demo.local";
    public const string Agent2Name = "张伟 Zhang Wei";

    /// <summary>Counts oscillators started through WebAudio: the offer chime, heard by the test.</summary>
    private const string CountChimes = """
        (() => {
          const AC = window.AudioContext || window.webkitAudioContext;
          window.__oscillators = 0;
          if (!AC) return;
          const create = AC.prototype.createOscillator;
          AC.prototype.createOscillator = function () { window.__oscillators++; return create.apply(this, arguments); };
        })();
        """;

    // ---- the agent's console ----------------------------------------------------------------------

    /// <summary>An agent's console, signed in, connected to the chat hub.</summary>
    protected async Task<IPage> AgentAsync(string email = Agent1, string locale = "en-US", string path = "/agent/")
    {
        var staff = await Server.StaffAsync(email);
        var context = await ContextAsync(locale);
        await context.AddInitScriptAsync(CountChimes);
        var cookies = staff.Cookies.GetCookies(Server.BaseAddress).Cast<System.Net.Cookie>()
            .Where(c => c.Name == "helpdesk.staff")
            .Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = Server.BaseAddress.ToString() })
            .ToList();
        cookies.Should().NotBeEmpty();
        await context.AddCookiesAsync(cookies);
        var page = await context.NewPageAsync();
        Watch(page);
        await page.GotoAsync(path);
        await Expect(Connection(page)).ToHaveAttributeAsync("data-state", "connected");
        return page;
    }

    /// <summary>The agent clicks their presence switch and the server has it.</summary>
    protected async Task GoOnlineAsync(IPage agent, string email = Agent1)
    {
        await agent.Locator(".presence [data-presence=Online]").ClickAsync();
        await Expect(agent.Locator(".presence [data-presence=Online]")).ToHaveAttributeAsync("aria-checked", "true");
        await WaitForAsync(() => PresenceOf(email) == PresenceStatus.Online, $"{email} is online on the server");
    }

    protected PresenceStatus PresenceOf(string email, HelpdeskServer? server = null) => Db(db =>
    {
        var id = db.Users.Single(u => u.Email == email).Id;
        return db.AgentPresence.Where(p => p.AgentId == id).Select(p => (PresenceStatus?)p.Status).FirstOrDefault() ?? PresenceStatus.Offline;
    }, server);

    protected static ILocator Connection(IPage page) => page.Locator("#chat-conn");
    protected static ILocator Offer(IPage page, long? ticket = null) =>
        page.Locator(ticket is { } n ? $".offer-card[data-ticket='{n}']" : ".offer-card");
    protected static ILocator ChatTab(IPage page, long ticket) => page.Locator($"#chat-tab-{ticket}");
    protected static ILocator ChatView(IPage page, long ticket) => page.Locator($"#chat-view-{ticket}");
    protected static ILocator ChatInput(IPage page, long ticket) => page.Locator($"#chat-input-{ticket}");
    protected static ILocator ChatLog(IPage page, long ticket) => ChatView(page, ticket).Locator(".chat-log");
    protected static ILocator AgentMessages(IPage page, long ticket) => ChatLog(page, ticket).Locator(".msg-agent");
    protected static ILocator CustomerMessagesInConsole(IPage page, long ticket) => ChatLog(page, ticket).Locator(".msg-customer");

    protected static ILocator AgentMessage(IPage page, long ticket, string text) =>
        AgentMessages(page, ticket).Filter(new() { Has = page.Locator(".body", new() { HasTextString = text }) });

    /// <summary>Waits for the offer card of the next chat and returns its ticket number.</summary>
    protected static async Task<long> OfferedTicketAsync(IPage agent)
    {
        var card = Offer(agent).First;
        await Expect(card).ToBeVisibleAsync();
        return long.Parse((await card.GetAttributeAsync("data-ticket"))!);
    }

    protected static async Task AcceptAsync(IPage agent, long ticket)
    {
        await Offer(agent, ticket).Locator("[data-action=accept]").ClickAsync();
        await Expect(Offer(agent, ticket)).ToHaveCountAsync(0);
        await Expect(ChatTab(agent, ticket)).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(ChatView(agent, ticket)).ToBeVisibleAsync();
    }

    /// <summary>Types as a person does (Shift+Enter for new lines) and presses Enter to send.</summary>
    protected static async Task AgentSaysAsync(IPage agent, long ticket, string text)
    {
        var input = ChatInput(agent, ticket);
        await input.ClickAsync();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0) await input.PressAsync("Shift+Enter");
            if (lines[i].Length > 0) await input.PressSequentiallyAsync(lines[i], new() { Delay = 0 });
        }
        await input.PressAsync("Enter");
        await Expect(input).ToHaveValueAsync("");
    }

    protected static Task<IReadOnlyList<string>> ConsoleBodiesAsync(IPage agent, long ticket) =>
        ChatLog(agent, ticket).Locator(".msg-customer .body, .msg-agent .body").AllTextContentsAsync();

    // ---- the shopper's widget (Playwright's CSS locators pierce its open shadow root) ---------------

    protected async Task<IPage> ShopperAsync(string locale = "zh-CN", string path = "/demo/")
    {
        var context = await ContextAsync(locale, 1280, 800);
        var page = await context.NewPageAsync();
        Watch(page);
        await page.GotoAsync(path);
        return page;
    }

    protected static ILocator Host(IPage page) => page.Locator("[data-helpdesk-widget]");
    protected static ILocator Launcher(IPage page) => Host(page).Locator(".launcher");
    protected static ILocator WidgetComposer(IPage page) => Host(page).Locator(".composer textarea");
    protected static ILocator WidgetAgentBubbles(IPage page) => Host(page).Locator(".msg.agent .bubble");
    protected static ILocator WidgetCustomerMessage(IPage page, string text) =>
        Host(page).Locator(".msg.customer").Filter(new() { Has = page.Locator(".bubble", new() { HasTextString = text }) });

    protected static async Task OpenWidgetAsync(IPage page)
    {
        await Expect(Launcher(page)).ToBeVisibleAsync();
        if (await Launcher(page).GetAttributeAsync("aria-expanded") != "true")
            await Launcher(page).ClickAsync();
        await Expect(Host(page).Locator(".panel")).ToBeVisibleAsync();
    }

    protected static async Task ShopperSaysAsync(IPage page, string text)
    {
        var composer = WidgetComposer(page);
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

    /// <summary>A shopper on the demo shop who opens the widget and writes; the agent gets the offer.</summary>
    protected async Task<(IPage Shopper, long Ticket)> ShopperStartsChatAsync(IPage agent, string first, string locale = "zh-CN")
    {
        var known = await Offer(agent).EvaluateAllAsync<long[]>("cards => cards.map(c => Number(c.dataset.ticket))");
        var shopper = await ShopperAsync(locale);
        await OpenWidgetAsync(shopper);
        await ShopperSaysAsync(shopper, first);
        var card = agent.Locator(".offer-card" + string.Concat(known.Select(n => $":not([data-ticket='{n}'])")));
        await Expect(card).ToBeVisibleAsync();
        return (shopper, long.Parse((await card.GetAttributeAsync("data-ticket"))!));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /// <summary>Polls a condition on the server side (no fixed sleeps): the UI waits are Playwright's own.</summary>
    protected static async Task WaitForAsync(Func<bool> condition, string what, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {timeoutMs} ms for: {what}");
            await Task.Delay(50);
        }
    }

    protected static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"chatpanel-{name}.png") });

    protected static Regex Exactly(string text) => new("^" + Regex.Escape(text) + "$");
}
