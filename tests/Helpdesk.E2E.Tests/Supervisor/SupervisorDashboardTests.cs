using Helpdesk.Core.Escalation;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.E2E.Tests.Widget;
using Helpdesk.Web.Escalation;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task The_supervisor_takes_over_a_waiting_chat_and_the_shopper_sees_the_supervisors_name()
    {
        var dashboard = await DashboardAsync("supervisor@demo.local", "en-US");
        var shopper = await ShopperAsync("en-US");
        await OpenAsync(shopper);
        await SendAsync(shopper, "Is anybody there?");
        await Expect(Waiting(dashboard, "pre-sales")).ToHaveTextAsync("1");
        var number = Db(db => db.Tickets.Where(t => t.Channel == Helpdesk.Core.Tickets.TicketChannel.Chat && t.ChatEndedAt == null)
            .OrderByDescending(t => t.Id).Select(t => t.Number).First());

        await dashboard.Locator("#sup-ticket-actions [name=number]").FillAsync(number.ToString());
        await dashboard.Locator("#sup-ticket-actions [data-action=takeover]").ClickAsync();

        await Expect(dashboard.Locator("#sup-act-messages .banner")).ToContainTextAsync($"You took over chat #{number}");
        await Expect(Subtitle(shopper)).ToContainTextAsync("王主管 Wang (Supervisor)");
        await Expect(Waiting(dashboard, "pre-sales")).ToHaveTextAsync("0");
    }

    [Fact]
    public async Task Acknowledging_an_escalation_from_the_dashboard_shows_who_acknowledged_it()
    {
        var supervisor = await Server.StaffAsync("supervisor@demo.local");
        var ticket = await supervisor.NewTicketAsync(subject: "我要找你们经理");
        await using (var scope = Server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<EscalationService>().RaiseAsync(ticket.Ticket.Id, EscalationTrigger.CustomerAskedForSupervisor());
        var dashboard = await DashboardAsync("supervisor@demo.local", "zh-CN");
        var row = dashboard.Locator($"#sup-escalations tr[data-ticket='{ticket.Ticket.Number}']");

        await row.Locator("[data-action=acknowledge]").ClickAsync();

        await Expect(row).ToContainTextAsync("王主管 Wang (Supervisor) 已于");
        await Expect(row.Locator("[data-action=acknowledge]")).ToHaveCountAsync(0);
    }
}
