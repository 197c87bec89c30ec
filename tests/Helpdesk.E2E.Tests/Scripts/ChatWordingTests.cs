using Helpdesk.Core.Tickets;
using Helpdesk.E2E.Tests.ChatPanel;
using Helpdesk.E2E.Tests.Fixtures;

namespace Helpdesk.E2E.Tests.Scripts;

/// <summary>
/// Standard wording in a live chat between the console and the widget: the greeting said on
/// accept, the guard in the chat composer, the / picker there, and ending with the closing question.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatWordingTests(BrowserFixture browser) : ChatPanelTestBase(browser)
{
    private List<string> StoredAgentBodies(long ticket) =>
        Db(db => db.TicketMessages.Where(m => db.Tickets.Any(t => t.Id == m.TicketId && t.Number == ticket) && m.Kind == MessageKind.Agent)
            .OrderBy(m => m.Sequence).Select(m => m.Body).ToList());

    [Fact]
    public async Task The_greeting_opens_the_chat_and_forbidden_wording_is_blocked_with_the_approved_wording_one_click_away()
    {
        var agent = await AgentAsync(locale: "zh-CN");
        await GoOnlineAsync(agent);
        var (shopper, ticket) = await ShopperStartsChatAsync(agent, "我的快递三天了还没到");
        await AcceptAsync(agent, ticket);
        await Expect(WidgetAgentBubbles(shopper)).ToHaveTextAsync([GreetingFor("zh-CN")]);
        await Expect(AgentMessages(agent, ticket).Locator(".body")).ToHaveTextAsync([GreetingFor("zh-CN")]);

        var input = ChatInput(agent, ticket);
        await input.ClickAsync();
        await input.PressSequentiallyAsync("快递慢，您就慢慢等着吧", new() { Delay = 0 });
        await input.PressAsync("Enter");
        var guard = ChatView(agent, ticket).Locator(".wording-guard");
        await Expect(guard).ToBeVisibleAsync();
        await Expect(guard.Locator(".wording-blocked")).ToContainTextAsync("慢慢等着吧");
        await Expect(guard.Locator(".wording-suggestion")).ToContainTextAsync("非常抱歉让您久等了，我正在加紧为您处理，请您稍等。");
        await Expect(input).ToHaveValueAsync("快递慢，您就慢慢等着吧");
        await ScreenshotAsync(agent, "zh-guard");
        StoredAgentBodies(ticket).Should().Equal([GreetingFor("zh-CN")], "the forbidden message went nowhere");

        await guard.Locator(".wording-replace").ClickAsync();
        await Expect(input).ToHaveValueAsync("快递慢，您就非常抱歉让您久等了，我正在加紧为您处理，请您稍等。");
        await Expect(guard).ToBeHiddenAsync();
        await input.PressAsync("Enter");
        await Expect(input).ToHaveValueAsync("");
        await Expect(WidgetAgentBubbles(shopper)).ToHaveTextAsync([GreetingFor("zh-CN"), "快递慢，您就非常抱歉让您久等了，我正在加紧为您处理，请您稍等。"]);

        // A customer is not subject to the guard.
        await ShopperSaysAsync(shopper, "那我就慢慢等着吧");
        await Expect(CustomerMessagesInConsole(agent, ticket).Last.Locator(".body")).ToHaveTextAsync("那我就慢慢等着吧");
    }

    [Fact]
    public async Task The_chat_composers_picker_works_from_the_keyboard_and_the_agent_ends_with_the_closing_question()
    {
        var agent = await AgentAsync(locale: "en-US");
        await GoOnlineAsync(agent);
        var (shopper, ticket) = await ShopperStartsChatAsync(agent, "Where is my parcel?", locale: "en-US");
        await AcceptAsync(agent, ticket);
        await Expect(WidgetAgentBubbles(shopper)).ToHaveTextAsync([GreetingFor("en-US")]);

        var input = ChatInput(agent, ticket);
        await input.ClickAsync();
        await input.PressSequentiallyAsync("/delivery", new() { Delay = 0 });
        var picker = ChatView(agent, ticket).Locator(".script-picker");
        await Expect(picker.Locator("[role=option][aria-selected=true] .script-option-name")).ToHaveTextAsync("Delivery tracking");
        await input.PressAsync("Enter"); // inserts, does not send
        await Expect(input).ToHaveValueAsync("Could you give me your order number? I will check the delivery status for you right away.");
        await Expect(picker).ToBeHiddenAsync();
        await input.PressAsync("Enter"); // now it sends
        await Expect(input).ToHaveValueAsync("");
        await Expect(WidgetAgentBubbles(shopper).Last).ToHaveTextAsync("Could you give me your order number? I will check the delivery status for you right away.");

        // Ending offers the closing question first.
        await ChatView(agent, ticket).Locator(".chat-end").ClickAsync();
        var withClosing = ChatView(agent, ticket).Locator(".chat-end-closing");
        await Expect(withClosing).ToHaveTextAsync("Send closing question and end");
        await Expect(ChatView(agent, ticket).Locator(".chat-end-confirm")).ToHaveTextAsync("End now");
        await Expect(withClosing).ToBeFocusedAsync();
        await agent.Keyboard.PressAsync("Enter");
        await Expect(WidgetAgentBubbles(shopper).Last).ToHaveTextAsync("Is there anything else I can help you with?");
        await Expect(ChatView(agent, ticket)).ToHaveAttributeAsync("data-ended", "true");
        StoredAgentBodies(ticket).Last().Should().Be("Is there anything else I can help you with?");
        Db(db => db.Tickets.Single(t => t.Number == ticket).ChatEndedAt).Should().NotBeNull();
    }
}
