using Helpdesk.Core.Chat;
using Helpdesk.Core.Tickets;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.E2E.Tests.ChatPanel;

/// <summary>
/// Nothing lost, nothing doubled, seen from the console: the agent's network drops, then the server
/// restarts on the same database and port. What the agent typed meanwhile waits (greyed), goes out
/// once the console is back, with the same ids; both pages then show every message once, in order.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatResilienceTests(BrowserFixture browser) : ChatPanelTestBase(browser)
{
    private HelpdeskServer? _first;

    public override Task InitializeAsync()
    {
        // The first server keeps its folder so that a second can start on the same database.
        _first = new HelpdeskServer { KeepFolder = true };
        Server = _first;
        return Server.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_first is not null && !ReferenceEquals(_first, Server)) await _first.DisposeAsync();
        if (_first is not null)
            try { Directory.Delete(_first.Folder, recursive: true); } catch (IOException) { }
    }

    private List<(string Body, MessageKind Kind)> Stored(long ticket) => Db(db => db.TicketMessages
        .Where(m => db.Tickets.Any(t => t.Id == m.TicketId && t.Number == ticket) && m.Kind != MessageKind.System)
        .OrderBy(m => m.Sequence).Select(m => new { m.Body, m.Kind }).ToList()).Select(m => (m.Body, m.Kind)).ToList();

    [Fact]
    public async Task Messages_typed_while_the_agents_network_is_down_and_while_the_server_restarts_arrive_once_in_order()
    {
        var agent = await AgentAsync(locale: "zh-CN");
        await GoOnlineAsync(agent);
        var (shopper, ticket) = await ShopperStartsChatAsync(agent, "断线前");
        await AcceptAsync(agent, ticket);
        await AgentSaysAsync(agent, ticket, "在的，请说");
        await Expect(WidgetAgentBubbles(shopper)).ToHaveTextAsync([GreetingFor("zh-CN"), "在的，请说"]);

        // 1. The agent's network drops. What they type waits, greyed; the shopper goes on writing.
        await agent.Context.SetOfflineAsync(true);
        await Expect(Connection(agent)).Not.ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 45_000 });
        await Expect(Connection(agent)).ToContainTextAsync(new System.Text.RegularExpressions.Regex("连接中|网络已断开|秒后重试"));
        await AgentSaysAsync(agent, ticket, "离线时第一条");
        await AgentSaysAsync(agent, ticket, "离线时第二条\n第二行");
        await Expect(AgentMessage(agent, ticket, "离线时第一条")).ToHaveAttributeAsync("data-status", "pending");
        await Expect(AgentMessage(agent, ticket, "离线时第二条")).ToHaveAttributeAsync("data-status", "pending");
        (await AgentMessage(agent, ticket, "离线时第一条").EvaluateAsync<string>("e => getComputedStyle(e).opacity")).Should().NotBe("1");
        await ShopperSaysAsync(shopper, "客户在客服断网时说的话");

        await agent.Context.SetOfflineAsync(false);
        await Expect(Connection(agent)).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 45_000 });
        await Expect(AgentMessage(agent, ticket, "离线时第二条")).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("sent|read"));
        await Expect(CustomerMessagesInConsole(agent, ticket).Locator(".body")).ToHaveTextAsync(["断线前", "客户在客服断网时说的话"]);
        await Expect(WidgetAgentBubbles(shopper)).ToHaveTextAsync([GreetingFor("zh-CN"), "在的，请说", "离线时第一条", "离线时第二条\n第二行"]);
        await WaitForAsync(() => PresenceOf(Agent1) == PresenceStatus.Online, "presence re-applied after the reconnect");

        // 2. The server restarts on the same database and port while the agent keeps typing.
        var port = Server.BaseAddress.Port;
        await Server.StopAsync();
        await Expect(Connection(agent)).Not.ToHaveAttributeAsync("data-state", "connected");
        await Expect(Connection(agent)).ToContainTextAsync(new System.Text.RegularExpressions.Regex("连接中…|秒后重试"));
        await ScreenshotAsync(agent, "zh-reconnecting");
        await AgentSaysAsync(agent, ticket, "重启时第一条");
        await AgentSaysAsync(agent, ticket, "重启时第二条");
        await Expect(AgentMessage(agent, ticket, "重启时第二条")).ToHaveAttributeAsync("data-status", "pending");
        var outbox = await agent.EvaluateAsync<int>("() => JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith('helpdesk.chat.outbox.'))?.[1] ?? '[]').length");
        outbox.Should().Be(2, "unsent messages wait in the outbox, kept across a reload");

        var second = new HelpdeskServer { Folder = _first!.Folder, KeepFolder = true };
        second.Settings.Add($"urls=http://127.0.0.1:{port}");
        await second.InitializeAsync();
        Server = second;
        await Expect(Connection(agent)).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 60_000 });
        await Expect(AgentMessage(agent, ticket, "重启时第二条")).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("sent|read"));
        await WaitForAsync(() => PresenceOf(Agent1) == PresenceStatus.Online, "presence re-applied after the restart");

        // The shopper's widget reconnects on its own; a new message of theirs reaches the console.
        await Expect(WidgetAgentBubbles(shopper)).ToHaveTextAsync([GreetingFor("zh-CN"), "在的，请说", "离线时第一条", "离线时第二条\n第二行", "重启时第一条", "重启时第二条"],
            new() { Timeout = 60_000 });
        await ShopperSaysAsync(shopper, "重启后");
        await Expect(CustomerMessagesInConsole(agent, ticket).Locator(".body")).ToHaveTextAsync(["断线前", "客户在客服断网时说的话", "重启后"]);

        string[] expected = ["断线前", GreetingFor("zh-CN"), "在的，请说", "离线时第一条", "离线时第二条\n第二行", "客户在客服断网时说的话", "重启时第一条", "重启时第二条", "重启后"];
        var stored = Stored(ticket).Select(m => m.Body).ToList();
        stored.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(expected);
        stored.Where(b => b.StartsWith("离线") || b.StartsWith("重启时")).Should().Equal("离线时第一条", "离线时第二条\n第二行", "重启时第一条", "重启时第二条");
        (await ConsoleBodiesAsync(agent, ticket)).Should().Equal(stored, "the console shows the stored timeline, each message once, in order");
        var sequences = await ChatLog(agent, ticket).Locator(".msg[data-seq]").EvaluateAllAsync<int[]>("els => els.map(e => Number(e.dataset.seq))");
        sequences.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        (await agent.EvaluateAsync<string?>("() => Object.entries(localStorage).find(([k]) => k.startsWith('helpdesk.chat.outbox.'))?.[1] ?? null"))
            .Should().BeNull("the outbox is empty once everything is acknowledged");
    }
}
