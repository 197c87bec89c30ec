using System.Text;
using Helpdesk.E2E.Tests.Fixtures;

namespace Helpdesk.E2E.Tests.Reports;

/// <summary>The supervisor's reports page (issue 10 point 3) in Chromium: charts drawn by Chart.js, CSV downloads, errors.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReportsPageTests(BrowserFixture browser)
{
    internal static List<string> Watch(IPage page)
    {
        var errors = new List<string>();
        page.PageError += (_, error) => { lock (errors) errors.Add(error); };
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add(message.Text); };
        return errors;
    }

    private static async Task<string> DownloadTextAsync(IPage page, ILocator link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        bytes.Take(3).Should().Equal(new byte[] { 0xEF, 0xBB, 0xBF }, "the file opens in Excel as UTF-8");
        return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
    }

    [Fact]
    public async Task Supervisor_sees_every_chart_drawn_and_downloads_its_csv_in_the_page_language()
    {
        var page = await browser.SignedInPageAsync("supervisor@demo.local", "/supervisor/reports.html", "en-US");
        await using var _ = page.Context;
        var errors = Watch(page);

        foreach (var kind in new[] { "volume", "first-response", "resolution", "csat-daily", "complaints", "sla" })
        {
            var card = page.Locator($".report-card[data-report='{kind}']");
            await Expect(card).ToHaveAttributeAsync("data-state", "ready");
            // Chart.js drew into the canvas: it knows the chart, and the canvas has a size.
            (await card.Locator("canvas").EvaluateAsync<bool>("c => !!window.Chart.getChart(c) && c.width > 0 && c.height > 0")).Should().BeTrue(kind);
        }
        // The server chose the last 7 days (Asia/Shanghai) and the form shows them.
        await Expect(page.Locator("#report-days")).ToContainTextAsync("Calendar days in Asia/Shanghai");
        var from = await page.Locator("input[name=from]").InputValueAsync();
        var to = await page.Locator("input[name=to]").InputValueAsync();
        (DateOnly.Parse(to).DayNumber - DateOnly.Parse(from).DayNumber).Should().Be(6);
        var volumeDatasets = await page.Locator(".report-card[data-report='volume'] canvas")
            .EvaluateAsync<string[]>("c => window.Chart.getChart(c).data.datasets.map(d => d.label)");
        volumeDatasets.Should().Equal("Chat", "Email", "Web form", "API", "Phone");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "reports.png"), FullPage = true });

        var csv = await DownloadTextAsync(page, page.Locator(".report-card[data-report='volume'] .csv-link"));
        var lines = csv.Split("\r\n");
        lines[0].Should().Be("Date,Chat,Email,Web form,API,Phone,Total");
        lines[1].Should().StartWith(from + ",");
        lines.Should().HaveCount(7 + 2, "a header, seven days and the final line break");

        // In Chinese the headings of the download follow the page.
        await page.Locator("button[data-lang='zh-CN']").ClickAsync();
        await Expect(page.Locator(".report-card[data-report='sla'] h2")).ToHaveTextAsync("SLA 达标情况");
        var zh = await DownloadTextAsync(page, page.Locator(".report-card[data-report='sla'] .csv-link"));
        zh.Split("\r\n")[0].Should().Be("日期,首次响应达标,首次响应超时,后续响应达标,后续响应超时,解决达标,解决超时,达标率");

        // A period ending before it starts: the server's reason next to the field, no chart drawn.
        await page.Locator("input[name=from]").FillAsync("2026-11-20");
        await page.Locator("input[name=to]").FillAsync("2026-11-01");
        await page.Locator("#report-apply").ClickAsync();
        await Expect(page.Locator("[data-error-for=to]")).ToContainTextAsync("before");
        await Expect(page.Locator(".report-card[data-report='volume']")).ToHaveAttributeAsync("data-state", "error");
        await Expect(page.Locator("#page-messages .banner-error")).ToBeVisibleAsync();

        errors.Should().OnlyContain(e => e.Contains("400"), "only the refused requests are logged by the browser");
    }
}
