using System.Text.RegularExpressions;
using Helpdesk.E2E.Tests.Fixtures;

namespace Helpdesk.E2E.Tests;

[Collection(BrowserCollection.Name)]
public sealed class AdminTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_creates_a_user_who_can_then_sign_in()
    {
        var email = $"new.agent.{Guid.NewGuid():N}"[..20] + "@demo.local";
        var admin = await browser.SignedInPageAsync("admin@demo.local", "/admin/", "en-US");
        await using var adminContext = admin.Context;
        await Expect(admin.Locator("#staff-table tr[data-email='agent1@demo.local']")).ToBeVisibleAsync();

        await admin.Locator("#staff-email").FillAsync(email);
        await admin.Locator("#staff-name").FillAsync("赵新 New Agent");
        await admin.Locator("#team-checks label", new() { HasText = "Pre-sales" }).ClickAsync();

        // The server's password rules come back as a 400 and are shown beside the field.
        await admin.Locator("#staff-password").FillAsync("short");
        await admin.Locator("#staff-submit").ClickAsync();
        await Expect(admin.Locator("[data-error-for=password]")).ToContainTextAsync("at least 8");
        await Expect(admin.Locator("#staff-password")).ToHaveAttributeAsync("aria-invalid", "true");

        await admin.Locator("#staff-password").FillAsync("Welcome1!");
        await admin.Locator("#staff-submit").ClickAsync();

        await Expect(admin.Locator("#form-messages .banner-ok")).ToHaveTextAsync(new Regex("Created " + Regex.Escape(email)));
        var row = admin.Locator($"#staff-table tr[data-email='{email}']");
        await Expect(row).ToContainTextAsync("赵新 New Agent");
        await Expect(row).ToContainTextAsync("Agent");
        await Expect(row).ToContainTextAsync("Pre-sales");
        await Expect(row).ToContainTextAsync("Active");

        var newcomer = await browser.NewPageAsync("zh-CN");
        await using var newcomerContext = newcomer.Context;
        await BrowserFixture.SignInAsync(newcomer, email, "/agent/", "Welcome1!");
        await Expect(newcomer.Locator("#who")).ToHaveTextAsync(new Regex("赵新 New Agent"));
        await newcomer.Locator("[data-view=team]").ClickAsync();
        await Expect(newcomer.Locator(".ticket-row").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Admin_disables_and_enables_an_account()
    {
        // An account of this test's own: disabling a demo user would disturb the other tests.
        const string email = "to.disable@demo.local";
        var client = await browser.ApiAsync("admin@demo.local");
        var created = await client.Http.PostAsJsonAsync("/api/admin/staff", new
        {
            email, displayName = "Temp Agent", password = "Welcome1!", roles = new[] { "Agent" }, teamIds = Array.Empty<int>(),
        });
        created.EnsureSuccessStatusCode();
        var admin = await browser.SignedInPageAsync("admin@demo.local", "/admin/", "zh-CN");
        await using var _ = admin.Context;
        var row = admin.Locator($"#staff-table tr[data-email='{email}']");

        await row.Locator("[data-action=disable]").ClickAsync();
        await Expect(row).ToContainTextAsync("已停用");

        // A disabled account is refused at sign-in, with the reason.
        var other = await browser.NewPageAsync("en-US");
        await using (other.Context)
        {
            await other.GotoAsync("/signin/");
            await other.Locator("#email").FillAsync(email);
            await other.Locator("#password").FillAsync("Welcome1!");
            await other.Locator("#submit").ClickAsync();
            await Expect(other.Locator(".banner-error")).ToContainTextAsync("disabled");
        }

        await row.Locator("[data-action=enable]").ClickAsync();
        await Expect(row).ToContainTextAsync("正常");
    }
}
