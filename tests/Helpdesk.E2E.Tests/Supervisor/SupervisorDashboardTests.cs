using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.E2E.Tests.Widget;

namespace Helpdesk.E2E.Tests.Supervisor;

/// <summary>The supervisor's live dashboard in Chromium, moved by a shopper on the demo shop.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SupervisorDashboardTests(BrowserFixture browser) : WidgetTestBase(browser)
{
    private async Task<IPage> DashboardAsync(string email, string locale)
    {
        var staff = await Server.StaffAsync(email);
        var context = await ContextAsync(locale);
        var cookies = staff.Cookies.GetCookies(Server.BaseAddress).Cast<System.Net.Cookie>()
            .Where(c => c.Name == "helpdesk.staff")
            .Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = Server.BaseAddress.ToString() })
            .ToList();
        cookies.Should().NotBeEmpty();
        await context.AddCookiesAsync(cookies);
        var page = await context.NewPageAsync();
        Watch(page);
        await page.GotoAsync("/supervisor/");
        return page;
    }

    private static ILocator Waiting(IPage page, string teamKey) => page.Locator($"#sup-teams tr[data-team-key='{teamKey}'] [data-field=waiting]");

    [Theory]
    [InlineData("zh-CN", "等待中的会话", "实时更新中")]
    [InlineData("en-US", "Waiting chats", "Live")]
    public async Task Waiting_chats_go_up_on_the_dashboard_when_a_shopper_starts_a_chat(string locale, string waitingHeader, string live)
    {
        var dashboard = await DashboardAsync("supervisor@demo.local", locale);
        await Expect(dashboard.Locator("#sup-status")).ToContainTextAsync(live);
        await Expect(dashboard.Locator("#sup-teams thead")).ToContainTextAsync(waitingHeader);
        await Expect(Waiting(dashboard, "pre-sales")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        var before = int.Parse(await Waiting(dashboard, "pre-sales").InnerTextAsync());

        var shopper = await ShopperAsync(locale);
        await OpenAsync(shopper);
        await SendAsync(shopper, locale == "zh-CN" ? "你好，请问今天能发货吗？" : "Hello, can you ship today?");

        await Expect(Waiting(dashboard, "pre-sales")).ToHaveTextAsync((before + 1).ToString());
        await Expect(dashboard.Locator("#sup-teams tr[data-team-key='pre-sales'] .longest-wait")).Not.ToHaveTextAsync("—");
    }

    [Fact]
    public async Task An_agent_sees_a_clear_refusal_instead_of_the_dashboard()
    {
        var page = await DashboardAsync("agent1@demo.local", "en-US");
        await Expect(page.Locator("#page-messages .banner")).ToContainTextAsync("Only supervisors and admins");
        await Expect(page.Locator("#sup-teams tbody tr")).ToHaveCountAsync(0);
    }
}
