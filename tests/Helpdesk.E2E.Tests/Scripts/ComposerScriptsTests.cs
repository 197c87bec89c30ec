using System.Text.Json;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.E2E.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.E2E.Tests.Scripts;

/// <summary>
/// The ticket reply composer in the agent console: the / picker of approved scripts with the
/// keyboard alone, and the forbidden-phrase guard that blocks a reply and offers the approved
/// wording with one click.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ComposerScriptsTests(BrowserFixture browser)
{
    private T Db<T>(Func<HelpdeskDbContext, T> read)
    {
        using var scope = browser.Server.Services.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>());
    }

    /// <summary>A phone ticket of 陈明 (male, surname 陈) assigned to agent1, opened in the console.</summary>
    private async Task<(IPage Page, long Number)> ChensTicketAsync(string locale)
    {
        var client = await browser.ApiAsync("agent1@demo.local");
        var response = await client.Http.PostAsJsonAsync("/api/tickets", new
        {
            subject = "退货咨询 " + Guid.NewGuid().ToString("N")[..6], type = "Inquiry", channel = "Phone",
            description = "耳机想退货", customerId = Db(db => db.Customers.Single(c => c.Name == "陈明").Id),
            assigneeId = await browser.StaffIdAsync("agent1@demo.local"),
        });
        response.EnsureSuccessStatusCode();
        var number = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetProperty("number").GetInt64();
        var page = await browser.SignedInPageAsync("agent1@demo.local", $"/agent/#view=mine&ticket={number}", locale);
        await Expect(page.Locator(".ticket-head .number")).ToContainTextAsync(number.ToString());
        return (page, number);
    }

    private static ILocator Composer(IPage page) => page.Locator("#composer-text");
    private static ILocator Picker(IPage page) => page.Locator(".composer .script-picker");
    private static ILocator Options(IPage page) => Picker(page).Locator("[role=option]");
    private static ILocator Selected(IPage page) => Picker(page).Locator("[role=option][aria-selected=true]");

    [Fact]
    public async Task Slash_opens_the_picker_and_the_keyboard_alone_searches_chooses_and_inserts_a_rendered_script()
    {
        var (page, number) = await ChensTicketAsync("zh-CN");
        await using var _ = page.Context;
        var composer = Composer(page);
        await composer.FocusAsync();
        await composer.PressSequentiallyAsync("/退");

        await Expect(Picker(page)).ToBeVisibleAsync();
        await Expect(composer).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(Options(page).Filter(new() { HasTextString = "退换货" })).ToHaveCountAsync(1);
        await Expect(Options(page).Filter(new() { HasTextString = "退款进度" })).ToHaveCountAsync(1);
        await Expect(Selected(page)).ToHaveCountAsync(1);

        // Down to the refund status, then Enter: the text rendered for this ticket replaces "/退".
        var names = await Options(page).Locator(".script-option-name").AllTextContentsAsync();
        var target = names.ToList().IndexOf("退款进度");
        for (var i = 0; i < target; i++) await composer.PressAsync("ArrowDown");
        await Expect(Selected(page).Locator(".script-option-name")).ToHaveTextAsync("退款进度");
        var activeId = await Selected(page).GetAttributeAsync("id");
        await Expect(composer).ToHaveAttributeAsync("aria-activedescendant", activeId!);
        await composer.PressAsync("Enter");
        await Expect(Picker(page)).ToBeHiddenAsync();
        await Expect(composer).ToHaveValueAsync("您的退款已经提交，款项会在3–5个工作日内原路退回，请您留意账户信息。");

        // After a space, a second script: the placeholders are this ticket's and this customer's.
        await composer.PressSequentiallyAsync(" /工单号");
        // The name that starts with the query leads; scripts that only say it in their text follow.
        await Expect(Selected(page).Locator(".script-option-name")).ToHaveTextAsync("工单号");
        await composer.PressAsync("Tab");
        await Expect(composer).ToHaveValueAsync($"您的退款已经提交，款项会在3–5个工作日内原路退回，请您留意账户信息。 已为您登记，工单号为 {number}，处理进展我们会及时通知您。");

        // The salutation of the known customer, and Escape closing without inserting.
        await composer.FillAsync("");
        await composer.PressSequentiallyAsync("/退换");
        await Expect(Options(page)).ToHaveCountAsync(1);
        await Expect(Options(page).Locator(".script-option-text")).ToContainTextAsync("陈先生好，");
        await composer.PressAsync("Escape");
        await Expect(Picker(page)).ToBeHiddenAsync();
        await Expect(composer).ToHaveValueAsync("/退换");

        // Ctrl+Enter sends what was inserted, as a normal reply.
        await composer.FillAsync("");
        await composer.PressSequentiallyAsync("/hold");
        await Expect(Options(page).First).ToBeVisibleAsync();
        await composer.PressAsync("Enter");
        await Expect(composer).Not.ToHaveValueAsync("/hold");
        var inserted = await composer.InputValueAsync();
        await composer.PressAsync("Control+Enter");
        await Expect(page.Locator("#timeline .msg-agent .body").Last).ToHaveTextAsync(inserted);
    }

    [Fact]
    public async Task English_names_are_found_too_and_a_slash_inside_a_word_is_just_a_slash()
    {
        var (page, _) = await ChensTicketAsync("en-US");
        await using var _ = page.Context;
        var composer = Composer(page);
        await composer.FocusAsync();
        await composer.PressSequentiallyAsync("and/or ");
        await Expect(Picker(page)).ToBeHiddenAsync();
        await composer.PressSequentiallyAsync("/refund");
        await Expect(Options(page).Filter(new() { HasTextString = "Refund status" })).ToHaveCountAsync(1);
        await Expect(Options(page).First.Locator(".badge")).ToContainTextAsync("Canned response");
        await composer.PressAsync("Enter");
        await Expect(composer).ToHaveValueAsync("and/or Your refund has been issued; it will reach your original payment method within 3–5 working days.");
        await composer.PressSequentiallyAsync(" /nothing-like-this");
        await Expect(Picker(page)).ToContainTextAsync("No matching script");
    }

    [Fact]
    public async Task The_guard_blocks_a_forbidden_reply_and_one_click_puts_in_the_approved_wording()
    {
        var (page, number) = await ChensTicketAsync("zh-CN");
        await using var _ = page.Context;
        var composer = Composer(page);
        var before = Db(db => db.TicketMessages.Count(m => db.Tickets.Any(t => t.Id == m.TicketId && t.Number == number) && m.Kind == MessageKind.Agent));

        await composer.FillAsync("没办法，您就慢 慢等着吧");
        await page.Locator("#composer-send").ClickAsync();
        var guard = page.Locator(".composer .wording-guard");
        await Expect(guard).ToBeVisibleAsync();
        await Expect(guard).ToContainTextAsync("慢慢等着吧");
        await Expect(guard).ToContainTextAsync("非常抱歉让您久等了，我正在加紧为您处理，请您稍等。");
        await Expect(composer).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(composer).ToHaveValueAsync("没办法，您就慢 慢等着吧"); // nothing was sent, the draft stays
        Db(db => db.TicketMessages.Count(m => db.Tickets.Any(t => t.Id == m.TicketId && t.Number == number) && m.Kind == MessageKind.Agent)).Should().Be(before);

        await guard.Locator(".wording-replace").ClickAsync();
        await Expect(composer).ToHaveValueAsync("没办法，您就非常抱歉让您久等了，我正在加紧为您处理，请您稍等。");
        await Expect(guard).ToBeHiddenAsync();
        await page.Locator("#composer-send").ClickAsync();
        await Expect(page.Locator("#timeline .msg-agent .body").Last).ToHaveTextAsync("没办法，您就非常抱歉让您久等了，我正在加紧为您处理，请您稍等。");

        // An internal note is not for the customer: the guard does not stop it.
        await page.Locator(".composer [data-mode=note]").ClickAsync();
        await Composer(page).FillAsync("客户投诉我们说过“慢慢等着吧”");
        await page.Locator("#composer-send").ClickAsync();
        await Expect(page.Locator("#timeline .msg-note .body").Last).ToHaveTextAsync("客户投诉我们说过“慢慢等着吧”");
    }
}
