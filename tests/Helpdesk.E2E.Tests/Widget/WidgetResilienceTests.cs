using Helpdesk.Core.Tickets;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.E2E.Tests.Widget;

/// <summary>
/// Nothing lost, nothing doubled: the shopper's browser goes offline while the server restarts
/// (which ends every connection for good), the shopper keeps typing and the agent keeps answering;
/// when the network is back the widget reconnects on its own and both sides see every message once,
/// in order.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetResilienceTests(BrowserFixture browser) : WidgetTestBase(browser)
{
    private HelpdeskServer? _first;

    public override Task InitializeAsync()
    {
        // The first server keeps its folder so that the second can start on the same database.
        _first = new HelpdeskServer { KeepFolder = true };
        Server = _first;
        return Server.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_first is not null && !ReferenceEquals(_first, Server)) await _first.DisposeAsync();
    }

    /// <param name="webSockets">
    /// Chromium's local-network-access check often refuses ws:// from this loopback page to the
    /// loopback server, and the SignalR client then falls back to server-sent events; a second
    /// browser without that check is sure to use WebSockets, the transport of production pages.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Messages_typed_offline_during_a_server_restart_are_sent_once_and_the_agents_arrive_once_in_order(bool webSockets)
    {
        var port = Server.BaseAddress.Port;
        var agent = await OnlineAgentAsync();
        await using var wsChromium = webSockets ? await ChromiumAsync("--disable-features=LocalNetworkAccessChecks") : null;
        var page = await ShopperAsync("zh-CN", on: wsChromium?.Browser);
        var sockets = new List<IWebSocket>();
        page.WebSocket += (_, ws) => { lock (sockets) sockets.Add(ws); };
        await OpenAsync(page);
        await SendAsync(page, "断线前");
        var ticket = await AcceptNextChatAsync(agent);
        await AgentSaysAsync(agent, ticket, "在的，请说");
        await Expect(AgentBubbles(page)).ToHaveTextAsync([GreetingFor("zh-CN"), "在的，请说"]);

        // The server goes down (its restart ends every connection), and the shopper's network drops
        // too, so that the widget cannot come back before the agent has written more.
        await agent.DisposeAsync();
        await Server.StopAsync();
        await Expect(ConnectionBar(page)).ToHaveTextAsync("连接中…");
        await page.Context.SetOfflineAsync(true);

        await SendAsync(page, "离线时第一条");
        await SendAsync(page, "离线时第二条\n第二行");
        await Expect(CustomerMessage(page, "离线时第一条")).ToHaveAttributeAsync("data-status", "pending");
        await Expect(CustomerMessage(page, "离线时第二条")).ToHaveAttributeAsync("data-status", "pending");
        (await page.EvaluateAsync<int>("() => JSON.parse(localStorage.getItem('helpdesk:demo:outbox')).length")).Should().Be(2);
        if (!webSockets) await ScreenshotAsync(page, "zh-reconnecting");

        var second = new HelpdeskServer { Folder = Server.Folder };
        second.Settings.Add($"urls=http://127.0.0.1:{port}");
        await second.InitializeAsync();
        Server = second;
        second.BaseAddress.Port.Should().Be(port);

        // The agent is back first and answers while the shopper is still offline.
        var back = await OnlineAgentAsync();
        var whileAway = new List<int>();
        for (var i = 1; i <= 3; i++)
            whileAway.Add((await AgentSaysAsync(back, ticket, $"重连期间 {i}")).Sequence);
        await Expect(ConnectionBar(page)).ToBeVisibleAsync();

        await page.Context.SetOfflineAsync(false);
        await Expect(ConnectionBar(page)).ToBeHiddenAsync(new() { Timeout = 45_000 });
        string[] expected = ["断线前", GreetingFor("zh-CN"), "在的，请说", "重连期间 1", "重连期间 2", "重连期间 3", "离线时第一条", "离线时第二条\n第二行"];
        await Expect(Host(page).Locator(".messages .msg:not(.welcome):not(.system) .bubble")).ToHaveTextAsync(expected);
        await Expect(CustomerMessage(page, "离线时第一条")).ToHaveAttributeAsync("data-status", "sent");
        await Expect(CustomerMessage(page, "离线时第二条")).ToHaveAttributeAsync("data-status", "sent");
        (await page.EvaluateAsync<string?>("() => localStorage.getItem('helpdesk:demo:outbox')")).Should().BeNull("the outbox is empty once acknowledged");

        // What was shown is the stored timeline, in sequence order, each message once.
        var shownSequences = await Host(page).Locator(".messages .msg[data-seq]").EvaluateAllAsync<int[]>("els => els.map(e => Number(e.dataset.seq))");
        shownSequences.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        shownSequences.Should().Contain(whileAway);
        var stored = Db(db => db.TicketMessages.Where(m => db.Tickets.Any(t => t.Id == m.TicketId && t.Number == ticket)
            && (m.Kind == MessageKind.Customer || m.Kind == MessageKind.Agent)).OrderBy(m => m.Sequence).Select(m => m.Body).ToList());
        stored.Should().Equal(expected);

        // The agent got the shopper's offline messages live, once each.
        await back.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Body == "离线时第一条");
        await back.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Body == "离线时第二条\n第二行");

        // And the connection is live again in both directions.
        await AgentSaysAsync(back, ticket, "都收到了");
        await Expect(AgentBubbles(page)).ToHaveTextAsync([GreetingFor("zh-CN"), "在的，请说", "重连期间 1", "重连期间 2", "重连期间 3", "都收到了"]);
        if (webSockets)
            lock (sockets) sockets.Should().Contain(ws => ws.Url.Contains("/hubs/chat") && !ws.IsClosed, "the new connection is a WebSocket");
    }
}
