using Helpdesk.Core.Tickets;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.Web.Chat;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.E2E.Tests.Widget;

/// <summary>A shopper and an agent talking through the widget and the chat hub.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetConversationTests(BrowserFixture browser) : WidgetTestBase(browser)
{
    [Theory]
    [InlineData("zh-CN", "你好，我买的耳机左耳没有声音\n订单号 SO-20261118-0042", "请问是哪一款耳机？", "KJ500 降噪款", "正在输入", "会话已结束", "开始新的会话")]
    [InlineData("en-US", "Hello, my headphones are silent on the left\nOrder SO-20261118-0042", "Which model is it?", "The KJ500", "is typing", "This chat has ended", "Start a new chat")]
    public async Task Shopper_and_agent_talk_with_names_typing_and_read_receipts_until_the_chat_ends(
        string locale, string first, string question, string answer, string typing, string ended, string startNew)
    {
        var agent = await OnlineAgentAsync();
        var page = await ShopperAsync(locale);
        var lang = locale[..2];
        await ScreenshotAsync(page, $"{lang}-closed");

        await OpenAsync(page);
        await Expect(Host(page).Locator(".offline")).ToBeHiddenAsync(); // an agent is online: no leave-a-message offer
        await ScreenshotAsync(page, $"{lang}-open");
        await SendAsync(page, first);
        var ticket = await AcceptNextChatAsync(agent);

        // The agent's name shows once they join; the first message kept its line break.
        await Expect(Subtitle(page)).ToContainTextAsync(AgentName);
        await Expect(Host(page).Locator(".messages .msg:not(.welcome)")).ToHaveClassAsync([
            new System.Text.RegularExpressions.Regex("customer"), new System.Text.RegularExpressions.Regex("system"), new System.Text.RegularExpressions.Regex("agent")]);
        // The agent's approved greeting, in the shopper's language, follows the notice that they joined.
        await Expect(AgentBubbles(page)).ToHaveTextAsync([GreetingFor(locale)]);
        await Expect(Host(page).Locator(".msg.system")).ToContainTextAsync(AgentName);
        var firstBubble = CustomerMessage(page, first.Split('\n')[0]).Locator(".bubble");
        (await firstBubble.TextContentAsync()).Should().Be(first);
        (await firstBubble.EvaluateAsync<string>("e => getComputedStyle(e).whiteSpace")).Should().Be("pre-wrap");
        (await firstBubble.BoundingBoxAsync())!.Height.Should().BeGreaterThan(40, "two lines are shown as two lines");
        Db(db => db.TicketMessages.Where(m => db.Tickets.Any(t => t.Id == m.TicketId && t.Number == ticket)).Select(m => m.Body).ToList())
            .Should().Contain(first);

        // Typing, then the answer; the widget tells the agent it has been read.
        await agent.Hub.InvokeAsync(nameof(ChatHub.Typing), ticket, true);
        await Expect(Host(page).Locator(".typing")).ToContainTextAsync(typing);
        await Expect(Host(page).Locator(".typing")).ToContainTextAsync(AgentName);
        var asked = await AgentSaysAsync(agent, ticket, question);
        await Expect(AgentBubbles(page)).ToHaveTextAsync([GreetingFor(locale), question]);
        await Expect(Host(page).Locator(".typing")).ToBeHiddenAsync();
        await Expect(Host(page).Locator(".msg.agent .author")).ToHaveTextAsync([AgentName, AgentName]);
        (await agent.NextAsync<ReadNotice>(nameof(IChatClient.Read), r => r.Side == ActorKind.Customer && r.Sequence >= asked.Sequence))
            .TicketNumber.Should().Be(ticket);

        // The shopper answers (the agent sees them typing): ✓ when stored, ✓✓ when the agent has read it.
        await SendAsync(page, answer);
        await agent.NextAsync<TypingNotice>(nameof(IChatClient.Typing), n => n.Side == ActorKind.Customer && n.IsTyping);
        var atAgent = await agent.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Body == answer);
        await Expect(CustomerMessage(page, answer)).ToHaveAttributeAsync("data-status", "sent");
        await agent.Hub.InvokeAsync(nameof(ChatHub.MarkRead), ticket, atAgent.Sequence);
        await Expect(CustomerMessage(page, answer)).ToHaveAttributeAsync("data-status", "read");
        await Expect(CustomerMessage(page, first.Split('\n')[0])).ToHaveAttributeAsync("data-status", "read");
        await Expect(Host(page).Locator(".messages .msg:not(.welcome):not(.system) .bubble")).ToHaveTextAsync([first, GreetingFor(locale), question, answer]);
        await ScreenshotAsync(page, $"{lang}-conversation");

        // The agent ends it; the shopper can start again, which is a new conversation.
        await agent.Hub.InvokeAsync(nameof(ChatHub.EndChat), ticket);
        await Expect(Host(page).Locator(".msg.system").Last).ToHaveTextAsync(ended);
        await Expect(Composer(page)).ToBeHiddenAsync();
        var again = Host(page).Locator(".ended").GetByRole(AriaRole.Button, new() { Name = startNew });
        await Expect(again).ToBeFocusedAsync();
        await ScreenshotAsync(page, $"{lang}-ended");
        await again.ClickAsync();
        await Expect(Composer(page)).ToBeFocusedAsync();
        await Expect(Messages(page)).ToHaveCountAsync(0);
        await SendAsync(page, "one more thing");
        var second = await AcceptNextChatAsync(agent);
        second.Should().NotBe(ticket);
        await Expect(CustomerMessage(page, "one more thing")).ToHaveAttributeAsync("data-status", "sent");
    }

    [Fact]
    public async Task Markup_from_either_side_is_shown_as_text_and_never_runs()
    {
        string[] payloads =
        [
            "<img src=x onerror=alert(1)>",
            "<script>alert(2)</script>",
            "<a href=\"javascript:alert(3)\">点我 click</a>",
            "javascript:alert(4)",
            "<svg onload=alert(5)></svg><iframe src=\"javascript:alert(6)\"></iframe>",
        ];
        var agent = await OnlineAgentAsync();
        var page = await ShopperAsync();
        await OpenAsync(page);
        await SendAsync(page, payloads[0]);
        var ticket = await AcceptNextChatAsync(agent);
        foreach (var p in payloads.Skip(1))
            await SendAsync(page, p);
        foreach (var p in payloads)
            await AgentSaysAsync(agent, ticket, p);

        await Expect(AgentBubbles(page)).ToHaveTextAsync([GreetingFor("zh-CN"), .. payloads]);
        await Expect(Host(page).Locator(".msg.customer .bubble")).ToHaveTextAsync(payloads);
        foreach (var p in payloads)
            await Expect(CustomerMessage(page, p)).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("sent|read"));

        var injected = await page.EvaluateAsync<int>("""
            () => document.querySelector('[data-helpdesk-widget]').shadowRoot
                .querySelectorAll('img, script, iframe, object, embed, [onerror], [onload], [onclick], a[href^="javascript"]').length
            """);
        injected.Should().Be(0);
        (await page.EvaluateAsync<int>("() => document.querySelectorAll('img, iframe').length")).Should().Be(0);
        Dialogs.Should().BeEmpty();
        // A page reload renders the stored history: the same, still text.
        await page.ReloadAsync();
        await Expect(AgentBubbles(page)).ToHaveTextAsync([GreetingFor("zh-CN"), .. payloads]);
        (await page.EvaluateAsync<int>("() => document.querySelector('[data-helpdesk-widget]').shadowRoot.querySelectorAll('img, script, iframe').length")).Should().Be(0);
    }

    [Fact]
    public async Task A_reload_keeps_the_visitor_and_the_conversation_with_its_read_receipts()
    {
        var agent = await OnlineAgentAsync();
        var page = await ShopperAsync();
        await OpenAsync(page);
        await SendAsync(page, "第一条");
        var ticket = await AcceptNextChatAsync(agent);
        await AgentSaysAsync(agent, ticket, "您好，请讲");
        await SendAsync(page, "第二条\n有两行");
        var second = await agent.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Body.StartsWith("第二条"));
        await agent.Hub.InvokeAsync(nameof(ChatHub.MarkRead), ticket, second.Sequence);
        await Expect(CustomerMessage(page, "第二条")).ToHaveAttributeAsync("data-status", "read");

        await page.ReloadAsync();
        await Expect(Panel(page)).ToBeVisibleAsync();
        await Expect(Host(page).Locator(".messages .msg:not(.welcome) .bubble")).ToHaveTextAsync(["第一条", GreetingFor("zh-CN"), "您好，请讲", "第二条\n有两行"]);
        await Expect(Subtitle(page)).ToContainTextAsync(AgentName);
        await Expect(CustomerMessage(page, "第二条")).ToHaveAttributeAsync("data-status", "read");

        // Still the same conversation, live: the agent's next message arrives once.
        await AgentSaysAsync(agent, ticket, "已为您查询");
        await Expect(AgentBubbles(page)).ToHaveTextAsync([GreetingFor("zh-CN"), "您好，请讲", "已为您查询"]);
        await SendAsync(page, "谢谢");
        await agent.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Body == "谢谢" && m.TicketNumber == ticket);

        // Closed, the launcher counts what the agent wrote meanwhile; opening reads it (and says so).
        await page.Keyboard.PressAsync("Escape");
        await Expect(Panel(page)).ToBeHiddenAsync();
        var later = await AgentSaysAsync(agent, ticket, "还有别的问题吗？");
        await Expect(Host(page).Locator(".badge")).ToHaveTextAsync("1");
        await Expect(Launcher(page)).ToHaveAttributeAsync("aria-label", "打开在线客服 (1 条未读消息)");
        await OpenAsync(page);
        await Expect(Host(page).Locator(".badge")).ToBeHiddenAsync();
        await agent.NextAsync<ReadNotice>(nameof(IChatClient.Read), r => r.Side == ActorKind.Customer && r.Sequence == later.Sequence);
        var customer = Db(db => db.Tickets.Single(t => t.Number == ticket).CustomerId);
        Db(db => db.Tickets.Count(t => t.CustomerId == customer && t.Channel == TicketChannel.Chat))
            .Should().Be(1, "the reload resumed the chat, it did not start a second one");
    }

    [Fact]
    public async Task A_message_the_server_refuses_is_marked_failed_with_the_reason_and_leaves_the_outbox()
    {
        var page = await ShopperAsync();
        await OpenAsync(page);
        var tooLong = new string('长', 1400); // 4,200 bytes: over the 4,096 the server takes
        await Composer(page).FillAsync(tooLong);
        await Composer(page).PressAsync("Enter");

        var failed = CustomerMessages(page).First;
        await Expect(failed).ToHaveAttributeAsync("data-status", "failed");
        await Expect(failed.Locator(".reason")).ToHaveTextAsync("未发送：消息太长，请分几条发送");
        await Expect(failed.Locator("button.retry")).ToBeVisibleAsync();
        (await page.EvaluateAsync<string?>("() => localStorage.getItem('helpdesk:demo:outbox')")).Should().BeNull();

        await SendAsync(page, "短一点的消息");
        await Expect(CustomerMessage(page, "短一点的消息")).ToHaveAttributeAsync("data-status", "sent");
        await Expect(failed).ToHaveAttributeAsync("data-status", "failed");
        await ScreenshotAsync(page, "zh-refused");
        await page.ReloadAsync();
        await Expect(Host(page).Locator(".msg.customer .bubble")).ToHaveTextAsync(["短一点的消息"]);
    }

    [Fact]
    public async Task With_websockets_allowed_the_widget_talks_over_a_websocket()
    {
        // Chromium's local-network-access check often refuses ws:// from a loopback page to a loopback
        // server, and the SignalR client then falls back to server-sent events, which most tests
        // here end up driving. Production pages and servers are not both on loopback; this browser
        // lifts that check so the widget's first-choice transport is surely covered too.
        await using var wsBrowser = await ChromiumAsync("--disable-features=LocalNetworkAccessChecks");
        var agent = await OnlineAgentAsync();
        var page = await ShopperAsync("en-US", on: wsBrowser.Browser);
        var sockets = new List<IWebSocket>();
        page.WebSocket += (_, ws) => { lock (sockets) sockets.Add(ws); };
        await OpenAsync(page);
        await SendAsync(page, "over a websocket");
        var ticket = await AcceptNextChatAsync(agent);
        await AgentSaysAsync(agent, ticket, "received");
        await Expect(AgentBubbles(page)).ToHaveTextAsync([GreetingFor("en-US"), "received"]);
        lock (sockets) sockets.Should().Contain(ws => ws.Url.Contains("/hubs/chat") && !ws.IsClosed);
    }
}
