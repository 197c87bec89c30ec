using System.Text.Json;
using System.Text.RegularExpressions;
using Helpdesk.E2E.Tests.Fixtures;

namespace Helpdesk.E2E.Tests;

[Collection(BrowserCollection.Name)]
public sealed class AgentConsoleTests(BrowserFixture browser)
{
    private async Task<IPage> OpenTicketAsync(long number, string locale = "en-US", string email = "agent1@demo.local")
    {
        var page = await browser.SignedInPageAsync(email, $"/agent/#view=mine&ticket={number}", locale);
        await Expect(page.Locator("#ticket-subject")).ToBeVisibleAsync();
        await Expect(page.Locator(".ticket-head .number")).ToContainTextAsync(number.ToString());
        return page;
    }

    private async Task<JsonElement> TicketFromApiAsync(long number)
    {
        var client = await browser.ApiAsync("admin@demo.local");
        return await client.Http.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}");
    }

    [Fact]
    public async Task Switching_language_rewords_the_page_without_a_reload_and_is_remembered()
    {
        var number = await browser.CreateTicketAsync("Language switch check");
        var page = await OpenTicketAsync(number, "en-US");
        await using var _ = page.Context;
        var status = page.Locator("#ticket-status");
        var row = page.Locator($".ticket-row[data-number='{number}'] [data-role=status]");

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(status).ToHaveTextAsync("Assigned");
        await Expect(row).ToHaveTextAsync("Assigned");
        await Expect(page.Locator("[data-view=mine]")).ToHaveTextAsync("Mine");
        await Expect(page.Locator("#timeline")).ToContainTextAsync("Status changed from New to Assigned");

        // A marker on the window survives only if the page is not reloaded.
        await page.EvaluateAsync("() => window.__sameDocument = true");
        await page.Locator("button[data-lang='zh-CN']").ClickAsync();

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(status).ToHaveTextAsync("已分配");
        await Expect(row).ToHaveTextAsync("已分配");
        await Expect(page.Locator("[data-view=mine]")).ToHaveTextAsync("我的工单");
        await Expect(page.Locator("#sign-out")).ToHaveTextAsync("退出登录");
        await Expect(page.Locator("#timeline")).ToContainTextAsync("状态由「新创建」变更为「已分配」");
        await Expect(page.Locator("#filters select[name=status] option").First).ToHaveTextAsync("状态：全部");
        (await page.EvaluateAsync<bool>("() => window.__sameDocument === true")).Should().BeTrue("switching language must not reload the page");

        // The choice outlives a reload, whatever the browser prefers.
        await page.ReloadAsync();
        await Expect(status).ToHaveTextAsync("已分配");

        await page.Locator("button[data-lang='en']").ClickAsync();
        await Expect(status).ToHaveTextAsync("Assigned");
        await Expect(page.Locator("[data-view=mine]")).ToHaveTextAsync("Mine");
    }

    [Fact]
    public async Task Reply_appears_in_the_timeline_and_a_status_change_shows_at_once()
    {
        var number = await browser.CreateTicketAsync("Printer jams after the update");
        var page = await OpenTicketAsync(number);
        await using var _ = page.Context;
        const string reply = "Hello, please switch the printer off and on again; the fix is on its way.";

        await page.Locator("#composer-text").FillAsync(reply);
        await page.Locator("#composer-send").ClickAsync();

        var agentMessage = page.Locator("#timeline .msg-agent").Last;
        await Expect(agentMessage).ToContainTextAsync(reply);
        await Expect(agentMessage).ToContainTextAsync("Li Na");
        await Expect(page.Locator(".banner-ok")).ToHaveTextAsync(new Regex("Reply sent"));
        await Expect(page.Locator("#composer-text")).ToHaveValueAsync("");

        // Only the statuses the API allows are offered.
        var offered = await page.Locator("#status-select option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        offered.Should().BeEquivalentTo("WaitingOnCustomer", "Resolved");

        await page.Locator("#status-select").SelectOptionAsync("WaitingOnCustomer");
        await page.Locator("#status-apply").ClickAsync();

        await Expect(page.Locator("#ticket-status")).ToHaveTextAsync("Waiting on customer");
        await Expect(page.Locator("#timeline .msg-system").Last).ToContainTextAsync("Status changed from Assigned to Waiting on customer");
        await Expect(page.Locator($".ticket-row[data-number='{number}'] [data-role=status]")).ToHaveTextAsync("Waiting on customer");

        var stored = await TicketFromApiAsync(number);
        stored.GetProperty("ticket").GetProperty("status").GetString().Should().Be("WaitingOnCustomer");
        stored.GetProperty("timeline").EnumerateArray()
            .Should().Contain(m => m.GetProperty("kind").GetString() == "Agent" && m.GetProperty("body").GetString() == reply);
    }

    [Fact]
    public async Task Internal_note_appears_styled_as_a_note_and_is_stored_as_one()
    {
        var number = await browser.CreateTicketAsync("Customer asks for a discount");
        var page = await OpenTicketAsync(number);
        await using var _ = page.Context;
        const string note = "Check with the supervisor before promising anything.";

        await page.Locator(".composer [data-mode=note]").ClickAsync();
        await Expect(page.Locator("#composer-send")).ToHaveTextAsync("Add note");
        await page.Locator("#composer-text").FillAsync(note);
        await page.Locator("#composer-send").ClickAsync();

        var noteEntry = page.Locator("#timeline .msg-note").Last;
        await Expect(noteEntry).ToContainTextAsync(note);
        await Expect(noteEntry).ToHaveAttributeAsync("data-kind", "InternalNote");
        await Expect(noteEntry.Locator(".kind")).ToHaveTextAsync("Internal note");

        // Styled apart from the customer's words: the note colour, not the plain message card.
        var noteBackground = await noteEntry.EvaluateAsync<string>("el => getComputedStyle(el).backgroundColor");
        var customerBackground = await page.Locator("#timeline .msg-customer").First.EvaluateAsync<string>("el => getComputedStyle(el).backgroundColor");
        noteBackground.Should().Be("rgb(255, 248, 219)");
        customerBackground.Should().NotBe(noteBackground);

        var stored = await TicketFromApiAsync(number);
        stored.GetProperty("timeline").EnumerateArray()
            .Should().Contain(m => m.GetProperty("kind").GetString() == "InternalNote" && m.GetProperty("body").GetString() == note);
    }

    [Fact]
    public async Task Assigning_the_ticket_to_another_agent_shows_the_new_assignee()
    {
        var number = await browser.CreateTicketAsync("Warranty question for the washing machine");
        var agent2 = await browser.StaffIdAsync("agent2@demo.local");
        var page = await OpenTicketAsync(number);
        await using var _ = page.Context;
        await Expect(page.Locator("#ticket-assignee")).ToHaveTextAsync("李娜 Li Na");

        await page.Locator("#assign-agent").SelectOptionAsync(agent2.ToString());
        await page.Locator("#assign-apply").ClickAsync();

        await Expect(page.Locator("#ticket-assignee")).ToHaveTextAsync("张伟 Zhang Wei");
        await Expect(page.Locator("#timeline .msg-system", new() { HasText = "Reassigned" }).Last)
            .ToContainTextAsync("Reassigned from 李娜 Li Na to 张伟 Zhang Wei");
        await Expect(page.Locator(".banner-ok")).ToHaveTextAsync(new Regex("Assignment changed"));

        var stored = await TicketFromApiAsync(number);
        stored.GetProperty("ticket").GetProperty("assigneeId").GetGuid().Should().Be(agent2);
    }

    [Fact]
    public async Task Merging_a_duplicate_links_it_to_the_target_which_takes_its_messages()
    {
        var target = await browser.CreateTicketAsync("Blender broken (first report)");
        var duplicate = await browser.CreateTicketAsync("Blender broken (second report)");
        var page = await OpenTicketAsync(duplicate);
        await using var _ = page.Context;

        await page.Locator("#merge-target").FillAsync(target.ToString());
        await page.Locator("#merge-apply").ClickAsync();
        // Nothing happens before the agent confirms.
        await Expect(page.Locator(".confirm")).ToContainTextAsync($"Merge #{duplicate} into #{target}?");
        await Expect(page.Locator("#ticket-status")).ToHaveTextAsync("Assigned");
        await page.Locator("#merge-confirm").ClickAsync();

        await Expect(page.Locator("#ticket-status")).ToHaveTextAsync("Merged");
        await Expect(page.Locator("#timeline")).ToContainTextAsync($"Merged into ticket #{target}");
        await Expect(page.Locator("#composer-text")).ToHaveCountAsync(0);

        await page.Locator($"#ticket-facts a[href*='ticket={target}']").ClickAsync();
        await Expect(page.Locator(".ticket-head .number")).ToContainTextAsync(target.ToString());
        await Expect(page.Locator("#timeline")).ToContainTextAsync($"Ticket #{duplicate} was merged into this ticket");
        await Expect(page.Locator("#timeline .msg-customer", new() { HasText = "second report" })).ToContainTextAsync("from a merged ticket");
    }

    [Fact]
    public async Task A_write_on_an_outdated_ticket_says_someone_else_changed_it_and_keeps_the_draft()
    {
        var number = await browser.CreateTicketAsync("Two agents on one ticket");
        var page = await OpenTicketAsync(number);
        await using var _ = page.Context;

        // A colleague writes while this page still shows the older version.
        var colleague = await browser.ApiAsync("agent2@demo.local");
        var response = await colleague.Http.PostAsJsonAsync($"/api/tickets/{number}/notes", new { body = "I called the customer already." });
        response.EnsureSuccessStatusCode();

        const string draft = "We are looking into it.";
        await page.Locator("#composer-text").FillAsync(draft);
        await page.Locator("#composer-send").ClickAsync();

        await Expect(page.Locator(".banner-error")).ToContainTextAsync("changed by someone else");
        await Expect(page.Locator("#composer-text")).ToHaveValueAsync(draft);

        await page.Locator(".banner-error button", new() { HasText = "Reload" }).ClickAsync();
        await Expect(page.Locator("#timeline .msg-note")).ToContainTextAsync("I called the customer already.");
        await Expect(page.Locator("#composer-text")).ToHaveValueAsync(draft);

        await page.Locator("#composer-send").ClickAsync();
        await Expect(page.Locator("#timeline .msg-agent").Last).ToContainTextAsync(draft);
    }

    [Fact]
    public async Task A_refused_action_shows_the_servers_reason_in_either_language()
    {
        var number = await browser.CreateTicketAsync("Nothing to change here");
        var page = await OpenTicketAsync(number);
        await using var _ = page.Context;

        // Same assignee, same team: the rules refuse it (409 no_change) and say why.
        await page.Locator("#assign-apply").ClickAsync();
        var banner = page.Locator("#view-messages .banner-error");
        await Expect(banner).ToHaveTextAsync(new Regex("already has this assignee and team"));

        await page.Locator("button[data-lang='zh-CN']").ClickAsync();
        await Expect(banner).ToHaveTextAsync(new Regex("工单已经是这个处理人和团队了"));
        await Expect(page.Locator("#ticket-assignee")).ToHaveTextAsync("李娜 Li Na");
    }

    [Fact]
    public async Task Agent_console_reads_well_in_both_languages_screenshots()
    {
        // A seeded ticket with a customer message, a reply and system events.
        const long number = 100003;
        var page = await OpenTicketAsync(number, "zh-CN");
        await using var _ = page.Context;
        await Expect(page.Locator("#timeline .msg-agent").First).ToBeVisibleAsync();
        await Expect(page.Locator("#ticket-status")).ToHaveTextAsync("等待客户");
        await Expect(page.Locator(".ticket-row").First).ToBeVisibleAsync();
        var zh = Path.Combine(BrowserFixture.ScreenshotFolder, "agent-console-zh-CN.png");
        await page.ScreenshotAsync(new() { Path = zh });

        await page.Locator("button[data-lang='en']").ClickAsync();
        await Expect(page.Locator("#ticket-status")).ToHaveTextAsync("Waiting on customer");
        var en = Path.Combine(BrowserFixture.ScreenshotFolder, "agent-console-en.png");
        await page.ScreenshotAsync(new() { Path = en });

        new FileInfo(zh).Length.Should().BeGreaterThan(10_000);
        new FileInfo(en).Length.Should().BeGreaterThan(10_000);
    }
}
