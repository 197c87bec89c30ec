using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Helpdesk.Web.Tests.Hostile;

/// <summary>
/// Issue 11 point 5, SignalR: hostile invocations over a real WebSocket connection to /hubs/chat,
/// from a widget visitor and from an agent. Every one is answered with a hub error "[code] ...",
/// the connection stays usable, and the messages acknowledged before are stored exactly as they were.
/// A message over the hub's 64 KB frame limit closes the connection (SignalR's rule); the visitor
/// reconnects with their token and finds their conversation intact.
/// </summary>
public sealed class HostileHubTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly HelpdeskServer _server = new() { Settings = { "Chat:MessageBurst=1000", "Chat:MessagesPerSecond=1000" } };

    public Task InitializeAsync() => _server.InitializeAsync();
    public Task DisposeAsync() => _server.DisposeAsync();

    private static string NewId() => Guid.NewGuid().ToString("N");

    private readonly List<string> _problems = [];

    /// <summary>An invocation that must fail with a coded hub error; what went otherwise is collected and asserted at the end.</summary>
    private async Task RefusedAsync(ChatConnection connection, string what, Func<HubConnection, Task> call)
    {
        try
        {
            await call(connection.Hub);
            _problems.Add($"{what}: accepted");
            return;
        }
        catch (HubException e)
        {
            output.WriteLine($"{what,-55} → {e.Message}");
            // The clients' own reading of a refusal (wwwroot/widget/helpdesk-widget.js, agent/chat.js).
            if (!System.Text.RegularExpressions.Regex.IsMatch(e.Message, @"(?:HubException: |^)\[([a-z_]+)\]\s*\S"))
                _problems.Add($"{what}: not a coded hub error: {e.Message}");
            if (new[] { "   at ", "InvalidDataException", "JsonException", "Npgsql", "Sqlite" }.Any(e.Message.Contains))
                _problems.Add($"{what}: server internals in {e.Message}");
        }
        catch (Exception e)
        {
            _problems.Add($"{what}: {e.GetType().Name} {e.Message}");
        }
        if (connection.Hub.State != HubConnectionState.Connected)
            _problems.Add($"{what}: the connection is {connection.Hub.State}");
    }

    private List<(int Sequence, string Body)> StoredMessages(long ticketNumber)
    {
        using var scope = _server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        // What people wrote: system entries (triage flags the XSS text as a threat, say) come and go on their own.
        return db.TicketMessages.AsNoTracking().Where(m => m.Kind == Helpdesk.Core.Tickets.MessageKind.Customer || m.Kind == Helpdesk.Core.Tickets.MessageKind.Agent)
            .Where(m => db.Tickets.Any(t => t.Id == m.TicketId && t.Number == ticketNumber))
            .OrderBy(m => m.Sequence).Select(m => new { m.Sequence, m.Body }).AsEnumerable().Select(m => (m.Sequence, m.Body)).ToList();
    }

    [Fact]
    public async Task Hostile_invocations_get_coded_errors_the_connection_goes_on_and_acknowledged_messages_stay()
    {
        var visitor = await ChatConnection.VisitorAsync(_server);
        await using var _ = visitor;
        var started = await visitor.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("第一条 first", NewId(), "访客 Visitor", null, "zh-CN"));
        var number = started.TicketNumber;
        var acks = new List<ChatAck>();
        foreach (var text in new[] { "订单 12345 没到", HostileCorpus.Xss[0], "谢谢 thanks" })
            acks.Add(await visitor.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, NewId(), text)));
        var before = StoredMessages(number);

        // A second customer's conversation, which the first must not reach.
        var stranger = await ChatConnection.VisitorAsync(_server);
        await using var __ = stranger;
        var theirs = (await stranger.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("别人的 someone else's", NewId(), null, null))).TicketNumber;

        await RefusedAsync(visitor, "text with NUL", h => h.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, NewId(), "a\0b")));
        await RefusedAsync(visitor, "empty text", h => h.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, NewId(), "   ")));
        await RefusedAsync(visitor, "null text", h => h.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, NewId(), null)));
        await RefusedAsync(visitor, "text of 30,000 characters (under the frame limit)", h => h.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, NewId(), new string('x', 30_000))));
        await RefusedAsync(visitor, "no clientMessageId", h => h.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, null, "hello")));
        await RefusedAsync(visitor, "clientMessageId of 1,000 characters", h => h.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, new string('c', 1000), "hello")));
        await RefusedAsync(visitor, "another customer's conversation", h => h.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(theirs, NewId(), "hi")));
        await RefusedAsync(visitor, "a ticket number that does not exist", h => h.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(long.MaxValue, NewId(), "hi")));
        await RefusedAsync(visitor, "a negative ticket number", h => h.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(-1, NewId(), "hi")));
        await RefusedAsync(visitor, "a string where the message object belongs", h => h.InvokeCoreAsync<ChatAck>(nameof(ChatHub.Send), ["just text"]));
        await RefusedAsync(visitor, "a number where the message object belongs", h => h.InvokeCoreAsync<ChatAck>(nameof(ChatHub.Send), [42]));
        await RefusedAsync(visitor, "the ticket number as text", h => h.InvokeCoreAsync<ChatAck>(nameof(ChatHub.Send), [new { ticketNumber = "abc", clientMessageId = NewId(), text = "hi" }]));
        await RefusedAsync(visitor, "the text as an object", h => h.InvokeCoreAsync<ChatAck>(nameof(ChatHub.Send), [new { ticketNumber = number, clientMessageId = NewId(), text = new { a = 1 } }]));
        await RefusedAsync(visitor, "two arguments where one belongs", h => h.InvokeCoreAsync<ChatAck>(nameof(ChatHub.Send), [new SendChatMessage(number, NewId(), "hi"), 1]));
        await RefusedAsync(visitor, "no argument at all", h => h.InvokeCoreAsync<ChatAck>(nameof(ChatHub.Send), []));
        await RefusedAsync(visitor, "a method that does not exist", h => h.InvokeCoreAsync<object>("DropAllTables", []));
        await RefusedAsync(visitor, "an agent's method", h => h.InvokeAsync<object>(nameof(ChatHub.Accept), number));
        await RefusedAsync(visitor, "History with text for numbers", h => h.InvokeCoreAsync<object>(nameof(ChatHub.History), ["abc", "def"]));
        await RefusedAsync(visitor, "Typing on another's conversation", h => h.InvokeAsync(nameof(ChatHub.Typing), theirs, true));
        await RefusedAsync(visitor, "MarkRead on another's conversation", h => h.InvokeAsync(nameof(ChatHub.MarkRead), theirs, int.MaxValue));
        await RefusedAsync(visitor, "StartChat with a 10,000-character name", h => h.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, new string('名', 10_000), null)));
        await RefusedAsync(visitor, "StartChat with NUL in the name", h => h.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, "a\0b", "x\0@example.cn")));

        // The agent's side of the same door.
        var agentHttp = await _server.SignedInAsync(Demo.Agent1);
        var agent = await ChatConnection.StaffAsync(_server, agentHttp);
        await using var ___ = agent;
        await RefusedAsync(agent, "agent: text with NUL", h => h.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, NewId(), "x\0")));
        await RefusedAsync(agent, "agent: presence that does not exist", h => h.InvokeCoreAsync<object>(nameof(ChatHub.SetPresence), ["Asleep"]));
        await RefusedAsync(agent, "agent: transfer to nobody", h => h.InvokeAsync(nameof(ChatHub.Transfer), number, (Guid?)Guid.NewGuid(), (int?)null));
        await RefusedAsync(agent, "agent: a customer's method", h => h.InvokeAsync<object>(nameof(ChatHub.StartChat), new StartChatRequest("hi", NewId(), null, null)));

        _problems.Should().BeEmpty();

        // Still usable: the next good message follows the acknowledged ones without a gap.
        var next = await visitor.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, NewId(), "还在吗 still there?"));
        next.Sequence.Should().Be(StoredMessages(number)[^1].Sequence);
        var after = StoredMessages(number);
        after.Take(before.Count).Should().Equal(before, "what was acknowledged is untouched");
        after.Skip(before.Count).Select(m => m.Body).Should().Equal(["还在吗 still there?"], "no refused message was stored");
        acks.Select(a => a.Sequence).Should().BeSubsetOf(before.Select(m => m.Sequence));

        // Past the 64 KB frame limit SignalR closes the connection; the visitor comes back with their token.
        var closed = new TaskCompletionSource<Exception?>();
        visitor.Hub.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };
        var oversize = FluentActions.Awaiting(() => visitor.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, NewId(), new string('长', 70_000))));
        await oversize.Should().ThrowAsync<Exception>("a 210 KB frame is over the hub's limit");
        (await closed.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().NotBeNull("the server closed the connection with an error");
        var back = await ChatConnection.VisitorAsync(_server, token: visitor.VisitorToken);
        await using var ____ = back;
        var resumed = await back.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, null, null));
        resumed.TicketNumber.Should().Be(number);
        resumed.Resumed.Should().BeTrue();
        var history = await back.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), number, 0);
        history.Select(m => m.Sequence).Should().Contain(after.Select(m => m.Sequence).Where(s => acks.Any(a => a.Sequence == s) || s == next.Sequence));
        StoredMessages(number).Should().Equal(after, "the oversize message stored nothing");
    }
}
