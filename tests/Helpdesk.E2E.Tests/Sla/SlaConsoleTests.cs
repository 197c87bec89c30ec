using System.Text.RegularExpressions;
using Helpdesk.E2E.Tests.ChatPanel;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tests.Sla;

namespace Helpdesk.E2E.Tests.Sla;

/// <summary>
/// SLA clocks and escalation as people see them (issue 6): the ticket view's live countdown, the
/// breach escalating the ticket through the real Hangfire timer on the app's fake clock, the
/// supervisor clearing it, and the widget's "ask for a supervisor" button reaching the console.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SlaConsoleTests : ChatPanelTestBase
{
    public SlaConsoleTests(BrowserFixture browser) : base(browser)
    {
        // Hangfire picks scheduled jobs up every 200 ms, as in the integration tests.
        Server = SlaTestKit.FastJobsServer();
    }

    private static ILocator Target(IPage page, string target) => page.Locator($"#ticket-sla .sla-target[data-target={target}]");
    private static ILocator Badge(IPage page) => page.Locator("#escalation-badge");

    [Fact]
    public async Task Ticket_view_counts_down_and_after_the_breach_shows_the_escalation_which_a_supervisor_clears()
    {
        var agent = await Server.StaffAsync(Demo.Agent1);
        var number = (await agent.NewTicketAsync("Question about the warranty card", assigneeId: agent.Id)).Ticket.Number;
        // A plain inquiry: triage leaves it on the default policy (a complaint would run on a stricter one).
        await agent.ScheduledAsync(number);
        var timer = await Server.TimerAsync(number);

        var supervisor = await AgentAsync(Demo.Supervisor, "en-US", $"/agent/#view=open&ticket={number}");
        // The default policy: first response within 4 business hours of Monday 09:00 (Shanghai).
        var first = Target(supervisor, "FirstResponse");
        await Expect(first).ToHaveAttributeAsync("data-state", "Running");
        await Expect(first.Locator(".sla-clock")).ToHaveTextAsync(new Regex(@"^(4:00:00|3:59:\d\d) left$"));
        var shown = await first.Locator(".sla-clock").TextContentAsync();
        await Expect(first.Locator(".sla-clock")).Not.ToHaveTextAsync(shown!); // it ticks in the browser
        await Expect(Target(supervisor, "Resolution")).ToHaveAttributeAsync("data-state", "Running");
        await Expect(Badge(supervisor)).ToHaveAttributeAsync("data-level", "0");
        await Expect(Badge(supervisor)).ToHaveTextAsync("Not escalated");

        // Four hours later on the app's clock the first response is late: the real Hangfire server
        // runs the ticket's timer (handed over at once, as its real delay is hours), which escalates.
        Server.Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromSeconds(1));
        Server.RunNow(timer.JobId!);

        // The supervisor is told live (a toast), and the open ticket view reads its SLA again.
        var toast = supervisor.Locator($".toast[data-ticket='{number}']");
        await Expect(toast).ToContainTextAsync($"Ticket #{number} \"Question about the warranty card\" escalated to level 2: First response breached");
        await Expect(Badge(supervisor)).ToHaveAttributeAsync("data-level", "2");
        await Expect(Badge(supervisor)).ToHaveTextAsync("Escalated · level 2");
        await Expect(supervisor.Locator("#escalation-reasons")).ToContainTextAsync("First response breached");
        await Expect(first).ToHaveAttributeAsync("data-state", "Breached");
        await Expect(first.Locator(".sla-clock")).ToHaveTextAsync(new Regex(@"^0:\d\d overdue$"));
        await Expect(supervisor.Locator("#timeline .msg-system").Last).ToContainTextAsync("Escalated from level 0 to level 2 (First response breached)");
        // The list row says so too.
        await Expect(supervisor.Locator($".ticket-row[data-number='{number}'] [data-role=sla]")).ToHaveTextAsync("Escalated L2");
        await Expect(supervisor.Locator("#ticket-sla")).Not.ToContainTextAsync("null");
        await ScreenshotAsync(supervisor, "sla-escalated");

        // The same in Chinese, without a reload.
        await supervisor.Locator("[data-lang=zh-CN]").ClickAsync();
        await Expect(Badge(supervisor)).ToHaveTextAsync("已升级 · 2 级");
        await Expect(first.Locator(".sla-state")).ToHaveTextAsync("已超时");
        await Expect(supervisor.Locator("#timeline .msg-system").Last).ToContainTextAsync("升级：0 级 → 2 级（首次响应已超时）");
        await supervisor.Locator("[data-lang=en]").ClickAsync();

        // The supervisor clears it with a note: a de-escalation on the timeline, the badge back to none.
        await supervisor.Locator("#escalation-note").FillAsync("Called the customer back");
        await supervisor.Locator("#escalation-clear").ClickAsync();
        await Expect(supervisor.Locator("#ticket-sla .banner-ok .banner-text")).ToHaveTextAsync("The escalation is cleared.");
        await Expect(Badge(supervisor)).ToHaveAttributeAsync("data-level", "0");
        await Expect(supervisor.Locator("#escalation-clear")).ToHaveCountAsync(0);
        await Expect(supervisor.Locator("#timeline .msg-system").Last)
            .ToContainTextAsync(new Regex(@"^Escalation cleared \(cleared by a supervisor\) — .*Called the customer back"));
        (await supervisor.SlaAfterAsync(Server, number)).Should().Be(0, "the server holds the cleared state");
    }

    [Fact]
    public async Task An_agent_does_not_get_the_clear_action()
    {
        var agent = await Server.StaffAsync(Demo.Agent1);
        var number = (await agent.NewTicketAsync(assigneeId: agent.Id)).Ticket.Number;
        await agent.ScheduledAsync(number);
        var timer = await Server.TimerAsync(number);
        Server.Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromSeconds(1));
        Server.RunNow(timer.JobId!);
        await agent.EscalatedToAsync(number, 2);

        var console = await AgentAsync(Demo.Agent1, "zh-CN", $"/agent/#view=mine&ticket={number}");
        await Expect(Badge(console)).ToHaveTextAsync("已升级 · 2 级");
        await Expect(Target(console, "FirstResponse").Locator(".sla-clock")).ToHaveTextAsync(new Regex(@"^超时 0:\d\d$"));
        await Expect(console.Locator("#escalation-clear")).ToHaveCountAsync(0);
        await Expect(console.Locator($".ticket-row[data-number='{number}'] [data-role=sla]")).ToHaveTextAsync("已升级 2 级");
    }

    [Fact]
    public async Task Widget_button_asks_for_a_supervisor_once_and_the_agent_console_shows_the_escalation()
    {
        var agent = await AgentAsync(Agent1, "en-US");
        await GoOnlineAsync(agent);
        var (shopper, ticket) = await ShopperStartsChatAsync(agent, "耳机坏了，请帮我看看");
        await AcceptAsync(agent, ticket);

        var button = Host(shopper).Locator("#hd-ask-supervisor");
        await Expect(button).ToHaveTextAsync("找主管");
        await Expect(button).ToBeEnabledAsync();
        await button.ClickAsync();

        await Expect(Host(shopper).Locator("#hd-supervisor-status")).ToHaveTextAsync("已通知主管，主管会尽快为您处理。");
        await Expect(button).ToBeDisabledAsync();
        await ScreenshotAsync(shopper, "sla-supervisor-asked");

        // The agent has the chat open: the console hears the escalation of this ticket.
        var toast = agent.Locator($".toast[data-ticket='{ticket}']");
        await Expect(toast).ToContainTextAsync($"escalated to level 2: the customer asked for a supervisor");
        await Expect(ChatLog(agent, ticket).Locator(".msg-system").Last)
            .ToContainTextAsync("Escalated from level 0 to level 2 (the customer asked for a supervisor)");
        (await agent.SlaAfterAsync(Server, ticket)).Should().Be(2);

        // The widget's language switch words the confirmation again; the button stays used.
        await Host(shopper).Locator(".lang").ClickAsync();
        await Expect(Host(shopper).Locator("#hd-supervisor-status")).ToHaveTextAsync(new Regex("^A supervisor has been told"));
        await Expect(button).ToHaveTextAsync("Ask for a supervisor");
        await Expect(button).ToBeDisabledAsync();
    }
}

internal static class SlaConsoleChecks
{
    /// <summary>The escalation level the server holds (read through the API as the supervisor).</summary>
    public static async Task<int> SlaAfterAsync(this IPage _, HelpdeskServer server, long number)
    {
        var supervisor = await server.StaffAsync(Demo.Supervisor);
        return (await supervisor.SlaAsync(number)).Escalation.Level;
    }
}
