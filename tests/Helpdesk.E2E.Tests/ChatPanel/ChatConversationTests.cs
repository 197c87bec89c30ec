using System.Text.RegularExpressions;
using Helpdesk.Core.Tickets;
using Helpdesk.E2E.Tests.Fixtures;

namespace Helpdesk.E2E.Tests.ChatPanel;

/// <summary>An agent in the console and a shopper in the widget, talking.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatConversationTests(BrowserFixture browser) : ChatPanelTestBase(browser)
{
    public static TheoryData<string, string, string, string, string, string, string> Languages => new()
    {
        { "zh-CN", "你好，我想问一下耳机的保修\n订单号 SO-20261118-0042", "您好，欢迎咨询，请问是哪一款耳机？\n我帮您查一下。", "KJ500 降噪款", "新的在线咨询", "正在输入", "匿名访客" },
        { "en-US", "Hello, a question about my headphones' warranty\nOrder SO-20261118-0042", "Hello! Which model is it?\nI will look it up.", "The KJ500", "New chat request", "is typing", "Anonymous visitor" },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_agent_hears_the_offer_accepts_it_and_both_sides_see_every_message(
        string locale, string first, string reply, string answer, string offerTitle, string typing, string anonymous)
    {
        var agent = await AgentAsync(locale: locale);
        var lang = locale[..2];
        await Expect(agent.Locator(".presence [data-presence=Offline]")).ToHaveAttributeAsync("aria-checked", "true");
        await GoOnlineAsync(agent);
        (await agent.EvaluateAsync<string>("() => Object.entries(localStorage).find(([k]) => k.startsWith('helpdesk.chat.presence.'))?.[1]"))
            .Should().Be("Online", "the choice is remembered in this browser");

        // The offer: a card with the customer, the first line and a countdown, and a chime.
        var (shopper, ticket) = await ShopperStartsChatAsync(agent, first);
        var card = Offer(agent, ticket);
        await Expect(card).ToHaveAttributeAsync("role", "alert");
        await Expect(card.Locator(".offer-title")).ToHaveTextAsync(offerTitle);
        await Expect(card.Locator(".offer-customer")).ToContainTextAsync("Visitor");
        await Expect(card.Locator(".offer-first")).ToHaveTextAsync(first.Split('\n')[0]);
        await Expect(card.Locator(".offer-countdown")).ToHaveTextAsync(new Regex(lang == "zh" ? @"^(30|2\d) 秒内" : @"in (30|2\d) s$"));
        var seconds = int.Parse((await card.GetAttributeAsync("data-seconds"))!);
        await Expect(card).Not.ToHaveAttributeAsync("data-seconds", seconds.ToString()); // it counts down
        (await agent.EvaluateAsync<int>("() => window.__oscillators")).Should().BeGreaterThanOrEqualTo(2, "the offer plays a two-note chime");
        await ScreenshotAsync(agent, $"{lang}-offer");

        await AcceptAsync(agent, ticket);
        await Expect(ChatInput(agent, ticket)).ToBeFocusedAsync();
        var firstInConsole = CustomerMessagesInConsole(agent, ticket).First.Locator(".body");
        await Expect(firstInConsole).ToHaveTextAsync(first);
        (await firstInConsole.EvaluateAsync<string>("e => getComputedStyle(e).whiteSpace")).Should().Be("pre-wrap");
        await Expect(ChatLog(agent, ticket).Locator(".msg-system").First).ToContainTextAsync(lang == "zh" ? "已分配给 李娜 Li Na" : "Assigned to 李娜 Li Na");

        // The customer card beside the conversation.
        var side = ChatView(agent, ticket).Locator(".chat-customer");
        await Expect(side.Locator(".customer-display-name")).ToContainTextAsync("Visitor");
        await Expect(side.Locator("[data-identified]")).ToHaveTextAsync(anonymous);
        await Expect(ChatView(agent, ticket).Locator(".past-ticket")).ToHaveCountAsync(1);

        // The shopper sees the agent typing is not our subject here; the agent sees the shopper typing.
        await WidgetComposer(shopper).PressSequentiallyAsync("K", new() { Delay = 0 });
        await Expect(ChatView(agent, ticket).Locator(".chat-typing")).ToContainTextAsync(typing);

        // The agent answers with two lines; ✓ when stored, ✓✓ once the open widget has read it.
        await AgentSaysAsync(agent, ticket, reply);
        // The approved greeting was said on accept, in the shopper's language (this shop page is Chinese), before the agent's own words.
        await Expect(WidgetAgentBubbles(shopper)).ToHaveTextAsync([GreetingFor("zh-CN"), reply]);
        var sent = AgentMessage(agent, ticket, reply.Split('\n')[0]);
        await Expect(sent.Locator(".body")).ToHaveTextAsync(reply);
        await Expect(sent).ToHaveAttributeAsync("data-status", "read");
        await Expect(sent.Locator(".tick.read")).ToHaveTextAsync("✓✓");

        await WidgetComposer(shopper).FillAsync("");
        await ShopperSaysAsync(shopper, answer);
        await Expect(CustomerMessagesInConsole(agent, ticket).Last.Locator(".body")).ToHaveTextAsync(answer);
        await Expect(ChatView(agent, ticket).Locator(".chat-typing")).ToBeHiddenAsync();
        // Read at once, the tab being open and focused: the shopper's ✓✓ comes back.
        await Expect(WidgetCustomerMessage(shopper, answer)).ToHaveAttributeAsync("data-status", "read");
        await Expect(ChatTab(agent, ticket).Locator(".unread")).ToBeHiddenAsync();

        (await ConsoleBodiesAsync(agent, ticket)).Should().Equal(first, GreetingFor("zh-CN"), reply, answer);
        var stored = Db(db => db.TicketMessages.Where(m => db.Tickets.Any(t => t.Id == m.TicketId && t.Number == ticket) && m.Kind != MessageKind.System)
            .OrderBy(m => m.Sequence).Select(m => m.Body).ToList());
        stored.Should().Equal(first, GreetingFor("zh-CN"), reply, answer);
        await agent.Mouse.MoveAsync(0, 0);
        await ScreenshotAsync(agent, $"{lang}-conversation");
        await ScreenshotAsync(shopper, $"{lang}-conversation-widget");
    }

    [Fact]
    public async Task An_identified_shopper_comes_with_their_customer_card_whose_past_tickets_open_in_the_ticket_view()
    {
        var agent = await AgentAsync(locale: "zh-CN");
        await GoOnlineAsync(agent);
        var shopper = await ShopperAsync("zh-CN", "/demo/signed-in.html");
        await OpenWidgetAsync(shopper);
        await ShopperSaysAsync(shopper, "我的积分还是没到账");
        var ticket = await OfferedTicketAsync(agent);
        await Expect(Offer(agent, ticket).Locator(".offer-customer")).ToHaveTextAsync("王芳");
        await AcceptAsync(agent, ticket);

        var card = ChatView(agent, ticket).Locator(".chat-customer");
        await Expect(card.Locator(".customer-display-name")).ToHaveTextAsync("王芳");
        await Expect(card.Locator("[data-identified=true]")).ToHaveTextAsync("已认证用户");
        await Expect(card.Locator(".customer-email")).ToHaveTextAsync("wang.fang@example.cn");
        await Expect(card.Locator(".customer-mobile")).ToHaveTextAsync("13500135000");
        await Expect(card.Locator(".customer-region")).ToHaveTextAsync("西南");
        await Expect(card.Locator(".customer-tier")).ToHaveTextAsync("重点开发客户");
        await Expect(card.Locator(".customer-credit")).ToContainTextAsync("★★☆☆☆");
        await Expect(card.Locator(".customer-credit")).ToContainTextAsync("2 / 5");
        var past = ChatView(agent, ticket).Locator(".past-ticket");
        await Expect(past.Filter(new() { HasTextString = "本会话" })).ToContainTextAsync("我的积分还是没到账");
        var earlier = past.Filter(new() { HasTextString = "会员积分没有到账" });
        await Expect(earlier).ToHaveCountAsync(1);
        var earlierNumber = long.Parse((await earlier.GetAttributeAsync("data-number"))!);
        await ScreenshotAsync(agent, "zh-identified-customer");

        // A draft survives a visit to the ticket view, which a past ticket's link opens.
        await ChatInput(agent, ticket).FillAsync("王女士您好，我查一下");
        await earlier.ClickAsync();
        await Expect(agent.Locator("#ticket-tab")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(agent.Locator("#ticket-subject")).ToHaveTextAsync("会员积分没有到账");
        await Expect(agent.Locator("#ticket-tab")).ToHaveTextAsync($"工单 #{earlierNumber}");
        await Expect(ChatView(agent, ticket)).ToBeHiddenAsync();
        await Expect(agent).ToHaveURLAsync(new Regex($"ticket={earlierNumber}"));
        await ChatTab(agent, ticket).ClickAsync();
        await Expect(ChatInput(agent, ticket)).ToHaveValueAsync("王女士您好，我查一下");

        // The language switch rewords the panel in place.
        await agent.Locator("button[data-lang=en]").ClickAsync();
        await Expect(card.Locator(".customer-tier")).ToHaveTextAsync("Development target");
        await Expect(card.Locator(".customer-region")).ToHaveTextAsync("Southwest");
        await Expect(card.Locator("[data-identified=true]")).ToHaveTextAsync("Identified user");
        await Expect(agent.Locator(".presence [data-presence=Online]")).ToHaveTextAsync("Online");
        await Expect(Connection(agent)).ToHaveTextAsync("Connected");
        await Expect(ChatLog(agent, ticket).Locator(".msg-system").First).ToContainTextAsync("Assigned to 李娜 Li Na");
        await Expect(ChatInput(agent, ticket)).ToHaveValueAsync("王女士您好，我查一下");
        await ScreenshotAsync(agent, "en-identified-customer");
    }
}
