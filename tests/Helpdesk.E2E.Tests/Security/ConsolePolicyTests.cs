using Helpdesk.E2E.Tests.Fixtures;

namespace Helpdesk.E2E.Tests.Security;

/// <summary>Every console page works under its Content-Security-Policy: the browser reports no violation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsolePolicyTests(BrowserFixture browser)
{
    public static TheoryData<string, string> Pages => new()
    {
        { "admin@demo.local", "/" },
        { "agent1@demo.local", "/agent/" },
        { "agent1@demo.local", "/agent/handover.html" },
        { "agent1@demo.local", "/agent/customer.html?id=1" },
        { "admin@demo.local", "/admin/" },
        { "admin@demo.local", "/admin/scripts.html" },
        { "admin@demo.local", "/admin/mail.html" },
        { "admin@demo.local", "/admin/crm.html" },
        { "admin@demo.local", "/admin/audit.html" },
        { "supervisor@demo.local", "/supervisor/reports.html" },
        { "supervisor@demo.local", "/supervisor/handover.html" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_page_loads_its_scripts_and_data_without_a_policy_violation(string email, string path)
    {
        var page = await browser.SignedInPageAsync(email, "/signin/", "en-US");
        await using var context = page.Context;
        var violations = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add(m.Text); };
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        var response = await page.GotoAsync(path);
        response!.Headers.Should().ContainKey("content-security-policy");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        // The module scripts ran: they translate the page, which the markup alone does not.
        await Expect(page.Locator("#lang-switch")).Not.ToBeEmptyAsync();

        violations.Should().BeEmpty();
        errors.Should().BeEmpty();
    }
}
