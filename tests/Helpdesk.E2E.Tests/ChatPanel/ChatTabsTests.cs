using System.Text.RegularExpressions;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpdesk.E2E.Tests.ChatPanel;

/// <summary>Several conversations at once: tabs, unread counts, read marks, and a reload that keeps them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatTabsTests(BrowserFixture browser) : ChatPanelTestBase(browser)
{
    [Fact]
    public async Task Two_chats_in_tabs_count_unread_messages_until_looked_at_and_a_reload_brings_them_back()
    {
        var agent = await AgentAsync(locale: "en-US");
        await GoOnlineAsync(agent);
        var (alice, a) = await ShopperStartsChatAsync(agent, "A: first question");
        await AcceptAsync(agent, a);
        var (bob, b) = await ShopperStartsChatAsync(agent, "B: first question", "en-US");
        await AcceptAsync(agent, b);
        await Expect(agent.Locator(".work-tab [role=tab]")).ToHaveCountAsync(3); // the ticket, then one per chat
        await Expect(ChatView(agent, a)).ToBeHiddenAsync();

        // Looking at A; B writes twice: B's tab and the total count them, the page title too.
        await ChatTab(agent, a).ClickAsync();
        await Expect(ChatView(agent, a)).ToBeVisibleAsync();
        await ShopperSaysAsync(bob, "B: are you there?");
        await ShopperSaysAsync(bob, "B: hello?");
        await Expect(ChatTab(agent, b).Locator(".unread")).ToHaveTextAsync("2");
        await Expect(agent.Locator("#chat-unread-total")).ToHaveTextAsync("2 unread");
        await Expect(agent).ToHaveTitleAsync(new Regex(@"^\(2\) "));
        await Expect(ChatTab(agent, a).Locator(".unread")).ToBeHiddenAsync();
        await Expect(WidgetCustomerMessage(bob, "B: hello?")).ToHaveAttributeAsync("data-status", "sent"); // not read yet
        await ScreenshotAsync(agent, "en-two-chats-unread");

        // Alice writes into the open tab: read at once, nothing counted.
        await ShopperSaysAsync(alice, "A: thanks");
        await Expect(CustomerMessagesInConsole(agent, a).Last.Locator(".body")).ToHaveTextAsync("A: thanks");
        await Expect(WidgetCustomerMessage(alice, "A: thanks")).ToHaveAttributeAsync("data-status", "read");
        await Expect(ChatTab(agent, a).Locator(".unread")).ToBeHiddenAsync();

        // Opening B reads it: the counts go, Bob sees ✓✓.
        await ChatTab(agent, b).ClickAsync();
        await Expect(ChatTab(agent, b).Locator(".unread")).ToBeHiddenAsync();
        await Expect(agent.Locator("#chat-unread-total")).ToBeHiddenAsync();
        await Expect(WidgetCustomerMessage(bob, "B: hello?")).ToHaveAttributeAsync("data-status", "read");
        await Expect(agent).Not.ToHaveTitleAsync(new Regex(@"^\("));

        // Each answer goes to its own customer only.
        await AgentSaysAsync(agent, b, "Yes, Bob, here I am.");
        await ChatTab(agent, a).ClickAsync();
        await AgentSaysAsync(agent, a, "You are welcome, Alice.");
        await Expect(WidgetAgentBubbles(bob)).ToHaveTextAsync([GreetingFor("en-US"), "Yes, Bob, here I am."]);
        await Expect(WidgetAgentBubbles(alice)).ToHaveTextAsync([GreetingFor("zh-CN"), "You are welcome, Alice."]);
        await Expect(AgentMessage(agent, a, "You are welcome, Alice.")).ToHaveAttributeAsync("data-status", "read");

        // A third chat is offered; the console reloads before the agent answers.
        await ChatTab(agent, b).ClickAsync();
        await ShopperSaysAsync(alice, "A: one more thing");
        await Expect(ChatTab(agent, a).Locator(".unread")).ToHaveTextAsync("1");
        var (_, c) = await ShopperStartsChatAsync(agent, "C: waiting for an answer", "en-US");
        await agent.ReloadAsync();

        await Expect(Connection(agent)).ToHaveAttributeAsync("data-state", "connected");
        await Expect(agent.Locator(".presence [data-presence=Online]")).ToHaveAttributeAsync("aria-checked", "true");
        await Expect(ChatTab(agent, a)).ToBeVisibleAsync();
        await Expect(ChatTab(agent, b)).ToBeVisibleAsync();
        await Expect(ChatTab(agent, a).Locator(".unread")).ToHaveTextAsync("1", new() { Timeout = 15_000 });
        await Expect(ChatTab(agent, b).Locator(".unread")).ToBeHiddenAsync();
        await Expect(Offer(agent, c)).ToBeVisibleAsync();
        await Expect(Offer(agent, c).Locator(".offer-first")).ToHaveTextAsync("C: waiting for an answer");
        await Expect(Offer(agent, c).Locator(".offer-countdown")).ToHaveTextAsync(new Regex(@"in \d+ s$"));

        await ChatTab(agent, a).ClickAsync();
        await Expect(ChatView(agent, a).Locator(".msg-customer .body")).ToHaveTextAsync(["A: first question", "A: thanks", "A: one more thing"]);
        await Expect(AgentMessage(agent, a, "You are welcome, Alice.")).ToHaveAttributeAsync("data-status", "read");
        await Expect(ChatTab(agent, a).Locator(".unread")).ToBeHiddenAsync();
        await Expect(WidgetCustomerMessage(alice, "A: one more thing")).ToHaveAttributeAsync("data-status", "read");

        // Declined, the offer goes.
        await Offer(agent, c).Locator("[data-action=decline]").ClickAsync();
        await Expect(Offer(agent, c)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_offer_taken_by_a_colleague_is_withdrawn_from_the_console()
    {
        var agent = await AgentAsync(locale: "zh-CN");
        await GoOnlineAsync(agent);
        var (_, ticket) = await ShopperStartsChatAsync(agent, "谁来接待我？");
        await Expect(Offer(agent, ticket).Locator(".offer-countdown")).ToContainTextAsync("秒内未接入将转给其他客服");

        // The supervisor, whose console is open too, takes it from the queue (another device of theirs).
        var supervisor = await AgentAsync("supervisor@demo.local", "zh-CN");
        await using var hub = await ChatConnection.StaffAsync(Server, await Server.StaffAsync("supervisor@demo.local"));
        await hub.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), ticket);

        await Expect(Offer(agent, ticket)).ToHaveCountAsync(0);
        await Expect(ChatTab(supervisor, ticket)).ToBeVisibleAsync(); // assigned to them: their console opens it
        await Expect(ChatTab(agent, ticket)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Presence_chosen_in_one_console_is_followed_by_the_agents_other_console()
    {
        var first = await AgentAsync(locale: "zh-CN");
        await GoOnlineAsync(first);
        var second = await first.Context.NewPageAsync();
        Watch(second);
        await second.GotoAsync("/agent/");
        await Expect(Connection(second)).ToHaveAttributeAsync("data-state", "connected");
        await Expect(second.Locator(".presence [data-presence=Online]")).ToHaveAttributeAsync("aria-checked", "true");

        await first.Locator(".presence [data-presence=Away]").ClickAsync();
        await Expect(second.Locator(".presence [data-presence=Away]")).ToHaveAttributeAsync("aria-checked", "true");
        await WaitForAsync(() => PresenceOf(Agent1) == Helpdesk.Core.Chat.PresenceStatus.Away, "away on the server");

        // Closing one console leaves the agent as they were; closing the last one makes them offline.
        await second.CloseAsync();
        await first.Locator(".presence [data-presence=Online]").ClickAsync();
        await WaitForAsync(() => PresenceOf(Agent1) == Helpdesk.Core.Chat.PresenceStatus.Online, "online on the server");
        await first.CloseAsync();
        await WaitForAsync(() => PresenceOf(Agent1) == Helpdesk.Core.Chat.PresenceStatus.Offline, "offline once no console is open");
    }
}
