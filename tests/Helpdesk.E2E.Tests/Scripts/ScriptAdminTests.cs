using Helpdesk.Core.Scripts;
using Helpdesk.Data;
using Helpdesk.E2E.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.E2E.Tests.Scripts;

/// <summary>The script library page: editing with a live preview, draft and approval, history; the forbidden phrases.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ScriptAdminTests(BrowserFixture browser)
{
    private T Db<T>(Func<HelpdeskDbContext, T> read)
    {
        using var scope = browser.Server.Services.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>());
    }

    [Fact]
    public async Task A_supervisor_writes_a_script_sees_the_preview_and_unknown_placeholders_inline_then_approves_it()
    {
        var page = await browser.SignedInPageAsync("supervisor@demo.local", "/admin/scripts.html", "zh-CN");
        await using var _ = page.Context;
        await Expect(page.Locator("#scripts-table")).ToBeVisibleAsync();
        await Expect(page.Locator("#scripts-table tr[data-name='标准问候语'] [data-status]")).ToHaveTextAsync("已审核");

        var name = "发票说明" + Guid.NewGuid().ToString("N")[..6];
        await page.Locator("#new-script").ClickAsync();
        await page.Locator("#script-kind").SelectOptionAsync("Canned");
        await page.Locator("#script-name").FillAsync(name);
        await page.Locator("#script-language").SelectOptionAsync("zh-CN");
        await page.Locator("#script-text").FillAsync("{customer.name}您好，发票已发到您的邮箱。");
        var preview = page.Locator("#script-preview");
        await Expect(preview).ToHaveAttributeAsync("data-state", "invalid");
        await Expect(preview).ToHaveTextAsync("未知占位符：{customer.name}");
        await Expect(page.Locator("[data-error-for=text]")).ToContainTextAsync("{customer.name}");

        // Fixing it with the placeholder button: the preview shows the sample customer.
        await page.Locator("#script-text").FillAsync("");
        await page.Locator("#placeholder-list button", new() { HasTextString = "{customer.salutation}" }).ClickAsync();
        await page.Locator("#script-text").PressSequentiallyAsync("好，工单 {ticket.number} 的发票已发到您的邮箱。", new() { Delay = 0 });
        await Expect(preview).ToHaveTextAsync("陈先生好，工单 100042 的发票已发到您的邮箱。");
        await Expect(page.Locator("[data-error-for=text]")).ToBeEmptyAsync();

        await page.Locator("#script-save").ClickAsync();
        await Expect(page.Locator("#script-messages")).ToContainTextAsync("已保存草稿");
        var row = page.Locator($"#scripts-table tr[data-name='{name}']");
        await Expect(row.Locator("[data-status]")).ToHaveTextAsync("草稿");
        Db(db => db.Scripts.Single(s => s.Name == name).ApprovedText).Should().BeNull();

        await page.Locator("#script-approve").ClickAsync();
        await Expect(page.Locator("#script-messages")).ToContainTextAsync("已审核通过");
        await Expect(row.Locator("[data-status]")).ToHaveTextAsync("已审核");
        var script = Db(db => db.Scripts.AsNoTracking().Single(s => s.Name == name));
        script.Status.Should().Be(ScriptStatus.Approved);
        script.ApprovedText.Should().Be("{customer.salutation}好，工单 {ticket.number} 的发票已发到您的邮箱。");

        var history = page.Locator("#script-history .revision");
        await Expect(history).ToHaveCountAsync(2);
        await Expect(history.First).ToHaveAttributeAsync("data-action", "approved");
        await Expect(history.First).ToContainTextAsync("王主管");
        await Expect(history.Last).ToHaveAttributeAsync("data-action", "created");

        // The same page in English, without a reload.
        await page.Locator("button[data-lang='en']").ClickAsync();
        await Expect(row.Locator("[data-status]")).ToHaveTextAsync("Approved");
        await Expect(history.First.Locator(".revision-head strong")).ToHaveTextAsync("Approved");
    }

    [Fact]
    public async Task Forbidden_phrases_are_listed_and_edited_with_their_history_and_agents_only_read()
    {
        var page = await browser.SignedInPageAsync("admin@demo.local", "/admin/scripts.html#phrases", "en-US");
        await using var _ = page.Context;
        var row = page.Locator("#phrases-table tr[data-phrase='听不见就算了']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(page.Locator("#phrases-table tr[data-phrase='just wait']")).ToBeVisibleAsync();

        var phrase = "whatever " + Guid.NewGuid().ToString("N")[..6];
        await page.Locator("#new-phrase").ClickAsync();
        await page.Locator("#phrase-text").FillAsync(phrase);
        await page.Locator("#phrase-language").SelectOptionAsync("en");
        await page.Locator("#phrase-save").ClickAsync();
        await Expect(page.Locator("[data-error-for=suggestion]")).Not.ToBeEmptyAsync();
        await page.Locator("#phrase-suggestion").FillAsync("Let me look into that for you.");
        await page.Locator("#phrase-save").ClickAsync();
        await Expect(page.Locator("#phrase-messages")).ToContainTextAsync("Forbidden phrase saved.");
        await page.Locator("#phrase-active").UncheckAsync();
        await page.Locator("#phrase-save").ClickAsync();
        await Expect(page.Locator($"#phrases-table tr[data-phrase='{phrase}']")).ToContainTextAsync("Switched off");
        await Expect(page.Locator("#phrase-history .revision").First).ToHaveAttributeAsync("data-action", "deactivated");
        Db(db => db.ForbiddenPhrases.Single(p => p.Phrase == phrase).IsActive).Should().BeFalse();

        var agent = await browser.SignedInPageAsync("agent1@demo.local", "/admin/scripts.html", "en-US");
        await using var __ = agent.Context;
        await Expect(agent.Locator("#page-messages")).ToContainTextAsync("Only supervisors and admins change scripts.");
        await Expect(agent.Locator("#scripts-table")).ToBeVisibleAsync();
        await Expect(agent.Locator("#new-script")).ToBeHiddenAsync();
    }
}
