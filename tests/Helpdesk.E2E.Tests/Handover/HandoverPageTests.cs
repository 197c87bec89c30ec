using System.Net;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.E2E.Tests.Reports;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.E2E.Tests.Handover;

/// <summary>Shift handover (交班日记, issue 10 point 4) in Chromium: the agent's page, a teammate's and the supervisors' page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HandoverPageTests(BrowserFixture browser)
{
    private static List<string> Watch(IPage page) => ReportsPageTests.Watch(page);

    [Fact]
    public async Task Agent_generates_edits_and_submits_a_handover_and_a_teammate_and_the_supervisor_read_it()
    {
        // A second agent of the pre-sales team (agent1's), made by the admin.
        var admin = await browser.ApiAsync("admin@demo.local");
        var teams = await admin.Http.GetFromJsonAsync<List<Helpdesk.Web.Identity.TeamInfo>>("/api/teams", TestJson.Options);
        var preSales = teams!.Single(t => t.Key == "pre-sales").Id;
        var teammateEmail = $"next-shift-{Guid.NewGuid():N}"[..20] + "@demo.local";
        (await admin.Http.PostAsJsonAsync("/api/admin/staff", new { email = teammateEmail, displayName = "王芳 Wang Fang", password = "NextShift1!", roles = new[] { "Agent" }, teamIds = new[] { preSales } }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var subject = "交班 E2E " + Guid.NewGuid().ToString("N")[..6];
        var number = await browser.CreateTicketAsync(subject);

        var page = await browser.SignedInPageAsync("agent1@demo.local", "/agent/", "zh-CN");
        await using var _ = page.Context;
        var errors = Watch(page);
        await page.Locator("#handover-link").ClickAsync();
        await BrowserFixture.WaitForPathAsync(page, "/agent/handover.html");
        await page.Locator("#handover-generate").ClickAsync();
        await Expect(page.Locator($"#draft-items li[data-number='{number}']")).ToContainTextAsync(subject);
        var text = page.Locator("#handover-text");
        await Expect(text).ToHaveValueAsync(new System.Text.RegularExpressions.Regex($"^交班 [\\s\\S]*#{number} {subject}"));
        const string note = "客户约明早十点回电，请接班同事跟进。";
        await text.PressAsync("End");
        await text.PressSequentiallyAsync(note);
        await Expect(page.Locator("#handover-count")).ToContainTextAsync("/ 4000 字");
        await page.Locator("#handover-submit").ClickAsync();
        await Expect(page.Locator("#page-messages .banner-ok .banner-text")).ToHaveTextAsync("交班已提交，下一班同事和主管可以看到。");
        var mine = page.Locator(".handover-entry").Filter(new() { HasText = note });
        await Expect(mine).ToHaveCountAsync(1);
        await Expect(mine.Locator("button.mark-read")).ToHaveCountAsync(0); // the author does not mark their own handover read
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "handover.png"), FullPage = true });

        // The next shift: the teammate signs in, sees it unread, and marks it read.
        var next = await browser.NewPageAsync("en-US");
        await using var __ = next.Context;
        errors.AddRange(Watch(next));
        await BrowserFixture.SignInAsync(next, teammateEmail, "/agent/handover.html", "NextShift1!");
        var entry = next.Locator(".handover-entry").Filter(new() { HasText = note });
        await Expect(entry).ToHaveAttributeAsync("data-read", "false");
        await Expect(entry.Locator(".handover-text")).ToContainTextAsync($"#{number} {subject}");
        await Expect(entry.Locator(".read-by")).ToHaveTextAsync("Unread");
        await entry.Locator("button.mark-read").ClickAsync();
        await Expect(entry).ToHaveAttributeAsync("data-read", "true");
        await Expect(entry.Locator(".read-by")).ToHaveTextAsync("Read by: 王芳 Wang Fang");

        // The supervisor sees it on the supervisors' page, with the teammate's read.
        var supervisor = await browser.SignedInPageAsync("supervisor@demo.local", "/supervisor/handover.html", "en-US");
        await using var ___ = supervisor.Context;
        errors.AddRange(Watch(supervisor));
        var seen = supervisor.Locator(".handover-entry").Filter(new() { HasText = note });
        await Expect(seen.Locator(".read-by")).ToHaveTextAsync("Read by: 王芳 Wang Fang");
        await Expect(seen.Locator(".handover-head strong")).ToContainTextAsync("Pre-sales");

        // Another team's agent does not see it.
        var other = await (await browser.ApiAsync("agent2@demo.local")).Http.GetStringAsync("/api/handovers");
        other.Should().NotContain(note);
        errors.Should().BeEmpty();
    }
}
