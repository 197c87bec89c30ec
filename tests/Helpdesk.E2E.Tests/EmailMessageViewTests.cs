using System.Text;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.Web.Email;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.E2E.Tests;

/// <summary>An email ticket in the console: the mail's HTML shown safely, its history folded, its files, the delivery of our reply.</summary>
[Collection(BrowserCollection.Name)]
public sealed class EmailMessageViewTests(BrowserFixture browser)
{
    /// <summary>A mail taken in through the app's own intake (the IMAP side is tested in Helpdesk.Web.Tests).</summary>
    private async Task<long> ReceiveAsync(string raw)
    {
        var mail = MailReader.Read(Encoding.UTF8.GetBytes(raw), 25 * 1024 * 1024);
        await using var scope = browser.Server.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<EmailIntake>().TakeAsync("support", 1, mail, CancellationToken.None);
        return result.TicketNumber!.Value;
    }

    [Theory]
    [InlineData("en-US", "Show quoted history", "Sending failed")]
    [InlineData("zh-CN", "显示引用的历史邮件", "发送失败")]
    public async Task The_mail_shows_without_running_its_scripts_its_quote_unfolds_and_our_replys_delivery_shows(string locale, string showQuote, string failed)
    {
        var word = $"m{Guid.NewGuid():N}"[..12];
        var builder = new MimeKit.BodyBuilder
        {
            HtmlBody = $"<p>The screen is broken <b>{word}</b></p><script>parent.__pwned = 1; alert('script')</script>" +
                "<img src=x onerror=\"parent.__pwned = 2\"><a href=\"javascript:parent.__pwned=3\">link</a>" +
                "<div class=\"gmail_quote\">On Mon, 23 Nov 2026, Support wrote:<blockquote>Please send a photo of the screen.</blockquote></div>",
        };
        builder.Attachments.Add("manual.pdf", Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n"), new MimeKit.ContentType("application", "pdf"));
        var message = new MimeKit.MimeMessage { Subject = $"Screen broken {word}", MessageId = $"{word}@mail.example.cn", Body = builder.ToMessageBody() };
        message.From.Add(new MimeKit.MailboxAddress("周杰", $"{word}@mail.example.cn"));
        message.To.Add(MimeKit.MailboxAddress.Parse("support@demo.local"));
        var number = await ReceiveAsync(message.ToString());

        var page = await browser.SignedInPageAsync("agent1@demo.local", $"/agent/#view=open&ticket={number}", locale);
        await using var _ = page.Context;
        var dialogs = new List<string>();
        page.Dialog += async (_, d) => { dialogs.Add(d.Message); await d.DismissAsync(); };
        await Expect(page.Locator("#ticket-subject")).ToContainTextAsync(word);

        var mail = page.Locator("#timeline .msg-customer .mail");
        await Expect(mail.Locator(".mail-from")).ToHaveTextAsync($"周杰 <{word}@mail.example.cn>");
        var body = page.FrameLocator("#timeline .msg-customer .mail > iframe.mail-frame").Locator("body");
        await Expect(body).ToContainTextAsync($"The screen is broken {word}");
        await Expect(body.Locator("b")).ToHaveTextAsync(word);
        (await mail.Locator("> iframe.mail-frame").GetAttributeAsync("sandbox")).Should().NotContain("allow-scripts");
        var file = mail.Locator(".mail-files a");
        await Expect(file).ToHaveTextAsync("manual.pdf");
        (await file.GetAttributeAsync("href")).Should().StartWith("/api/attachments/");

        // The history is there but folded; it opens on request.
        var quote = mail.Locator("details.mail-quoted");
        await Expect(quote.Locator("summary")).ToHaveTextAsync(showQuote);
        (await quote.GetAttributeAsync("open")).Should().BeNull();
        await Expect(quote.Locator("iframe")).ToBeHiddenAsync();
        await quote.Locator("summary").ClickAsync();
        await Expect(page.FrameLocator("#timeline .msg-customer details.mail-quoted iframe").Locator("body")).ToContainTextAsync("Please send a photo of the screen.");
        await Expect(body).Not.ToContainTextAsync("Please send a photo");

        await body.Locator("a").ClickAsync(new LocatorClickOptions { Force = true });
        (await page.EvaluateAsync<object?>("() => window.__pwned ?? null")).Should().BeNull("no script of the mail may run");
        dialogs.Should().BeEmpty();

        // The agent answers; this test app has no SMTP server, so the reply's failure shows on it.
        await page.Locator("#composer-text").FillAsync("We will replace the screen.");
        await page.Locator("#composer-send").ClickAsync();
        await Expect(page.Locator("#timeline .msg-agent").Last).ToContainTextAsync("We will replace the screen.");
        // The send job runs after the reply is committed: the view shows its outcome once reloaded.
        var badge = page.Locator("#timeline .msg-agent .badge.delivery");
        for (var tries = 0; tries < 30 && await badge.GetAttributeAsync("data-delivery") != "Failed"; tries++)
        {
            await page.WaitForTimeoutAsync(300);
            await page.ReloadAsync();
            await Expect(page.Locator("#ticket-subject")).ToContainTextAsync(word);
        }
        await Expect(badge).ToContainTextAsync(failed);
    }
}
