using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.Web.Chat;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpdesk.E2E.Tests.Widget;

/// <summary>
/// Files both ways through the widget: the shopper attaches (button, drag and drop, paste), the
/// agent receives the very bytes; the agent's files show as thumbnails and downloads. Each app
/// keeps its files in its own temp folder, so a test can see that nothing was stored.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetFileTests(BrowserFixture browser) : WidgetTestBase(browser)
{
    private static readonly byte[] Photo = TestFiles.Png(320, 200, (255, 176, 32));
    private static readonly byte[] Screenshot = TestFiles.Png(240, 160, (229, 72, 77));
    private static readonly byte[] Invoice = TestFiles.Pdf("Invoice SO-20261118-0042");

    private string FilesFolder => Path.Combine(Server.Folder, "files");

    public override Task InitializeAsync()
    {
        Server.Settings.Add("Attachments:Root=" + FilesFolder);
        return base.InitializeAsync();
    }

    private static ILocator AttachButton(IPage page) => Host(page).Locator(".composer button.attachbtn");
    private static ILocator FileInput(IPage page) => Host(page).Locator(".composer input[type=file]");
    private static ILocator Notice(IPage page) => Host(page).Locator(".notice");
    private static ILocator WithFile(ILocator messages, string name) =>
        messages.Filter(new() { Has = messages.Page.Locator($".fname:text-is(\"{name}\"), .fcaption:text-is(\"{name}\"), img[alt=\"{name}\"]") });

    [Fact]
    public async Task Shopper_sends_a_picture_a_pdf_and_a_pasted_screenshot_which_reach_the_agent_byte_for_byte()
    {
        var agent = await OnlineAgentAsync();
        var agentHttp = await Server.StaffAsync(AgentEmail);
        var page = await ShopperAsync();
        await OpenAsync(page);
        await Expect(AttachButton(page)).ToHaveAttributeAsync("aria-label", "发送图片或文件");

        // The first thing the shopper does is send a photo: that starts the chat. The upload is held
        // at the network until the test has seen it pending, with its name and a progress bar.
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/api/widget/attachments", async route => { await release.Task; await route.ContinueAsync(); });
        var chooser = await page.RunAndWaitForFileChooserAsync(() => AttachButton(page).ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "耳机照片.png", MimeType = "image/png", Buffer = Photo });
        var ticket = await AcceptNextChatAsync(agent);

        var photo = CustomerMessages(page).First;
        await Expect(photo).ToHaveAttributeAsync("data-status", "pending");
        await Expect(photo.Locator(".fcaption")).ToHaveTextAsync("耳机照片.png");
        await Expect(photo.Locator("[role=progressbar]")).ToBeVisibleAsync();
        await Expect(photo.Locator(".thumb img")).ToHaveJSPropertyAsync("naturalWidth", 320); // the picked file, shown at once
        await ScreenshotAsync(page, "zh-file-uploading");
        release.SetResult();

        var atAgent = await agent.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Attachment != null, timeoutSeconds: 15);
        atAgent.TicketNumber.Should().Be(ticket);
        atAgent.Attachment!.FileName.Should().Be("耳机照片.png");
        atAgent.Attachment.ContentType.Should().Be("image/png");
        (await agentHttp.Http.GetByteArrayAsync(atAgent.Attachment.Url)).Should().Equal(Photo);
        await Expect(photo).ToHaveAttributeAsync("data-status", "sent");
        await Expect(photo).ToHaveAttributeAsync("data-seq", atAgent.Sequence.ToString());
        await Expect(photo.Locator(".fcaption, [role=progressbar]")).ToHaveCountAsync(0);
        await page.UnrouteAsync("**/api/widget/attachments");

        // A PDF dropped onto the panel (the drop zone shows while a file is dragged over it).
        var shownWhileDragging = await DropAsync(page, "发票.pdf", "application/pdf", Invoice);
        shownWhileDragging.Should().BeTrue();
        await Expect(Host(page).Locator(".dropzone")).ToBeHiddenAsync();
        var pdfAtAgent = await agent.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Attachment != null, timeoutSeconds: 15);
        pdfAtAgent.Attachment!.FileName.Should().Be("发票.pdf");
        pdfAtAgent.Attachment.ContentType.Should().Be("application/pdf");
        (await agentHttp.Http.GetByteArrayAsync(pdfAtAgent.Attachment.Url)).Should().Equal(Invoice);
        var pdf = WithFile(CustomerMessages(page), "发票.pdf");
        await Expect(pdf).ToHaveAttributeAsync("data-status", "sent");
        await Expect(pdf.Locator(".fsize")).ToHaveTextAsync("3 KB");

        // A screenshot pasted into the composer.
        await PasteAsync(page, "image.png", "image/png", Screenshot);
        var pasted = await agent.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Attachment != null, timeoutSeconds: 15);
        (await agentHttp.Http.GetByteArrayAsync(pasted.Attachment!.Url)).Should().Equal(Screenshot);
        await SendAsync(page, "左耳这里没有声音，发票也附上了");
        await AgentSaysAsync(agent, ticket, "收到，照片和发票都看到了");

        // Each shows once, in order, although both the upload's answer and the hub's push brought it.
        await Expect(AgentBubbles(page)).ToHaveTextAsync([GreetingFor("zh-CN"), "收到，照片和发票都看到了"]);
        await Expect(CustomerMessages(page)).ToHaveCountAsync(4);
        await Expect(CustomerMessages(page).Last).ToHaveAttributeAsync("data-status", "sent");
        await Expect(Host(page).Locator(".msg.customer .thumb img")).ToHaveCountAsync(2);
        var shown = (await Host(page).Locator(".msg.customer").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.seq)")).Select(int.Parse).ToList();
        shown.Take(3).Should().Equal(atAgent.Sequence, pdfAtAgent.Sequence, pasted.Sequence);
        shown[3].Should().BeGreaterThan(pasted.Sequence);
        await ScreenshotAsync(page, "zh-files");

        // After a reload the files come from the server (with the visitor's token), still once each.
        await page.ReloadAsync();
        await Expect(CustomerMessages(page)).ToHaveCountAsync(4);
        var thumbs = Host(page).Locator(".msg.customer .thumb img");
        await Expect(thumbs.First).ToHaveJSPropertyAsync("naturalWidth", 320);
        await Expect(thumbs.Last).ToHaveJSPropertyAsync("naturalWidth", 240);
        await Expect(thumbs.First).ToHaveAttributeAsync("src", new Regex("^blob:"));
        await Expect(WithFile(CustomerMessages(page), "发票.pdf").Locator(".fname")).ToHaveTextAsync("发票.pdf");
    }

    [Fact]
    public async Task A_file_that_is_not_a_picture_or_pdf_is_refused_with_the_reason_in_the_shoppers_language_and_nothing_is_stored()
    {
        var agent = await OnlineAgentAsync();
        var page = await ShopperAsync();
        var uploads = 0;
        page.Request += (_, r) => { if (r.Url.Contains("/api/widget/attachments")) Interlocked.Increment(ref uploads); };
        await OpenAsync(page);
        await SendAsync(page, "我发一下订单截图");
        var ticket = await AcceptNextChatAsync(agent);
        await Expect(CustomerMessage(page, "我发一下订单截图")).ToHaveAttributeAsync("data-status", "sent");

        // What the page can tell by itself never leaves it: a text file, a file over 10 MB.
        await FileInput(page).SetInputFilesAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "hello"u8.ToArray() });
        await Expect(Notice(page)).ToContainTextAsync("“notes.txt”无法发送：只能发送图片（PNG、JPEG、GIF、WebP）或 PDF 文件");
        await DropAsync(page, "huge.png", "image/png", null, size: 10 * 1024 * 1024 + 1);
        await Expect(Notice(page)).ToContainTextAsync("“huge.png”无法发送：文件超过 10 MB");
        await Notice(page).GetByRole(AriaRole.Button, new() { Name = "知道了" }).ClickAsync();
        await Expect(Notice(page)).ToBeHiddenAsync();
        uploads.Should().Be(0);

        // An HTML page named .png passes the page's check (the browser calls it image/png), but the
        // server judges the bytes: refused, with its reason, and no retry (it would be refused again).
        await FileInput(page).SetInputFilesAsync(new FilePayload
        {
            Name = "订单截图.png", MimeType = "image/png", Buffer = "<html><script>alert('x')</script></html>"u8.ToArray(),
        });
        var refused = WithFile(CustomerMessages(page), "订单截图.png");
        await Expect(refused).ToHaveAttributeAsync("data-status", "failed");
        await Expect(refused.Locator(".reason")).ToHaveTextAsync("未发送：只能发送图片（PNG、JPEG、GIF、WebP）或 PDF 文件");
        await Expect(refused.Locator("button.retry")).ToHaveCountAsync(0);
        await Expect(refused.Locator(".filecard .fname")).ToHaveTextAsync("订单截图.png"); // not a picture: shown as a file
        uploads.Should().Be(1);
        await ScreenshotAsync(page, "zh-file-refused");

        await Host(page).Locator(".lang").ClickAsync();
        await Expect(refused.Locator(".reason")).ToHaveTextAsync("Not sent: only images (PNG, JPEG, GIF, WebP) and PDF files can be sent");
        await Expect(AttachButton(page)).ToHaveAttributeAsync("aria-label", "Send an image or a file");

        Db(db => db.Attachments.Count()).Should().Be(0);
        Db(db => db.TicketMessages.Count(m => m.AttachmentId != null)).Should().Be(0);
        (Directory.Exists(FilesFolder) ? Directory.GetFiles(FilesFolder, "*", SearchOption.AllDirectories) : []).Should().BeEmpty();
        var history = await agent.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), ticket, 0);
        history.Should().NotContain(m => m.Attachment != null);
    }

    [Fact]
    public async Task An_upload_cut_off_by_the_network_offers_a_retry_that_sends_the_same_message_exactly_once()
    {
        var agent = await OnlineAgentAsync();
        var page = await ShopperAsync("en-US");
        await OpenAsync(page);
        await SendAsync(page, "Here is the receipt");
        var ticket = await AcceptNextChatAsync(agent);

        // The first attempt never reaches the server; the test reads the id every attempt carries.
        var attempts = new List<string>();
        var resent = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/api/widget/attachments", async route =>
        {
            int attempt;
            lock (attempts) { attempts.Add(ClientMessageId(route.Request)); attempt = attempts.Count; }
            if (attempt == 1) { await route.AbortAsync("connectionreset"); return; }
            var response = await route.FetchAsync();
            await route.FulfillAsync(new() { Response = response });
            resent.TrySetResult(response.Status);
        });
        await FileInput(page).SetInputFilesAsync(new FilePayload { Name = "receipt.pdf", MimeType = "application/pdf", Buffer = Invoice });
        var receipt = WithFile(CustomerMessages(page), "receipt.pdf");
        await Expect(receipt).ToHaveAttributeAsync("data-status", "failed");
        await Expect(receipt.Locator(".reason")).ToHaveTextAsync("Not sent: the connection was lost");
        await ScreenshotAsync(page, "en-file-retry");

        await receipt.GetByRole(AriaRole.Button, new() { Name = "Send again" }).ClickAsync();
        await Expect(receipt).ToHaveAttributeAsync("data-status", "sent");
        var stored = await agent.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Attachment != null, timeoutSeconds: 15);
        stored.Attachment!.FileName.Should().Be("receipt.pdf");
        lock (attempts) attempts.Should().HaveCount(2).And.OnlyContain(id => id == stored.ClientMessageId);
        (await resent.Task.WaitAsync(TimeSpan.FromSeconds(15))).Should().Be(201);
        await page.UnrouteAsync("**/api/widget/attachments");

        // The answer lost after the server stored it: the shopper still sees the file once, as sent.
        await page.RouteAsync("**/api/widget/attachments", async route =>
        {
            await route.FetchAsync();
            await route.AbortAsync("connectionreset");
        });
        await FileInput(page).SetInputFilesAsync(new FilePayload { Name = "left-ear.png", MimeType = "image/png", Buffer = Screenshot });
        var second = await agent.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Attachment != null, timeoutSeconds: 15);
        var leftEar = WithFile(CustomerMessages(page), "left-ear.png");
        var retry = leftEar.GetByRole(AriaRole.Button, new() { Name = "Send again" });
        await Expect(leftEar).ToHaveAttributeAsync("data-status", new Regex("sent|failed"));
        await page.UnrouteAsync("**/api/widget/attachments");
        if (await retry.IsVisibleAsync()) await retry.ClickAsync(); // the push came after the cut: the resend is answered 200
        await Expect(leftEar).ToHaveAttributeAsync("data-status", "sent");
        await Expect(leftEar).ToHaveAttributeAsync("data-seq", second.Sequence.ToString());
        await Expect(CustomerMessages(page)).ToHaveCountAsync(3);
        Db(db => db.TicketMessages.Count(m => m.AttachmentId != null)).Should().Be(2);
        Db(db => db.Attachments.Count()).Should().Be(2);
        ticket.Should().Be(stored.TicketNumber);
    }

    [Fact]
    public async Task Pictures_the_agent_sends_show_as_thumbnails_that_open_full_size_and_pdfs_download()
    {
        var agent = await OnlineAgentAsync();
        var agentHttp = await Server.StaffAsync(AgentEmail);
        var page = await ShopperAsync();
        await OpenAsync(page);
        await SendAsync(page, "耳机线应该怎么接？");
        var ticket = await AcceptNextChatAsync(agent);

        await AgentSendsFileAsync(agentHttp, ticket, "接线示意图.png", "image/png", Photo, "请参考这张图");
        var bubble = AgentBubbles(page).Last;
        await Expect(bubble.Locator(".text")).ToHaveTextAsync("请参考这张图");
        var img = bubble.Locator(".thumb img");
        await Expect(img).ToHaveJSPropertyAsync("naturalWidth", 320);
        await Expect(img).ToHaveAttributeAsync("src", new Regex("^blob:"));
        await Expect(img).ToHaveAttributeAsync("alt", "接线示意图.png");
        await Expect(bubble.Locator(".thumb")).ToHaveAttributeAsync("aria-label", "查看原图：接线示意图.png");
        (await img.BoundingBoxAsync())!.Width.Should().BeLessThanOrEqualTo(240, "it is a thumbnail");

        var full = await page.RunAndWaitForPopupAsync(() => bubble.Locator(".thumb").ClickAsync());
        full.Url.Should().StartWith("blob:");
        await Expect(full.Locator("img")).ToHaveJSPropertyAsync("naturalWidth", 320);
        await full.CloseAsync();

        await AgentSendsFileAsync(agentHttp, ticket, "保修卡.pdf", "application/pdf", Invoice, null);
        var card = AgentBubbles(page).Last.Locator("a.filecard");
        await Expect(card.Locator(".fname")).ToHaveTextAsync("保修卡.pdf");
        await Expect(card.Locator(".fsize")).ToHaveTextAsync("3 KB");
        await Expect(card).ToHaveAttributeAsync("title", "下载 保修卡.pdf（3 KB）");
        var download = await page.RunAndWaitForDownloadAsync(() => card.ClickAsync());
        download.SuggestedFilename.Should().Be("保修卡.pdf");
        (await File.ReadAllBytesAsync((await download.PathAsync())!)).Should().Equal(Invoice);

        await FileInput(page).SetInputFilesAsync(new FilePayload { Name = "我的接法.png", MimeType = "image/png", Buffer = Screenshot });
        await Expect(WithFile(CustomerMessages(page), "我的接法.png")).ToHaveAttributeAsync("data-status", "sent");
        await Expect(AgentBubbles(page)).ToHaveCountAsync(3); // the greeting, the picture, the PDF
        await ScreenshotAsync(page, "zh-agent-files");

        // Closed, the launcher counts a file like any message.
        await page.Keyboard.PressAsync("Escape");
        await AgentSendsFileAsync(agentHttp, ticket, "说明书.pdf", "application/pdf", Invoice, null);
        await Expect(Host(page).Locator(".badge")).ToHaveTextAsync("1");
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static async Task AgentSendsFileAsync(Helpdesk.Web.Tests.Fixtures.StaffClient agent, long ticket, string name, string type, byte[] bytes, string? text)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(type);
        form.Add(file, "file", name);
        if (text is not null) form.Add(new StringContent(text), "text");
        var response = await agent.Http.PostAsync($"/api/tickets/{ticket}/attachments", form);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Drags a file over the panel and drops it; says whether the drop zone showed meanwhile.</summary>
    private static Task<bool> DropAsync(IPage page, string name, string type, byte[]? bytes, int size = 0) =>
        page.EvaluateAsync<bool>("""
            ([name, type, b64, size]) => {
              const bytes = b64 ? Uint8Array.from(atob(b64), c => c.charCodeAt(0)) : new Uint8Array(size);
              const files = new DataTransfer();
              files.items.add(new File([bytes], name, { type }));
              const root = document.querySelector('[data-helpdesk-widget]').shadowRoot;
              const target = root.querySelector('.messages');
              target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: files, bubbles: true, cancelable: true }));
              target.dispatchEvent(new DragEvent('dragover', { dataTransfer: files, bubbles: true, cancelable: true }));
              const shown = !root.querySelector('.dropzone').hidden;
              target.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
              return shown;
            }
            """, new object?[] { name, type, bytes is null ? null : Convert.ToBase64String(bytes), size });

    /// <summary>Pastes a file (as a screenshot tool leaves it on the clipboard) into the composer.</summary>
    private static Task PasteAsync(IPage page, string name, string type, byte[] bytes) =>
        page.EvaluateAsync("""
            ([name, type, b64]) => {
              const clipboard = new DataTransfer();
              clipboard.items.add(new File([Uint8Array.from(atob(b64), c => c.charCodeAt(0))], name, { type }));
              const composer = document.querySelector('[data-helpdesk-widget]').shadowRoot.querySelector('.composer textarea');
              composer.focus();
              composer.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
            }
            """, new object[] { name, type, Convert.ToBase64String(bytes) });

    /// <summary>The clientMessageId field of a multipart upload.</summary>
    private static string ClientMessageId(IRequest request)
    {
        var body = Encoding.Latin1.GetString(request.PostDataBuffer ?? []);
        var match = Regex.Match(body, "name=\"?clientMessageId\"?\\r\\n\\r\\n([^\\r]*)\\r\\n");
        return match.Success ? match.Groups[1].Value : "";
    }
}
