using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Helpdesk.E2E.Tests.Fixtures;

namespace Helpdesk.E2E.Tests.Crm;

/// <summary>The CRM pages in a real browser: an admin issues a key, the CRM writes a record with it, an agent reads and adds to it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CrmPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_issues_a_key_shown_once_the_CRM_writes_a_customer_with_it_and_an_agent_logs_an_interaction_on_the_record()
    {
        var admin = await browser.SignedInPageAsync("admin@demo.local", "/admin/crm.html", "en-US");
        await using var adminContext = admin.Context;
        var keyName = "erp " + Guid.NewGuid().ToString("N")[..8];
        await admin.Locator("#key-form [name=name]").FillAsync(keyName);
        await admin.Locator("#key-form [name=scope]").SelectOptionAsync("ReadWrite");
        await admin.Locator("#key-form button[type=submit]").ClickAsync();
        var secretBox = admin.Locator("#key-secret .api-key-secret");
        await Expect(secretBox).ToBeVisibleAsync();
        var secret = (await secretBox.TextContentAsync())!.Trim();
        secret.Should().NotBeNullOrEmpty();
        await Expect(admin.Locator("#key-list")).ToContainTextAsync(keyName);
        await Expect(admin.Locator("#key-list")).Not.ToContainTextAsync(secret, new() { Timeout = 1000 });

        // The CRM uses the key it was shown.
        using var crm = new HttpClient { BaseAddress = browser.Server.BaseAddress };
        crm.DefaultRequestHeaders.Add("X-Api-Key", secret);
        var external = "e2e-" + Guid.NewGuid().ToString("N")[..10];
        var put = await crm.PutAsJsonAsync($"/api/crm/customers/{external}", new
        {
            name = "杭州青禾贸易", surname = "周", gender = "女", region = "华东", tier = "大客户", credit = 4, accountManager = "陈经理",
            contacts = new[] { new { externalId = "c-1", name = "周敏", position = "采购主管", mobile = "13900000000" } },
        });
        put.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        var id = (await put.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();

        var agent = await browser.SignedInPageAsync("agent1@demo.local", $"/agent/customer.html?id={id}", "zh-CN");
        await using var agentContext = agent.Context;
        await Expect(agent.Locator(".customer-display-name")).ToHaveTextAsync("杭州青禾贸易");
        await Expect(agent.Locator("#customer")).ToContainTextAsync("周敏");
        await Expect(agent.Locator("#customer")).ToContainTextAsync(external);

        var summary = "电话回访 " + Guid.NewGuid().ToString("N")[..6];
        await agent.Locator("#interaction-form [name=summary]").FillAsync(summary);
        await agent.Locator("#interaction-form [name=place]").FillAsync("杭州");
        await agent.Locator("#interaction-form button[type=submit]").ClickAsync();
        await Expect(agent.Locator("#customer")).ToContainTextAsync(summary);

        // What the agent wrote is part of the record the CRM reads back.
        var back = await crm.GetStringAsync($"/api/crm/customers/{external}");
        back.Should().Contain(summary);
    }
}
