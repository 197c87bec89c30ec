using Helpdesk.Core.Chat;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Helpdesk.Web.Tests.Chat;

/// <summary>
/// Nothing lost, nothing doubled (design §3.2): a client keeps what the server has not
/// acknowledged, resends it with the same ids after a cut or a server restart, and asks for
/// everything after the last sequence it saw. Every acknowledged message arrives exactly once, in order.
/// </summary>
public sealed class ChatResilienceTests
{
    /// <summary>What the widget and the console do: an outbox of unacknowledged messages, resent in order.</summary>
    private sealed class Outbox(ChatConnection connection, long ticket)
    {
        public ChatConnection Connection { get; set; } = connection;
        public List<(string Id, string Text)> Pending { get; } = [];
        public Dictionary<string, ChatAck> Acked { get; } = [];

        public async Task SendAsync(string id, string text)
        {
            Pending.Add((id, text));
            await FlushAsync();
        }

        public async Task FlushAsync()
        {
            while (Pending.Count > 0)
            {
                var (id, text) = Pending[0];
                try
                {
                    Acked[id] = await Connection.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(ticket, id, text));
                    Pending.RemoveAt(0);
                }
                catch (Exception e) when (e is not HubException)
                {
                    return; // transport gone: keep it for the resend
                }
            }
        }
    }

    [Fact]
    public async Task Messages_survive_a_cut_connection_and_a_server_restart_exactly_once_and_in_order()
    {
        var first = new HelpdeskServer { KeepFolder = true };
        await first.InitializeAsync();
        var port = first.BaseAddress.Port;

        var agentHttp = await first.SignedInAsync("agent1@demo.local");
        var agent = await ChatConnection.StaffAsync(first, agentHttp);
        await agent.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
        var customer = await ChatConnection.VisitorAsync(first);
        var token = customer.VisitorToken;
        var chat = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("开始", "start", null, null));
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), chat.TicketNumber);

        var outbox = new Outbox(customer, chat.TicketNumber);
        var sent = Enumerable.Range(1, 30).Select(i => ($"c{i:00}", $"消息 {i}")).ToList();
        for (var i = 0; i < 10; i++) await outbox.SendAsync(sent[i].Item1, sent[i].Item2);

        // Mid-stream cut: the connection drops; what is typed meanwhile waits in the outbox.
        await customer.Hub.StopAsync();
        for (var i = 10; i < 15; i++) await outbox.SendAsync(sent[i].Item1, sent[i].Item2);
        outbox.Pending.Should().HaveCount(5);
        var agentWhileCut = await agent.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(chat.TicketNumber, "a1", "客服在线"));
        await customer.Hub.StartAsync();
        await outbox.FlushAsync();
        outbox.Pending.Should().BeEmpty();

        // The server restarts on the same database and port; the client comes back with its token.
        for (var i = 15; i < 20; i++) await outbox.SendAsync(sent[i].Item1, sent[i].Item2);
        await customer.DisposeAsync();
        await agent.DisposeAsync();
        await first.DisposeAsync();
        for (var i = 20; i < 25; i++) outbox.Pending.Add(sent[i]);

        var second = new HelpdeskServer { Folder = first.Folder };
        second.Settings.Add($"urls=http://127.0.0.1:{port}");
        await second.InitializeAsync();
        try
        {
            second.BaseAddress.Port.Should().Be(port);
            await using var back = await ChatConnection.VisitorAsync(second, token: token);
            var resumed = await back.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, null, null));
            resumed.TicketNumber.Should().Be(chat.TicketNumber);
            outbox.Connection = back;
            await outbox.FlushAsync();
            // A resend of something already stored (the server had it, the ack was lost) is not doubled.
            outbox.Pending.Add(sent[3]);
            await outbox.FlushAsync();
            outbox.Acked[sent[3].Item1].Duplicate.Should().BeTrue();
            for (var i = 25; i < 30; i++) await outbox.SendAsync(sent[i].Item1, sent[i].Item2);

            var history = await back.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), chat.TicketNumber, 0);
            var mine = history.Where(m => m.Kind == MessageKind.Customer && m.ClientMessageId!.StartsWith('c')).ToList();
            mine.Select(m => m.ClientMessageId).Should().Equal(sent.Select(s => s.Item1));
            mine.Select(m => m.Sequence).Should().BeInAscendingOrder();
            history.Select(m => m.Sequence).Should().OnlyHaveUniqueItems();
            history.Where(m => m.ClientMessageId == "a1").Should().ContainSingle().Which.Sequence.Should().Be(agentWhileCut.Sequence);
            outbox.Acked.Should().HaveCount(30);
            foreach (var (id, _) in sent)
                mine.Single(m => m.ClientMessageId == id).Sequence.Should().Be(outbox.Acked[id].Sequence);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }
}
