using Helpdesk.Core.Tickets;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.Web.Chat;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.E2E.Tests.Widget;

/// <summary>Waiting in the queue, leaving a message, the pre-chat form and identified users.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetVisitorTests(BrowserFixture browser) : WidgetTestBase(browser)
{
    [Fact]
    public async Task With_nobody_online_shoppers_see_their_place_in_the_queue_and_it_moves_live()
    {
        var first = await ShopperAsync("en-US");
        await OpenAsync(first);
        await Expect(Host(first).Locator(".offline")).ToContainTextAsync("No agent is online right now.");
        await SendAsync(first, "Anyone there?");
        await Expect(QueueBar(first)).ToContainTextAsync("You are number 1 in the queue");

        var second = await ShopperAsync("zh-CN");
        await OpenAsync(second);
        await SendAsync(second, "有人吗？");
        await Expect(QueueBar(second)).ToContainTextAsync("您前面还有 1 位");
        await ScreenshotAsync(second, "zh-queue");

        // An agent comes online: the estimate appears; the first chat is taken and the second moves up.
        var agent = await OnlineAgentAsync();
        await Expect(QueueBar(second)).ToContainTextAsync(new System.Text.RegularExpressions.Regex("您前面还有 1 位，预计等待约 \\d+ 分钟"));
        var taken = await AcceptNextChatAsync(agent);
        Db(db => db.Tickets.Single(t => t.Number == taken).Subject).Should().Be("Anyone there?");
        await Expect(QueueBar(first)).ToBeHiddenAsync();
        await Expect(Subtitle(first)).ToContainTextAsync(AgentName);
        await Expect(QueueBar(second)).ToContainTextAsync(new System.Text.RegularExpressions.Regex("您是下一位，预计等待约 \\d+ 分钟"));
        await ScreenshotAsync(first, "en-agent-joined");
    }

    [Fact]
    public async Task With_nobody_online_a_shopper_leaves_a_message_which_becomes_a_ticket()
    {
        var page = await ShopperAsync("zh-CN");
        await OpenAsync(page);
        var offer = Host(page).Locator(".offline");
        await Expect(offer).ToContainTextAsync("暂时没有客服在线。");
        await offer.GetByRole(AriaRole.Button, new() { Name = "留言" }).ClickAsync();

        var form = Host(page).Locator("form.form:visible");
        await Expect(form.Locator("input[name=name]")).ToBeFocusedAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "提交留言" }).ClickAsync();
        await Expect(form.Locator("#hd-leave-name-error")).ToHaveTextAsync("请填写姓名");
        await Expect(form.Locator("#hd-leave-email-error")).ToHaveTextAsync("请填写邮箱");
        await Expect(form.Locator("#hd-leave-text-error")).ToHaveTextAsync("请填写留言内容");
        await Expect(form.Locator("input[name=email]")).ToHaveAttributeAsync("aria-invalid", "true");

        await form.GetByLabel("姓名").FillAsync("陈明");
        await form.GetByLabel("邮箱").FillAsync("not-an-email");
        await form.GetByLabel("留言内容").FillAsync("请明天上午联系我，\n关于发票抬头的修改。");
        await form.GetByRole(AriaRole.Button, new() { Name = "提交留言" }).ClickAsync();
        await Expect(form.Locator("#hd-leave-email-error")).ToHaveTextAsync("请填写有效的邮箱地址");
        await Expect(form.Locator("#hd-leave-name-error")).ToHaveTextAsync("");

        // The page's check lets this typo through; the server's 400 names the field, shown beside it.
        await form.GetByLabel("邮箱").FillAsync("chen@example,cn");
        var refused = page.WaitForResponseAsync(r => r.Url.EndsWith("/api/widget/offline-messages") && r.Status == 400);
        await form.GetByRole(AriaRole.Button, new() { Name = "提交留言" }).ClickAsync();
        await refused;
        await Expect(form.Locator("#hd-leave-email-error")).ToHaveTextAsync("请填写有效的邮箱地址");
        Db(db => db.Tickets.Count(t => t.Tags.Contains("离线留言"))).Should().Be(0);

        await form.GetByLabel("邮箱").FillAsync("chen@example.cn");
        await form.GetByRole(AriaRole.Button, new() { Name = "提交留言" }).ClickAsync();
        var done = Host(page).Locator(".done");
        await Expect(done).ToContainTextAsync("留言已收到，工单号 #");
        var number = long.Parse(System.Text.RegularExpressions.Regex.Match(await done.TextContentAsync() ?? "", @"#(\d+)").Groups[1].Value);
        await ScreenshotAsync(page, "zh-left-a-message");

        var ticket = Db(db => db.Tickets.AsNoTracking().Single(t => t.Number == number));
        ticket.Channel.Should().Be(TicketChannel.Email);
        ticket.Tags.Should().Contain("离线留言");
        Db(db => db.Customers.Single(c => c.Id == ticket.CustomerId)).Email.Should().Be("chen@example.cn");
        Db(db => db.TicketMessages.Where(m => m.TicketId == ticket.Id).Select(m => m.Body).ToList())
            .Should().Contain(b => b.Contains("关于发票抬头的修改") && b.Contains("chen@example.cn"));
    }

    [Fact]
    public async Task The_pre_chat_form_asks_for_name_and_email_before_the_first_message()
    {
        var page = await ShopperAsync("en-US");
        await page.RouteAsync("**/demo/prechat.html", route => route.FulfillAsync(new()
        {
            ContentType = "text/html; charset=utf-8",
            Body = """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pre-chat</title></head>
                <body><h1>Shop</h1>
                <script src="/widget/helpdesk-widget.js" data-site-key="demo" data-prechat="true" async></script>
                </body></html>
                """,
        }));
        await page.GotoAsync("/demo/prechat.html");
        await OpenAsync(page);
        var form = Host(page).Locator("form.form:visible");
        await Expect(Composer(page)).ToBeHiddenAsync();
        await Expect(form.GetByLabel("Name")).ToBeFocusedAsync();

        await form.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();
        await Expect(form.Locator("#hd-pre-name-error")).ToHaveTextAsync("Please enter your name");
        await Expect(form.Locator("#hd-pre-email-error")).ToHaveTextAsync("Please enter your email");
        await form.GetByLabel("Name").FillAsync("Emily Zhang");
        await form.GetByLabel("Email").FillAsync("emily.example.com");
        await form.GetByLabel("Email").PressAsync("Enter");
        await Expect(form.Locator("#hd-pre-email-error")).ToHaveTextAsync("Please enter a valid email address");
        await Expect(form.Locator("#hd-pre-name-error")).ToHaveTextAsync("");
        await form.GetByLabel("Email").FillAsync("emily@example.com");
        await form.GetByRole(AriaRole.Button, new() { Name = "Start chat" }).ClickAsync();

        await Expect(Composer(page)).ToBeFocusedAsync();
        await SendAsync(page, "Can I change my delivery address?");
        await Expect(CustomerMessage(page, "delivery address")).ToHaveAttributeAsync("data-status", "sent");
        var customer = Db(db => db.Customers.Single(c => db.Tickets.Any(t => t.CustomerId == c.Id && t.Subject == "Can I change my delivery address?")));
        customer.Name.Should().Be("Emily Zhang");
        customer.Email.Should().Be("emily@example.com");
    }

    [Fact]
    public async Task The_signed_in_page_links_the_chat_to_the_shops_customer_and_the_anonymous_page_does_not()
    {
        var page = await ShopperAsync("zh-CN", "/demo/signed-in.html");
        await OpenAsync(page);
        await SendAsync(page, "我的订单到哪了？");
        await Expect(CustomerMessage(page, "我的订单到哪了？")).ToHaveAttributeAsync("data-status", "sent");
        var identified = Db(db => db.Customers.AsNoTracking().Single(c => db.Tickets.Any(t => t.CustomerId == c.Id && t.Subject == "我的订单到哪了？")));
        identified.ExternalId.Should().Be("shop-user-1001");

        // The same browser on the anonymous page is another visitor (its token is kept apart).
        await page.GotoAsync("/demo/");
        await OpenAsync(page);
        await Expect(Messages(page)).ToHaveCountAsync(0);
        await SendAsync(page, "随便看看");
        await Expect(CustomerMessage(page, "随便看看")).ToHaveAttributeAsync("data-status", "sent");
        var anonymous = Db(db => db.Customers.AsNoTracking().Single(c => db.Tickets.Any(t => t.CustomerId == c.Id && t.Subject == "随便看看")));
        anonymous.Id.Should().NotBe(identified.Id);
        anonymous.ExternalId.Should().BeNull();

        // Back on the signed-in page, the identified conversation is still there.
        await page.GotoAsync("/demo/signed-in.html");
        await OpenAsync(page);
        await Expect(Host(page).Locator(".msg.customer .bubble")).ToHaveTextAsync(["我的订单到哪了？"]);
    }
}
