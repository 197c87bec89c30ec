using System.Text.RegularExpressions;
using Helpdesk.E2E.Tests.Fixtures;

namespace Helpdesk.E2E.Tests;

[Collection(BrowserCollection.Name)]
public sealed class TicketListTests(BrowserFixture browser)
{
    [Fact]
    public async Task Filters_narrow_the_list_and_clearing_them_brings_everything_back()
    {
        var page = await browser.SignedInPageAsync("agent1@demo.local", "/agent/#view=open");
        await using var _ = page.Context;
        var rows = page.Locator(".ticket-row");
        await Expect(rows.Nth(14)).ToBeVisibleAsync();
        var everything = await rows.CountAsync();

        await page.Locator("#filters select[name=type]").SelectOptionAsync("Complaint");
        // Seeded: four open complaints, all in the after-sales team.
        await Expect(rows).ToHaveCountAsync(4);
        foreach (var row in await rows.AllAsync())
            await Expect(row).ToContainTextAsync("Complaint");

        await page.Locator("#filters select[name=status]").SelectOptionAsync("New");
        await Expect(rows).ToHaveCountAsync(2);
        foreach (var badge in await page.Locator(".ticket-row [data-role=status]").AllAsync())
            await Expect(badge).ToHaveTextAsync("New");

        await page.Locator("#filters button[type=reset]").ClickAsync();
        await Expect(rows).ToHaveCountAsync(everything);

        // Typing searches by itself (subjects and message text: two subjects and one message name it).
        await page.Locator("#filters input[name=q]").FillAsync("KJ500");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(page.Locator("#list-count")).ToHaveTextAsync("3 tickets shown");
    }

    [Fact]
    public async Task My_teams_queue_shows_only_my_teams_tickets()
    {
        var page = await browser.SignedInPageAsync("agent1@demo.local", "/agent/#view=team");
        await using var _ = page.Context;
        var rows = page.Locator(".ticket-row");
        await Expect(page.Locator("[data-view=team]")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(rows.First).ToBeVisibleAsync();
        foreach (var row in await rows.AllAsync())
            await Expect(row).ToContainTextAsync("Pre-sales");
        await Expect(page.Locator(".ticket-row", new() { HasText = "After-sales" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Load_more_fetches_the_next_page()
    {
        // More tickets than one page (30) that only this test's search finds; unassigned, so
        // nobody's "mine" list grows.
        var marker = "Paging" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 1; i <= 34; i++)
            await browser.CreateTicketAsync($"{marker} ticket {i}", assign: false);

        var page = await browser.SignedInPageAsync("agent1@demo.local", "/agent/#view=open");
        await using var _ = page.Context;
        var rows = page.Locator(".ticket-row");
        await Expect(rows.First).ToBeVisibleAsync();
        await page.Locator("#filters input[name=q]").FillAsync(marker);
        // Enter searches at once, so the unfiltered first page (also 30 rows) cannot be mistaken for the result.
        await page.Locator("#filters input[name=q]").PressAsync("Enter");

        await Expect(rows).ToHaveCountAsync(30);
        await Expect(page.Locator("#load-more")).ToBeVisibleAsync();
        await page.Locator("#load-more").ClickAsync();

        await Expect(rows).ToHaveCountAsync(34);
        await Expect(page.Locator("#load-more")).ToHaveCountAsync(0);
        var numbers = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.number)");
        numbers.Should().OnlyHaveUniqueItems();
        await Expect(page.Locator("#list-count")).ToHaveTextAsync(new Regex("^34 "));
    }
}
