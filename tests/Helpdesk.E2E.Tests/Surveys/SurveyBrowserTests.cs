using System.Text.RegularExpressions;
using Helpdesk.Core.Email;
using Helpdesk.Core.Tickets;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.E2E.Tests.Widget;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.E2E.Tests.Surveys;

/// <summary>The satisfaction survey as customers meet it: inline in the chat widget, and the page of the mailed link.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SurveyBrowserTests(BrowserFixture browser) : WidgetTestBase(browser)
{
    [Fact]
    public async Task The_widget_shows_the_survey_when_the_agent_resolves_the_chat_and_sends_the_answer()
    {
        var agent = await OnlineAgentAsync();
        var page = await ShopperAsync("zh-CN");
        await OpenAsync(page);
        await SendAsync(page, "耳机左耳没有声音");
        var ticket = await AcceptNextChatAsync(agent);
        await Expect(AgentBubbles(page)).ToHaveCountAsync(1);

        await agent.Hub.InvokeAsync(nameof(ChatHub.EndChat), ticket);
        var survey = Host(page).Locator(".survey");
        await Expect(survey).ToBeVisibleAsync();
        await Expect(survey).ToContainTextAsync("请评价本次服务");
        await Expect(survey).ToContainTextAsync("为了更好地为您服务", new() { Timeout = 5000 }); // the approved invitation script

        // Sending without a choice says what is missing and sends nothing.
        await survey.GetByRole(AriaRole.Button, new() { Name = "提交评价" }).ClickAsync();
        await Expect(survey.Locator(".err")).ToHaveTextAsync("请选择 1 到 5 星。");
        await survey.Locator(".star[data-score='4']").ClickAsync();
        await Expect(survey.Locator(".star.on")).ToHaveCountAsync(4);
        await survey.Locator("[data-solved='yes']").ClickAsync();
        await survey.Locator("textarea").FillAsync("客服很耐心");
        await survey.GetByRole(AriaRole.Button, new() { Name = "提交评价" }).ClickAsync();
        await Expect(survey.Locator(".survey-thanks")).ToHaveTextAsync("感谢您的评价！24 小时内可以修改。");
        await ScreenshotAsync(page, "survey-thanks");

        var stored = Db(db => db.Surveys.AsNoTracking().Single(s => s.TicketNumber == ticket));
        (stored.Score, stored.Solved, stored.Comment).Should().Be((4, true, "客服很耐心"));
        Db(db => db.Tickets.Single(t => t.Number == ticket).Status).Should().Be(TicketStatus.FeedbackReceived);
        PageErrors.Should().BeEmpty();
    }

    [Fact]
    public async Task The_mailed_link_page_submits_with_javascript_disabled_on_a_phone_in_both_languages()
    {
        // A ticket of a customer with a mail address: resolving it writes the survey mail (no SMTP here: its text is the mail).
        var agent = await Server.StaffAsync("agent1@demo.local");
        var customerId = Db(db => db.Customers.Where(c => c.Email == "chen.ming@example.cn").Select(c => c.Id).Single());
        var created = await agent.NewTicketAsync("耳机退货", customerId: customerId, assigneeId: agent.Id);
        await agent.SetStatusAsync(created.Ticket.Number, TicketStatus.Resolved);
        var number = created.Ticket.Number;
        string? text = null;
        for (var tries = 0; text is null && tries < 100; tries++)
        {
            text = Db(db => db.EmailMessages.AsNoTracking()
                .Where(e => e.OutboundKind == OutboundKind.SurveyInvitation && db.Tickets.Any(t => t.Id == e.TicketId && t.Number == number))
                .Select(e => e.Text).FirstOrDefault());
            if (text is null) await Task.Delay(100); // the mail is written after the resolution is committed
        }
        text.Should().NotBeNull("resolving wrote the survey mail");
        var link = new Uri(Regex.Match(text!, @"https?://\S+/survey/\S+").Value);

        var context = await Browser.Browser.NewContextAsync(new()
        {
            BaseURL = Server.BaseAddress.ToString().TrimEnd('/'),
            Locale = "en-US",
            JavaScriptEnabled = false,
            ViewportSize = new() { Width = 375, Height = 740 },
            IsMobile = true,
            HasTouch = true,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        Watch(page);
        await page.GotoAsync(link.PathAndQuery);
        await Expect(page.Locator("h1")).ToHaveTextAsync("How did we do?");

        // Fits the phone: the form and its button are inside the 375 px viewport.
        var button = (await page.Locator("#survey-submit").BoundingBoxAsync())!;
        (button.X + button.Width).Should().BeLessThanOrEqualTo(375);
        (button.Width).Should().BeGreaterThan(300, "a full-width button on a phone");
        (await page.Locator("label[for='score-5']").BoundingBoxAsync())!.Height.Should().BeGreaterThanOrEqualTo(40, "stars big enough to tap");

        // The language switch is a plain link.
        await page.Locator("#lang-switch").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("服务满意度评价");
        await ScreenshotAsync(page, "survey-page-phone-zh");

        // No choice: the server answers 400 with the form and its message.
        await page.Locator("#survey-submit").ClickAsync();
        await Expect(page.Locator("#survey-error")).ToHaveTextAsync("请选择 1 到 5 星。");

        await page.Locator("label[for='score-2']").ClickAsync();
        await page.Locator("#solved-no").CheckAsync();
        await page.Locator("#comment").FillAsync("等了太久");
        await page.Locator("#survey-submit").ClickAsync();
        await Expect(page.Locator("#survey-thanks h1")).ToHaveTextAsync("感谢您的评价！");
        await ScreenshotAsync(page, "survey-thanks-phone-zh");

        var stored = Db(db => db.Surveys.AsNoTracking().Single(s => s.TicketNumber == number));
        (stored.Score, stored.Solved, stored.Comment).Should().Be((2, false, "等了太久"));
        Db(db => db.FollowUpTasks.Count(f => f.TicketNumber == number)).Should().Be(1, "a low answer asks a supervisor to call back");
        await context.CloseAsync();
    }
}
