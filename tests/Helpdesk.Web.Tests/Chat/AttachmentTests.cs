using System.Net;
using System.Net.Http.Headers;
using Helpdesk.Core.Chat;
using Helpdesk.Web.Attachments;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpdesk.Web.Tests.Chat;

/// <summary>Files both ways in a chat: checked by content, stored, served only to the conversation's people.</summary>
public sealed class AttachmentTests : IAsyncLifetime
{
    private readonly HelpdeskServer _server = new();
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3];
    private static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"u8.ToArray();

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public Task InitializeAsync() => _server.InitializeAsync();
    public Task DisposeAsync() => _server.DisposeAsync();

    private static MultipartFormDataContent Form(byte[] bytes, string name, string declaredType, params (string Key, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(declaredType);
        form.Add(file, "file", name);
        foreach (var (k, v) in fields) form.Add(new StringContent(v), k);
        return form;
    }

    private async Task<(ChatConnection Customer, ChatConnection Agent, StaffClient AgentHttp, long Ticket)> ChatAsync()
    {
        var agentHttp = await _server.SignedInAsync("agent1@demo.local");
        var agent = await ChatConnection.StaffAsync(_server, agentHttp);
        await agent.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
        var customer = await ChatConnection.VisitorAsync(_server);
        var chat = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("photo coming", Guid.NewGuid().ToString("N"), null, null));
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), chat.TicketNumber);
        return (customer, agent, agentHttp, chat.TicketNumber);
    }

    private HttpRequestMessage VisitorPost(ChatConnection customer, HttpContent content) =>
        new(HttpMethod.Post, new Uri(_server.BaseAddress, "/api/widget/attachments"))
        {
            Content = content,
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", customer.VisitorToken) },
        };

    [Fact]
    public async Task A_customer_image_reaches_the_agent_who_can_download_it_and_another_visitor_cannot()
    {
        var (customer, agent, agentHttp, ticket) = await ChatAsync();
        using var http = new HttpClient();
        var upload = await http.SendAsync(VisitorPost(customer, Form(Png, "../../etc/破损照片.png", "text/plain", ("ticketNumber", ticket.ToString()), ("clientMessageId", "att-1"))));
        upload.StatusCode.Should().Be(HttpStatusCode.Created);
        var uploaded = (await upload.Content.ReadFromJsonAsync<AttachmentUploaded>(Json))!;
        uploaded.Message.Attachment!.ContentType.Should().Be("image/png");
        uploaded.Message.Attachment.FileName.Should().Be("破损照片.png");

        var pushed = await agent.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Attachment is not null);
        pushed.Attachment!.Id.Should().Be(uploaded.Message.Attachment.Id);

        var download = await agentHttp.Http.GetAsync(pushed.Attachment.Url);
        download.StatusCode.Should().Be(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        download.Headers.GetValues("X-Content-Type-Options").Should().Contain("nosniff");
        (await download.Content.ReadAsByteArrayAsync()).Should().Equal(Png);

        var own = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.BaseAddress, pushed.Attachment.Url));
        own.Headers.Authorization = new AuthenticationHeaderValue("Bearer", customer.VisitorToken);
        (await http.SendAsync(own)).StatusCode.Should().Be(HttpStatusCode.OK);

        await using var stranger = await ChatConnection.VisitorAsync(_server);
        var theirs = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.BaseAddress, pushed.Attachment.Url));
        theirs.Headers.Authorization = new AuthenticationHeaderValue("Bearer", stranger.VisitorToken);
        (await http.SendAsync(theirs)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await http.GetAsync(new Uri(_server.BaseAddress, pushed.Attachment.Url))).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var again = await http.SendAsync(VisitorPost(customer, Form(Png, "x.png", "image/png", ("ticketNumber", ticket.ToString()), ("clientMessageId", "att-1"))));
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        (await again.Content.ReadFromJsonAsync<AttachmentUploaded>(Json))!.Duplicate.Should().BeTrue();
        await customer.DisposeAsync();
        await agent.DisposeAsync();
    }

    [Fact]
    public async Task An_agent_pdf_reaches_the_customer_as_a_download()
    {
        var (customer, agent, agentHttp, ticket) = await ChatAsync();
        var upload = await agentHttp.Http.PostAsync($"/api/tickets/{ticket}/attachments", Form(Pdf, "invoice.pdf", "application/pdf", ("text", "您的发票")));
        upload.StatusCode.Should().Be(HttpStatusCode.Created);
        var message = await customer.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Attachment is not null);
        message.Body.Should().Be("您的发票");
        message.Attachment!.ContentType.Should().Be("application/pdf");

        using var http = new HttpClient();
        var download = await http.GetAsync(new Uri(_server.BaseAddress, message.Attachment.Url + "?access_token=" + Uri.EscapeDataString(customer.VisitorToken!)));
        download.StatusCode.Should().Be(HttpStatusCode.OK);
        download.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        await customer.DisposeAsync();
        await agent.DisposeAsync();
    }

    [Theory]
    [InlineData("page.html", "<html><script>alert(1)</script></html>")]
    [InlineData("evil.png", "MZ\u0090\u0000 not really a png")]
    [InlineData("vector.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")]
    public async Task Files_that_are_not_images_or_pdf_by_content_are_refused_whatever_their_name(string name, string content)
    {
        var (customer, agent, _, ticket) = await ChatAsync();
        using var http = new HttpClient();
        var response = await http.SendAsync(VisitorPost(customer, Form(System.Text.Encoding.UTF8.GetBytes(content), name, "image/png", ("ticketNumber", ticket.ToString()))));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("file").And.Contain("PDF");
        (await CodeOfAsync(response)).Should().Be("unsupported_type");
        var history = await customer.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), ticket, 0);
        history.Should().NotContain(m => m.Attachment != null);
        await customer.DisposeAsync();
        await agent.DisposeAsync();
    }

    [Fact]
    public async Task A_file_over_ten_megabytes_is_refused()
    {
        var (customer, agent, _, ticket) = await ChatAsync();
        var big = new byte[10 * 1024 * 1024 + 1];
        Png.CopyTo(big, 0);
        using var http = new HttpClient();
        var response = await http.SendAsync(VisitorPost(customer, Form(big, "big.png", "image/png", ("ticketNumber", ticket.ToString()))));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("10 MB");
        (await CodeOfAsync(response)).Should().Be("too_large");
        await customer.DisposeAsync();
        await agent.DisposeAsync();
    }

    [Fact]
    public async Task An_empty_file_is_refused_with_a_code_the_widget_can_word_in_its_language()
    {
        var (customer, agent, _, ticket) = await ChatAsync();
        using var http = new HttpClient();
        var response = await http.SendAsync(VisitorPost(customer, Form([], "empty.png", "image/png", ("ticketNumber", ticket.ToString()))));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        problem.GetProperty("errors").GetProperty("file")[0].GetString().Should().Be("The file is empty.");
        problem.GetProperty("code").GetString().Should().Be("empty");
        await customer.DisposeAsync();
        await agent.DisposeAsync();
    }

    private static async Task<string?> CodeOfAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString();

    [Fact]
    public async Task A_visitor_cannot_upload_into_someone_elses_conversation()
    {
        var (_, agent, _, ticket) = await ChatAsync();
        await using var stranger = await ChatConnection.VisitorAsync(_server);
        await stranger.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, null, null));
        using var http = new HttpClient();
        var response = await http.SendAsync(VisitorPost(stranger, Form(Png, "x.png", "image/png", ("ticketNumber", ticket.ToString()))));
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        await agent.DisposeAsync();
    }

    [Fact]
    public async Task A_file_for_an_ended_chat_is_refused_and_not_stored()
    {
        var (customer, agent, _, ticket) = await ChatAsync();
        await agent.Hub.InvokeAsync(nameof(ChatHub.EndChat), ticket);
        using var http = new HttpClient();
        var response = await http.SendAsync(VisitorPost(customer, Form(Png, "late.png", "image/png", ("ticketNumber", ticket.ToString()))));
        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.Content.ReadAsStringAsync()).Should().Contain("chat_ended");
        var folder = Path.Combine(_server.Folder, "attachments");
        (Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : []).Should().BeEmpty();
        await customer.DisposeAsync();
        await agent.DisposeAsync();
    }
}
