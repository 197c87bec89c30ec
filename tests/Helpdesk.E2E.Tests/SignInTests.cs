using System.Text.RegularExpressions;
using Helpdesk.E2E.Tests.Fixtures;

namespace Helpdesk.E2E.Tests;

[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture browser)
{
    [Fact]
    public async Task Wrong_password_shows_the_refusal_and_stays_on_the_sign_in_page()
    {
        var page = await browser.NewPageAsync("en-US");
        await using var _ = page.Context;
        await page.GotoAsync("/signin/");

        // Hold the answer back until the page has been seen working on it.
        var answer = new TaskCompletionSource();
        await page.RouteAsync("**/api/auth/sign-in", async route =>
        {
            await answer.Task;
            await route.ContinueAsync();
        });
        await page.Locator("#email").FillAsync("supervisor@demo.local");
        await page.Locator("#password").FillAsync("not-the-password");
        await page.Locator("#submit").ClickAsync();

        await Expect(page.Locator("#submit")).ToBeDisabledAsync();
        await Expect(page.Locator("#submit")).ToHaveTextAsync("Signing in…");
        answer.SetResult();

        await Expect(page.Locator(".banner-error")).ToHaveTextAsync(new Regex("The email or password is wrong"));
        await Expect(page.Locator("#submit")).ToHaveTextAsync("Sign in");
        await Expect(page.Locator("#submit")).ToBeEnabledAsync();
        new Uri(page.Url).AbsolutePath.Should().Be("/signin/");
    }

    [Fact]
    public async Task Wrong_password_is_explained_in_Chinese_for_a_Chinese_browser()
    {
        var page = await browser.NewPageAsync("zh-CN");
        await using var _ = page.Context;
        await page.GotoAsync("/signin/");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");

        await page.Locator("#email").FillAsync("supervisor@demo.local");
        await page.Locator("#password").FillAsync("still-not-it");
        await page.Locator("#submit").ClickAsync();

        await Expect(page.Locator(".banner-error")).ToHaveTextAsync(new Regex("邮箱或密码错误"));
    }

    [Fact]
    public async Task Agent_signs_in_and_lands_on_the_console_with_their_tickets_listed()
    {
        var page = await browser.NewPageAsync("en-US");
        await using var _ = page.Context;
        // Straight to the console: it sends the anonymous visitor to sign in and back.
        await page.GotoAsync("/agent/");
        await BrowserFixture.WaitForPathAsync(page, "/signin/");
        await Expect(page).ToHaveURLAsync(new Regex("returnUrl=%2Fagent%2F"));

        await page.Locator("#email").FillAsync("agent1@demo.local");
        await page.Locator("#password").FillAsync(BrowserFixture.Password);
        await page.Locator("#submit").ClickAsync();

        await BrowserFixture.WaitForPathAsync(page, "/agent/");
        await Expect(page.Locator("#who")).ToHaveTextAsync(new Regex("Li Na"));
        await Expect(page.Locator("[data-view=mine]")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(page.Locator(".ticket-row").First).ToBeVisibleAsync();
        (await page.Locator(".ticket-row").CountAsync()).Should().BeGreaterThan(0);

        // "All open" holds the whole seeded queue (15 open tickets), not only hers.
        await page.Locator("[data-view=open]").ClickAsync();
        await Expect(page.Locator("[data-view=open]")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(page.Locator(".ticket-row").Nth(14)).ToBeVisibleAsync();
        await Expect(page.Locator(".ticket-row", new() { HasText = "Unassigned" }).First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var page = await browser.NewPageAsync("en-US");
        await using var _ = page.Context;
        await BrowserFixture.SignInAsync(page, "agent2@demo.local");
        await Expect(page.Locator("#who")).ToHaveTextAsync(new Regex("Zhang Wei"));

        await page.Locator("#sign-out").ClickAsync();
        await BrowserFixture.WaitForPathAsync(page, "/signin/");

        await page.GotoAsync("/agent/");
        await BrowserFixture.WaitForPathAsync(page, "/signin/");
        await Expect(page).ToHaveURLAsync(new Regex("returnUrl=%2Fagent%2F"));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_the_page_says_so()
    {
        // A user of this test's own: locking a demo user out would break the other tests.
        const string email = "to.lock@demo.local";
        var admin = await browser.ApiAsync("admin@demo.local");
        (await admin.Http.PostAsJsonAsync("/api/admin/staff", new
        {
            email, displayName = "Lock Test", password = "Welcome1!", roles = new[] { "Agent" }, teamIds = Array.Empty<int>(),
        })).EnsureSuccessStatusCode();

        var page = await browser.NewPageAsync("zh-CN");
        await using var _ = page.Context;
        await page.GotoAsync("/signin/");
        await page.Locator("#email").FillAsync(email);
        var banner = page.Locator(".banner-error");
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await page.Locator("#password").FillAsync($"wrong-{attempt}");
            await page.Locator("#submit").ClickAsync();
            await Expect(banner).ToHaveTextAsync("邮箱或密码错误。");
            await Expect(page.Locator("#submit")).ToBeEnabledAsync();
        }
        await page.Locator("#password").FillAsync("wrong-5");
        await page.Locator("#submit").ClickAsync();
        await Expect(banner).ToHaveTextAsync(new Regex("账号已锁定 15 分钟"));

        // Even the right password is refused now.
        await page.Locator("#password").FillAsync("Welcome1!");
        await page.Locator("#submit").ClickAsync();
        await Expect(banner).ToHaveTextAsync(new Regex("账号已锁定"));
        new Uri(page.Url).AbsolutePath.Should().Be("/signin/");
    }
}
