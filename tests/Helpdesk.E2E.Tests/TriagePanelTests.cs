using System.Text.Json;
using Helpdesk.E2E.Tests.Fixtures;

namespace Helpdesk.E2E.Tests;

[Collection(BrowserCollection.Name)]
public sealed class TriagePanelTests(BrowserFixture browser)
{
    [Fact]
    public async Task Agent_sees_why_a_ticket_is_a_complaint_and_corrects_the_result()
    {
        var client = await browser.ApiAsync("agent2@demo.local");
        var response = await client.Http.PostAsJsonAsync("/api/tickets", new
        {
            subject = "退款问题",
            type = "Inquiry",
            channel = "Phone",
            description = "退款拖了一个月还没到账，我要投诉！再不处理就打12315。",
        });
        response.EnsureSuccessStatusCode();
        var number = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetProperty("number").GetInt64();

        var page = await browser.SignedInPageAsync("agent2@demo.local", $"/agent/#view=open&ticket={number}", "zh-CN");
        await using var _ = page.Context;
        var panel = page.Locator("#triage-panel");
        await Expect(panel.Locator("#triage-type")).ToHaveTextAsync("投诉");
        await Expect(panel.Locator("#triage-category")).ToHaveTextAsync("退款");
        await Expect(panel.Locator("#triage-flags")).ToContainTextAsync("扬言投诉监管/媒体");
        // The explanation: each fired rule with its weight and the words it matched, as the customer wrote them.
        var explicitRule = panel.Locator("#triage-rules [data-rule='complaint.explicit']");
        await Expect(explicitRule).ToContainTextAsync("+2");
        await Expect(explicitRule.Locator("mark")).ToHaveTextAsync("投诉");
        await Expect(panel.Locator("#triage-rules [data-rule='flag.threat'] mark")).ToHaveTextAsync("12315");

        await page.Locator("button[data-lang='en']").ClickAsync();
        await Expect(panel.Locator("#triage-type")).ToHaveTextAsync("Complaint");

        await panel.Locator("summary").ClickAsync();
        await panel.Locator("#triage-correct-category").SelectOptionAsync("OrderException");
        await panel.Locator("#triage-correct-severity").SelectOptionAsync("P3");
        await panel.Locator("#triage-correct").ClickAsync();

        await Expect(panel.Locator("#triage-corrections")).ToContainTextAsync("Refund");
        await Expect(panel.Locator("#triage-corrections")).ToContainTextAsync("Order exception");
        await Expect(panel).ToContainTextAsync("Correction saved");
        await Expect(page.Locator("#timeline")).ToContainTextAsync("Triage corrected: Complaint · Order exception");

        var triage = await client.Http.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}/triage");
        var correction = triage.GetProperty("corrections")[0];
        correction.GetProperty("fromCategory").GetString().Should().Be("Refund");
        correction.GetProperty("toCategory").GetString().Should().Be("OrderException");
        correction.GetProperty("toSeverity").GetString().Should().Be("P3");
        var ticket = await client.Http.GetFromJsonAsync<JsonElement>($"/api/tickets/{number}");
        ticket.GetProperty("ticket").GetProperty("category").GetString().Should().Be("OrderException");
        ticket.GetProperty("ticket").GetProperty("priority").GetString().Should().Be("Normal");

        // Leave the shared server's open complaints as seeded (other browser tests count them).
        (await client.Http.PostAsJsonAsync($"/api/tickets/{number}/assignment", new { assigneeId = client.Id })).EnsureSuccessStatusCode();
        (await client.Http.PostAsJsonAsync($"/api/tickets/{number}/status", new { status = "Resolved" })).EnsureSuccessStatusCode();
    }
}
