using System.Text.RegularExpressions;
using Helpdesk.Core.Tickets;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpdesk.E2E.Tests.ChatPanel;

/// <summary>What an agent does in a chat besides talking: files, transfer, ending; and what they must never suffer: markup.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatActionsTests(BrowserFixture browser) : ChatPanelTestBase(browser)
{
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR4nGOQz39NEmIY1TCqYfhqAACg0HkQHnesywAAAABJRU5ErkJggg==");
    private static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"u8.ToArray();

    [Fact]
    public async Task Markup_from_customers_is_shown_as_inert_text_in_the_console()
    {
        string[] payloads =
        [
            "<img src=x onerror=alert(1)>",
            "<script>alert(1)</script>",
            "<a href=\"javascript:alert(3)\">点我 click</a>",
            "\"><svg onload=alert(4)></svg><iframe src=\"javascript:alert(5)\"></iframe>",
        ];
        var agent = await AgentAsync(locale: "zh-CN");
        await GoOnlineAsync(agent);
        var (shopper, ticket) = await ShopperStartsChatAsync(agent, payloads[0]);
        await Expect(Offer(agent, ticket).Locator(".offer-first")).ToHaveTextAsync(payloads[0]);
        await AcceptAsync(agent, ticket);
        foreach (var p in payloads.Skip(1))
            await ShopperSaysAsync(shopper, p);
        await Expect(CustomerMessagesInConsole(agent, ticket).Locator(".body")).ToHaveTextAsync(payloads);

        // A visitor whose very name is markup (a pre-chat form would let them choose it).
        await using var evil = await ChatConnection.VisitorAsync(Server);
        var evilName = "<img src=x onerror=alert(6)>";
        var second = await evil.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat),
            new StartChatRequest("<script>alert(7)</script>", Guid.NewGuid().ToString("N"), evilName, null));
        await Expect(Offer(agent, second.TicketNumber).Locator(".offer-customer")).ToHaveTextAsync(evilName);
        await AcceptAsync(agent, second.TicketNumber);
        await evil.Hub.InvokeAsync(nameof(ChatHub.Typing), second.TicketNumber, true);
        await Expect(ChatView(agent, second.TicketNumber).Locator(".chat-typing")).ToHaveTextAsync($"{evilName} 正在输入…");
        await Expect(ChatTab(agent, second.TicketNumber).Locator(".tab-name")).ToHaveTextAsync(evilName);
        await Expect(ChatView(agent, second.TicketNumber).Locator(".customer-display-name")).ToHaveTextAsync(evilName);
        await Expect(ChatView(agent, second.TicketNumber).Locator(".chat-customer-name")).ToHaveTextAsync(evilName);
        await Expect(ChatView(agent, second.TicketNumber).Locator(".past-subject")).ToHaveTextAsync("<script>alert(7)</script>");

        await ChatTab(agent, ticket).ClickAsync();
        await Expect(agent.Locator("img[src=x], img[src='x']")).ToHaveCountAsync(0);
        await Expect(agent.Locator("#chat-panes script, #chat-offers script, #chat-panes iframe, #chat-panes svg[onload]")).ToHaveCountAsync(0);
        await Expect(agent.Locator("#chat-panes a[href^='javascript']")).ToHaveCountAsync(0);
        (await agent.EvaluateAsync<int>("() => document.querySelectorAll('[onerror],[onload]').length")).Should().Be(0);
        Dialogs.Should().BeEmpty();
        await ScreenshotAsync(agent, "zh-markup-as-text");
    }

    [Fact]
    public async Task Files_sent_by_the_agent_reach_the_widget_and_refused_ones_say_why()
    {
        var agent = await AgentAsync(locale: "zh-CN");
        await GoOnlineAsync(agent);
        var (shopper, ticket) = await ShopperStartsChatAsync(agent, "可以发一下发票吗？");
        await AcceptAsync(agent, ticket);
        var file = ChatView(agent, ticket).Locator("input.chat-file");
        await Expect(file).ToHaveAttributeAsync("accept", new Regex("image/png.*application/pdf"));

        // An image: a thumbnail in the console, a link in the widget.
        await file.SetInputFilesAsync(new FilePayload { Name = "产品照片.png", MimeType = "image/png", Buffer = Png });
        var image = ChatLog(agent, ticket).Locator(".attachment-image img.thumb");
        await Expect(image).ToHaveAttributeAsync("src", new Regex(@"^/api/attachments/[0-9a-f-]{36}$"));
        await Expect(image).ToHaveAttributeAsync("alt", "图片：产品照片.png");
        await Expect(image).ToHaveJSPropertyAsync("naturalWidth", 16); // loaded from the server with the agent's cookie
        var widgetThumb = Host(shopper).Locator(".msg.agent .file .thumb");
        await Expect(widgetThumb).ToHaveAttributeAsync("aria-label", new Regex("产品照片.png"));
        await Expect(widgetThumb.Locator("img")).ToHaveJSPropertyAsync("naturalWidth", 16); // fetched with the visitor's token

        // A PDF, held on the wire for a moment: the console shows it uploading, greyed, then delivered.
        var release = new TaskCompletionSource();
        await agent.RouteAsync($"**/api/tickets/{ticket}/attachments", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await file.SetInputFilesAsync(new FilePayload { Name = "发票.pdf", MimeType = "application/pdf", Buffer = Pdf });
        var uploading = ChatLog(agent, ticket).Locator(".msg-agent[data-status=uploading]");
        await Expect(uploading.Locator(".upload-progress")).ToContainTextAsync("正在上传 发票.pdf");
        release.SetResult();
        var pdf = ChatLog(agent, ticket).Locator(".attachment-file");
        await Expect(pdf).ToContainTextAsync("下载 发票.pdf");
        await Expect(pdf).ToHaveAttributeAsync("download", "发票.pdf");
        await Expect(uploading).ToHaveCountAsync(0);
        var widgetPdf = Host(shopper).Locator(".msg.agent .file a.filecard");
        await Expect(widgetPdf.Locator(".fname")).ToHaveTextAsync("发票.pdf");
        await Expect(widgetPdf).ToHaveAttributeAsync("download", "发票.pdf");
        await agent.UnrouteAllAsync();

        // Refused by the server (the bytes are no image, whatever the name says), and refused before
        // sending (too big): the reason is on the message, in Chinese; it can be discarded.
        await file.SetInputFilesAsync(new FilePayload { Name = "假图片.png", MimeType = "image/png", Buffer = "MZ not really a picture"u8.ToArray() });
        var refused = ChatLog(agent, ticket).Locator(".msg-agent[data-status=failed]");
        await Expect(refused.Locator(".reason")).ToHaveTextAsync("假图片.png 未能发送：只能发送图片（PNG、JPEG、GIF、WebP）或 PDF 文件");
        await file.SetInputFilesAsync(new FilePayload { Name = "大文件.pdf", MimeType = "application/pdf", Buffer = new byte[10 * 1024 * 1024 + 1] });
        await Expect(refused.Last.Locator(".reason")).ToHaveTextAsync("大文件.pdf 未能发送：文件超过 10 MB");
        await ScreenshotAsync(agent, "zh-files");
        await refused.First.Locator(".discard").ClickAsync();
        await refused.First.Locator(".discard").ClickAsync();
        await Expect(refused).ToHaveCountAsync(0);

        // The customer sends a photo with the widget's paperclip: a thumbnail on their side of the log.
        await Host(shopper).Locator(".composer input[type=file]").SetInputFilesAsync(new FilePayload { Name = "损坏照片.png", MimeType = "image/png", Buffer = Png });
        var fromCustomer = CustomerMessagesInConsole(agent, ticket).Filter(new() { Has = agent.Locator("img.thumb") });
        await Expect(fromCustomer.Locator("img.thumb")).ToHaveJSPropertyAsync("naturalWidth", 16);
        await Expect(fromCustomer.Locator("img.thumb")).ToHaveAttributeAsync("alt", "图片：损坏照片.png");
        await Expect(fromCustomer.Locator("a.attachment-image")).ToHaveAttributeAsync("target", "_blank");

        var stored = Db(db => db.TicketMessages.Where(m => db.Tickets.Any(t => t.Id == m.TicketId && t.Number == ticket) && m.AttachmentId != null)
            .Select(m => m.AttachmentName).ToList());
        stored.Should().BeEquivalentTo("产品照片.png", "发票.pdf", "损坏照片.png");
    }

    [Fact]
    public async Task A_chat_transferred_to_another_agent_moves_to_their_console()
    {
        var agent1 = await AgentAsync(Agent1, "en-US");
        await GoOnlineAsync(agent1);
        var agent2 = await AgentAsync(Agent2, "zh-CN");
        var (shopper, ticket) = await ShopperStartsChatAsync(agent1, "我想换货");
        await AcceptAsync(agent1, ticket);
        await AgentSaysAsync(agent1, ticket, "稍等，我帮您转给售后同事。");

        await ChatView(agent1, ticket).Locator(".chat-transfer-open").ClickAsync();
        var form = ChatView(agent1, ticket).Locator("form.chat-transfer");
        await Expect(form.Locator(".chat-transfer-agent option")).Not.ToContainTextAsync([Agent1Name]);
        var agent2Id = Db(db => db.Users.Single(u => u.Email == Agent2).Id);
        // The customer typing meanwhile must not rebuild the form under the agent's hand.
        await form.Locator(".chat-transfer-agent").FocusAsync();
        await form.Locator(".chat-transfer-agent").EvaluateAsync("el => { el.dataset.marker = 'same'; }");
        await WidgetComposer(shopper).PressSequentiallyAsync("还在吗", new() { Delay = 0 });
        await Expect(ChatView(agent1, ticket).Locator(".chat-typing")).ToBeVisibleAsync();
        await Expect(form.Locator(".chat-transfer-agent")).ToHaveAttributeAsync("data-marker", "same");
        await Expect(form.Locator(".chat-transfer-agent")).ToBeFocusedAsync();
        await WidgetComposer(shopper).FillAsync("");
        await form.Locator(".chat-transfer-agent").SelectOptionAsync(agent2Id.ToString());
        await ScreenshotAsync(agent1, "en-transfer");
        await form.Locator(".chat-transfer-submit").ClickAsync();

        await Expect(ChatTab(agent1, ticket)).ToHaveCountAsync(0);
        await Expect(agent1.Locator("#chat-notices .banner")).ToHaveTextAsync(new Regex($"Chat #{ticket} handed over to {Agent2Name}"));
        await Expect(ChatTab(agent2, ticket)).ToBeVisibleAsync();
        await ChatTab(agent2, ticket).ClickAsync();
        await Expect(ChatView(agent2, ticket).Locator(".msg-customer .body")).ToHaveTextAsync(["我想换货"]);
        await Expect(AgentMessage(agent2, ticket, "稍等，我帮您转给售后同事。").Locator(".author")).ToHaveTextAsync(Agent1Name);
        await Expect(ChatView(agent2, ticket).Locator(".msg-system").Last).ToContainTextAsync("处理人由 李娜 Li Na 改为 张伟 Zhang Wei");

        await AgentSaysAsync(agent2, ticket, "您好，我是售后张伟，接下来由我为您服务。");
        await Expect(WidgetAgentBubbles(shopper).Last).ToHaveTextAsync("您好，我是售后张伟，接下来由我为您服务。");
        await Expect(Host(shopper).Locator(".msg.agent .author").Last).ToHaveTextAsync(Agent2Name);
        await ShopperSaysAsync(shopper, "好的，谢谢");
        await Expect(CustomerMessagesInConsole(agent2, ticket).Last.Locator(".body")).ToHaveTextAsync("好的，谢谢");
        Db(db => db.Tickets.Single(t => t.Number == ticket).AssigneeId).Should().Be(agent2Id);
        await ScreenshotAsync(agent2, "zh-transferred-in");
    }

    [Fact]
    public async Task Ending_a_chat_shows_it_ended_on_both_sides_and_the_tab_can_then_be_closed()
    {
        var agent = await AgentAsync(locale: "en-US");
        await GoOnlineAsync(agent);
        var (shopper, ticket) = await ShopperStartsChatAsync(agent, "Just checking the opening hours", "en-US");
        await AcceptAsync(agent, ticket);

        // A refused message says why, in words, and can be discarded; the next one goes through.
        await ChatInput(agent, ticket).FillAsync(new string('长', 1400)); // 4,200 bytes: over the 4 KB limit
        await ChatInput(agent, ticket).PressAsync("Enter");
        var refused = ChatLog(agent, ticket).Locator(".msg-agent[data-status=failed]");
        await Expect(refused.Locator(".reason")).ToHaveTextAsync("Not sent: the message is too long; split it or send a file");
        await Expect(refused.Locator(".retry")).ToBeVisibleAsync();
        await refused.Locator(".discard").ClickAsync();
        await Expect(refused).ToHaveCountAsync(0);
        await AgentSaysAsync(agent, ticket, "We are open 9:00–21:00 every day.");
        await Expect(WidgetAgentBubbles(shopper)).ToHaveTextAsync([GreetingFor("en-US"), "We are open 9:00–21:00 every day."]);

        await ChatView(agent, ticket).Locator(".chat-end").ClickAsync();
        await Expect(ChatView(agent, ticket).Locator(".chat-tool")).ToContainTextAsync("End the chat with");
        await ChatView(agent, ticket).Locator(".chat-end-confirm").ClickAsync();

        await Expect(ChatView(agent, ticket)).ToHaveAttributeAsync("data-ended", "true");
        await Expect(ChatView(agent, ticket).Locator(".chat-banners")).ToHaveTextAsync("The chat has ended.");
        await Expect(ChatInput(agent, ticket)).ToBeDisabledAsync();
        await Expect(ChatView(agent, ticket).Locator(".chat-send")).ToBeDisabledAsync();
        await Expect(ChatTab(agent, ticket).Locator(".tab-ended")).ToHaveTextAsync("Ended");
        await Expect(ChatLog(agent, ticket).Locator(".msg-system .body")).ToContainTextAsync(["The chat was ended by an agent", "Status changed from Assigned to Resolved"]);
        await Expect(Host(shopper).Locator(".msg.system").Last).ToHaveTextAsync("This chat has ended");
        Db(db => db.Tickets.Single(t => t.Number == ticket).Status).Should().Be(TicketStatus.Resolved);
        await ScreenshotAsync(agent, "en-ended");

        await ChatView(agent, ticket).Locator(".chat-close").ClickAsync();
        await Expect(ChatTab(agent, ticket)).ToHaveCountAsync(0);
        await Expect(agent.Locator("#ticket-view")).ToBeVisibleAsync();

        // The customer may end it too; the console says who did.
        var (other, second) = await ShopperStartsChatAsync(agent, "Never mind", "en-US");
        await AcceptAsync(agent, second);
        await Host(other).Locator("#hd-end-chat").ClickAsync();
        await Expect(ChatView(agent, second).Locator(".chat-banners")).ToHaveTextAsync("The customer left; the chat has ended.");
        await Expect(ChatInput(agent, second)).ToBeDisabledAsync();
        await ChatTab(agent, second).Locator("xpath=..").Locator(".tab-close").ClickAsync();
        await Expect(ChatTab(agent, second)).ToHaveCountAsync(0);
    }
}
