using System.Collections.Concurrent;
using System.Diagnostics;
using Helpdesk.Core.Chat;
using Helpdesk.Core.Sla;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Data;
using Helpdesk.Web.Sla;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tests.Sla;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Helpdesk.Web.Tests.ScaleOut;

/// <summary>
/// Issue 11 point 3, the node crash: two app nodes as OS processes behind a TCP balancer, one
/// PostgreSQL, one Redis. Twenty conversations talk both ways; node A is killed with SIGKILL in
/// the middle. Its clients reconnect through the balancer to node B, resend what was not
/// acknowledged (same client ids) and catch up from History; every acknowledged message is stored
/// exactly once and in order, what is sent after the kill reaches the other party, and node B's
/// Hangfire still runs jobs.
/// </summary>
public sealed class NodeCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Conversations = 20;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(150);

    private PostgreSqlServer? _database;
    private RedisServer? _redis;
    private string _connection = null!;
    private AppNodeProcess? _nodeA, _nodeB;
    private TcpBalancer? _balancer;

    public async Task InitializeAsync()
    {
        _database = await PostgreSqlServer.StartAsync();
        _redis = await RedisServer.StartAsync();
        _connection = await _database.CreateDatabaseAsync();
        string[] settings =
        [
            "Database:Provider=PostgreSql", $"ConnectionStrings:Helpdesk={_connection}", "Demo:Enabled=true",
            $"SignalR:Redis={_redis.ConnectionString}", "Jobs:SchedulePollingInterval=00:00:00.5",
            // One agent connection carries ten conversations: its per-connection send limit must not be what the test measures.
            // Node A's consoles count as gone 5 s after A stops renewing them.
            "Chat:ConnectionRenewSeconds=1", "Chat:ConnectionExpirySeconds=5",
            "Chat:MessagesPerSecond=1000", "Chat:MessageBurst=1000", "Chat:AgentCapacity=20",
            // A second widget site whose chats go to after-sales (agent2), so each node holds an agent.
            "Chat:Sites:1:Key=after", "Chat:Sites:1:Name=After-sales", "Chat:Sites:1:TeamKey=after-sales",
            // Phone tickets breach their first response after 3 s of wall-clock time: a Hangfire timer job
            // the test can wait for on the survivor (the nodes run on the real clock).
            "Sla:Policies:0:Key=phone-fast", "Sla:Policies:0:Order=1", "Sla:Policies:0:Channels:0=Phone",
            "Sla:Policies:0:FirstResponse:Minutes=0.05", "Sla:Policies:0:FirstResponse:Mode=Calendar",
            "Sla:Policies:1:Key=everything", "Sla:Policies:1:Order=100", "Sla:Policies:1:Resolution:Minutes=6000",
            // The safety net for timers a dead node held in process, every 5 s instead of every minute.
            "Sla:Timers:ReconcileCron=*/5 * * * * *", "Logging:LogLevel:Helpdesk.Web.Sla.SlaReconciler=Information",
        ];
        // One after the other: the first migrates and seeds, the second finds it done.
        _nodeA = await AppNodeProcess.StartAsync("A", settings);
        _nodeB = await AppNodeProcess.StartAsync("B", settings);
        _balancer = TcpBalancer.Start(_nodeA.Port, _nodeB.Port);
    }

    public async Task DisposeAsync()
    {
        if (_balancer is not null) await _balancer.DisposeAsync();
        if (_nodeB is not null) await _nodeB.DisposeAsync();
        if (_nodeA is not null) await _nodeA.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    [Fact]
    public async Task Killing_a_node_under_chat_load_loses_nothing_acknowledged_and_its_clients_carry_on_through_the_other()
    {
        var watch = Stopwatch.StartNew();
        var balancer = _balancer!;
        var entry = balancer.BaseAddress;
        const int A = 0, B = 1;

        // Why this test's clients connect with WebSockets and no negotiate request: a negotiated
        // connection is two TCP connections (the negotiate POST, then the socket with the id it handed
        // out), and a balancer without session affinity sends them to different nodes, where the id is
        // unknown. The browser clients negotiate (and may fall back to SSE or long polling), so in
        // production the balancer keeps each client on one node (docs/operations.md); after a crash it
        // moves them to a live node, as this balancer does.
        // (The supervisor's keep-alive connection stays on node A: the tickets it opens below are node A's work.)
        balancer.Pin = A;
        var watcher = new StaffClient(entry);
        await watcher.SignInAsync(Demo.Supervisor, DemoSeeder.Password);
        balancer.Pin = null;
        var (negotiated, direct) = (0, 0);
        for (var i = 0; i < 4; i++)
        {
            foreach (var skip in new[] { false, true })
            {
                await using var probe = new HubConnectionBuilder().WithUrl(new Uri(entry, "/hubs/chat"), o =>
                {
                    o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                    o.SkipNegotiation = skip;
                    o.Cookies = watcher.Cookies;
                }).Build();
                try
                {
                    await probe.StartAsync();
                    if (skip) direct++;
                    else negotiated++;
                }
                catch (AggregateException e) when (e.InnerExceptions.Any(x => x.InnerException is System.Net.WebSockets.WebSocketException { Message: var m } && m.Contains("404")))
                {
                    // The socket reached the node that had not negotiated: "No Connection with that ID".
                }
            }
        }
        direct.Should().Be(4, "a WebSocket without negotiation is one connection: whichever node it reaches serves it");
        negotiated.Should().BeLessThan(4, "the negotiate and the socket went to different nodes at least once");

        // Agent 1 (pre-sales, site "demo") on node A, agent 2 (after-sales, site "after") on node B.
        var agent1 = await AgentAsync(Demo.Agent1, A);
        var agent2 = await AgentAsync(Demo.Agent2, B);
        await agent1.Connection.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
        await agent2.Connection.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);

        // Customer i on node i % 2, talking to agent 1 or 2 by (i / 2) % 2: all four pairings of nodes.
        var chats = new List<Conversation>();
        for (var i = 0; i < Conversations; i++)
        {
            balancer.Pin = i % 2;
            var agent = (i / 2) % 2 == 0 ? agent1 : agent2;
            var customer = new Party($"customer{i:00}", await ChatConnection.VisitorAsync(entry, agent == agent1 ? "demo" : "after", reconnect: Reconnect.Quickly), i % 2);
            var started = await customer.Connection.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat),
                new StartChatRequest(null, null, $"顾客{i:00}", null));
            await agent.Connection.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), started.TicketNumber);
            customer.Follow(started.TicketNumber);
            agent.Follow(started.TicketNumber);
            chats.Add(new Conversation(i, started.TicketNumber, new Talker(customer, started.TicketNumber, $"c{i:00}"), new Talker(agent, started.TicketNumber, $"a{i:00}")));
        }
        balancer.Pin = null;
        balancer.Open(A).Should().BeGreaterThanOrEqualTo(Conversations / 2 + 1, "half the customers and agent 1 hold a socket on node A");
        balancer.Open(B).Should().BeGreaterThanOrEqualTo(Conversations / 2 + 1, "the other half and agent 2 on node B");
        var talkers = chats.SelectMany(c => new[] { c.Customer, c.Agent }).ToList();
        var parties = talkers.Select(t => t.Party).Distinct().ToList();
        output.WriteLine($"set up in {watch.Elapsed.TotalSeconds:F1} s");

        // Both directions, continuously, until the test says stop.
        using var stop = new CancellationTokenSource();
        var killed = new Killed();
        var running = talkers.Select(t => Task.Run(() => t.RunAsync(killed, stop.Token))).ToList();

        await Until(() => talkers.All(t => t.AckedCount >= 3), "every side of every conversation to have 3 messages acknowledged", running);
        // SLA timers in flight: phone tickets opened on node A, whose warning and breach come due in the
        // seconds after the kill. Node A computes their deadlines after the commit and schedules their
        // timers; each timer is a Hangfire job that hands the ticket to the in-process hold of the node
        // that ran it. What node A had not done or held when it died, node B's reconciler picks up.
        var inFlight = new List<long>();
        for (var i = 0; i < 8; i++)
            inFlight.Add((await watcher.CreateTicketAsync(new { subject = $"崩溃前的电话工单 {i}", type = "Inquiry", channel = "Phone", description = "来电", priority = "Normal", category = "None" })).Ticket.Number);
        var beforeKill = talkers.Sum(t => t.AckedCount);
        var exitCode = await _nodeA!.KillAsync();
        killed.Set();
        output.WriteLine($"node A killed at {watch.Elapsed.TotalSeconds:F1} s after {beforeKill} acknowledged messages; exit code {exitCode}");
        exitCode.Should().Be(128 + 9, "Process.Kill sends SIGKILL on Linux: the node had no chance to finish anything");

        // Node B's Hangfire after the crash: a phone ticket created now breaches its 3-second first
        // response when its timer job runs.
        var supervisor = new StaffClient(entry);
        await supervisor.SignInAsync(Demo.Supervisor, DemoSeeder.Password);
        var phone = await supervisor.CreateTicketAsync(new { subject = "节点崩溃后的电话工单", type = "Inquiry", channel = "Phone", description = "来电", priority = "Normal", category = "None" });

        await Until(() => talkers.All(t => t.AckedAfterKill >= 5), "every side to have 5 messages acknowledged after the kill", running);
        await stop.CancelAsync();
        await Task.WhenAll(running);
        output.WriteLine($"traffic stopped at {watch.Elapsed.TotalSeconds:F1} s: {talkers.Sum(t => t.AckedCount)} acknowledged, "
                         + $"{talkers.Sum(t => t.Retries)} sends retried, {talkers.Sum(t => t.Acked.Count(s => s.Duplicate))} answered as duplicates");

        // A client on node A whose last acknowledgement was lost in the cut sends that message again,
        // now to node B: B finds what A stored and answers with the same place, without a second copy.
        foreach (var talker in talkers.Where(t => t.Party.Node == A))
        {
            var last = talker.Acked.Last(s => !s.AfterKill);
            var again = await talker.Party.Connection.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send),
                new SendChatMessage(talker.Ticket, last.Id, "resent after the cut"));
            (again.Duplicate, again.Sequence).Should().Be((true, last.Sequence), $"{last.Id} was stored by node A before it died");
        }

        // Node A's clients came back through the balancer, to node B; node B's never left.
        foreach (var party in parties)
            if (party.Node == A) party.Reconnects.Should().BeGreaterThanOrEqualTo(1, $"{party.Name} was on node A");
            else party.Reconnects.Should().Be(0, $"{party.Name} was on node B, which stayed up");
        balancer.Refused.Should().BeGreaterThan(0, "reconnects tried the dead node and were passed on to the live one");

        // The database: every acknowledged message exactly once, in the order it was sent, under the
        // sequence its acknowledgement gave; nothing stored that was not acknowledged.
        var numbers = chats.Select(c => c.Ticket).ToList();
        await using (var db = new HelpdeskDbContext(new DbContextOptionsBuilder<HelpdeskDbContext>()
                         .UseHelpdeskDatabase(DatabaseProvider.PostgreSql, _connection).Options))
        {
            var tickets = await db.Tickets.AsNoTracking().Where(t => numbers.Contains(t.Number)).ToDictionaryAsync(t => t.Id, t => t.Number);
            var ids = tickets.Keys.ToList();
            var stored = (await db.TicketMessages.AsNoTracking()
                    .Where(m => ids.Contains(m.TicketId) && m.ClientMessageId != null)
                    .Select(m => new { m.TicketId, m.ClientMessageId, m.Sequence, m.Kind })
                    .ToListAsync())
                .Select(m => new { Number = tickets[m.TicketId], m.ClientMessageId, m.Sequence, m.Kind })
                .ToList();
            foreach (var chat in chats)
                foreach (var talker in new[] { chat.Customer, chat.Agent })
                {
                    var mine = stored.Where(m => m.Number == chat.Ticket && m.ClientMessageId!.StartsWith(talker.Prefix + "-", StringComparison.Ordinal))
                        .OrderBy(m => m.Sequence).ToList();
                    mine.Select(m => m.ClientMessageId).Should().Equal(talker.Acked.Select(s => s.Id), $"{talker.Prefix}: stored once each, in sending order");
                    mine.Select(m => m.Sequence).Should().Equal(talker.Acked.Select(s => s.Sequence), $"{talker.Prefix}: under the acknowledged sequence");
                    mine.Should().OnlyContain(m => m.Kind == (talker == chat.Customer ? MessageKind.Customer : MessageKind.Agent));
                }
            stored.GroupBy(m => (m.Number, m.Sequence)).Should().OnlyContain(g => g.Count() == 1, "no two messages share a place in a conversation");
        }

        // History on the survivor says the same, and what was sent after the kill reached the other party
        // (live, or from History when its client caught up).
        foreach (var chat in chats)
        {
            var history = await chat.Agent.Party.Connection.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), chat.Ticket, 0);
            history.Where(m => m.ClientMessageId?.StartsWith(chat.Customer.Prefix + "-", StringComparison.Ordinal) == true).Select(m => m.ClientMessageId)
                .Should().Equal(chat.Customer.Acked.Select(s => s.Id));
        }
        await Until(() => chats.All(c => c.Agent.Party.HasSeen(c.Ticket, c.Customer.SentAfterKill) && c.Customer.Party.HasSeen(c.Ticket, c.Agent.SentAfterKill)),
            "every message sent after the kill to reach the other party", []);
        var unseenBefore = chats.Sum(c => c.Customer.Acked.Count(s => !c.Agent.Party.HasSeen(c.Ticket, [s.Id])) + c.Agent.Acked.Count(s => !c.Customer.Party.HasSeen(c.Ticket, [s.Id])));
        output.WriteLine($"acknowledged before the kill but never shown to the other party (stored; a later History shows them): {unseenBefore}");

        var breached = await Eventually.ReturnsAsync(() => supervisor.SlaAsync(phone.Ticket.Number),
            s => s.Targets.Any(t => t.Target == SlaTarget.FirstResponse && t.State == SlaState.Breached),
            "node B's Hangfire to run the phone ticket's SLA timer", seconds: 30);
        breached.PolicyKey.Should().Be("phone-fast");
        foreach (var number in inFlight)
            await Eventually.ReturnsAsync(() => supervisor.SlaAsync(number),
                s => s.Targets.Any(t => t.Target == SlaTarget.FirstResponse && t.State == SlaState.Breached),
                $"ticket {number}, whose timer was in flight when node A died, to be recorded breached", seconds: 30);
        var reports = System.Text.RegularExpressions.Regex.Matches(_nodeB!.Output, @"SLA reconciler: (\d+) overdue acted on, (\d+) timers scheduled again");
        output.WriteLine($"SLA: {inFlight.Count} timers in flight at the kill all fired; node B's reconciler acted on "
                         + $"{reports.Sum(m => int.Parse(m.Groups[1].Value))} overdue wake-ups and scheduled {reports.Sum(m => int.Parse(m.Groups[2].Value))} timers again");

        // Presence: agent 1's console now lives on node B only. Closing it makes agent 1 offline (no
        // more offers); the count node A kept for it died with A and must not keep agent 1 online.
        await agent1.Connection.DisposeAsync();
        var presence = await Eventually.ReturnsAsync(() => PresenceAsync(Demo.Agent1), p => p.Status == PresenceStatus.Offline,
            "agent 1 to be offline once their only live console closed", seconds: 20);
        presence.Connections.Should().Be(0);
        (await PresenceAsync(Demo.Agent2)).Should().Be(new AgentPresenceRow(PresenceStatus.Online, 1), "agent 2's console on node B is still open");
        output.WriteLine($"done in {watch.Elapsed.TotalSeconds:F1} s; node B output:\n{_nodeB!.Output}");

        foreach (var party in parties) await party.Connection.DisposeAsync();
    }

    private sealed record AgentPresenceRow(PresenceStatus Status, int Connections);

    private async Task<AgentPresenceRow> PresenceAsync(string email)
    {
        await using var db = new HelpdeskDbContext(new DbContextOptionsBuilder<HelpdeskDbContext>()
            .UseHelpdeskDatabase(DatabaseProvider.PostgreSql, _connection).Options);
        return await db.AgentPresence.AsNoTracking().Where(p => db.Users.Any(u => u.Id == p.AgentId && u.Email == email))
            .Select(p => new AgentPresenceRow(p.Status, p.Connections)).SingleAsync();
    }

    private async Task<Party> AgentAsync(string email, int node)
    {
        _balancer!.Pin = node;
        var http = new StaffClient(_balancer.BaseAddress);
        await http.SignInAsync(email, DemoSeeder.Password);
        return new Party(email, await ChatConnection.StaffAsync(_balancer.BaseAddress, http, Reconnect.Quickly), node);
    }

    private static async Task Until(Func<bool> done, string what, IReadOnlyList<Task> running, int seconds = 40)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!done())
        {
            // A talker that failed (a refused message) ends the wait with its error, not a timeout.
            if (running.FirstOrDefault(t => t.IsFaulted) is { } failed) await failed;
            if (DateTime.UtcNow > until) throw new TimeoutException($"Waited {seconds} s for {what}.");
            await Task.Delay(50);
        }
    }

    private sealed record Conversation(int Index, long Ticket, Talker Customer, Talker Agent);

    private sealed class Killed
    {
        private volatile bool _set;
        public bool IsSet => _set;
        public void Set() => _set = true;
    }

    /// <summary>Reconnects at once, then every quarter second, for a minute: the widget's schedule, faster.</summary>
    private sealed class Reconnect : IRetryPolicy
    {
        public static readonly Reconnect Quickly = new();

        public TimeSpan? NextRetryDelay(RetryContext context) =>
            context.ElapsedTime > TimeSpan.FromMinutes(1) ? null : context.PreviousRetryCount == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(250);
    }

    /// <summary>
    /// One hub connection (a widget, or a console) and what it has seen of each conversation. Like the
    /// widget: pushes move the watermark only while it is in sync; after a reconnect it asks History
    /// for everything after the watermark.
    /// </summary>
    private sealed class Party
    {
        private readonly ConcurrentDictionary<(long Ticket, string ClientId), int> _seen = new();
        private readonly ConcurrentDictionary<long, int> _watermark = new();
        private volatile bool _synced = true;
        private int _reconnects;

        public Party(string name, ChatConnection connection, int node)
        {
            Name = name;
            Connection = connection;
            Node = node;
            connection.Hub.On<ChatMessage>(nameof(IChatClient.Message), m => Take(m, fromPush: true));
            connection.Hub.Reconnecting += _ =>
            {
                _synced = false;
                return Task.CompletedTask;
            };
            connection.Hub.Reconnected += connectionId =>
            {
                Interlocked.Increment(ref _reconnects);
                _ = Task.Run(CatchUpAsync);
                return Task.CompletedTask;
            };
        }

        public string Name { get; }
        public ChatConnection Connection { get; }
        /// <summary>The node its first connection went to.</summary>
        public int Node { get; }
        public int Reconnects => Volatile.Read(ref _reconnects);

        public void Follow(long ticket) => _watermark.TryAdd(ticket, 0);

        public bool HasSeen(long ticket, IEnumerable<string> clientIds) => clientIds.All(id => _seen.ContainsKey((ticket, id)));

        private void Take(ChatMessage m, bool fromPush)
        {
            if (m.ClientMessageId is { } id) _seen.TryAdd((m.TicketNumber, id), m.Sequence);
            if ((!fromPush || _synced) && _watermark.ContainsKey(m.TicketNumber))
                _watermark.AddOrUpdate(m.TicketNumber, m.Sequence, (_, old) => Math.Max(old, m.Sequence));
        }

        private async Task CatchUpAsync()
        {
            try
            {
                foreach (var (ticket, after) in _watermark.ToArray())
                    foreach (var m in await Connection.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), ticket, after))
                        Take(m, fromPush: false);
                _synced = true;
            }
            catch (Exception e) when (e is not HubException)
            {
                // Cut again while catching up: the next reconnect starts over from the same watermark.
            }
        }
    }

    private sealed record Sent(string Id, int Sequence, bool Duplicate, bool AfterKill);

    /// <summary>
    /// One side of one conversation sending message after message. A send that fails for transport
    /// reasons is kept and sent again with the same client id once the connection is back (what the
    /// widget's and console's outboxes do); a refusal ("[code] ...") fails the test.
    /// </summary>
    private sealed class Talker(Party party, long ticket, string prefix)
    {
        private readonly List<Sent> _acked = [];
        private int _retries;

        public Party Party => party;
        public long Ticket => ticket;
        public string Prefix => prefix;
        public int Retries => Volatile.Read(ref _retries);

        public IReadOnlyList<Sent> Acked
        {
            get { lock (_acked) return _acked.ToList(); }
        }

        public int AckedCount
        {
            get { lock (_acked) return _acked.Count; }
        }

        public int AckedAfterKill
        {
            get { lock (_acked) return _acked.Count(s => s.AfterKill); }
        }

        /// <summary>Messages first sent after the kill: only node B can have stored and pushed them.</summary>
        public IReadOnlyList<string> SentAfterKill => Acked.Where(s => s.AfterKill).Select(s => s.Id).ToList();

        public async Task RunAsync(Killed killed, CancellationToken stop)
        {
            for (var k = 1; !stop.IsCancellationRequested; k++)
            {
                var id = $"{prefix}-{k:0000}";
                var afterKill = killed.IsSet;
                var giveUp = DateTime.UtcNow.AddSeconds(45);
                while (true)
                {
                    try
                    {
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                        var ack = await party.Connection.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send),
                            new SendChatMessage(ticket, id, $"{prefix} 第{k}条消息"), timeout.Token);
                        lock (_acked) _acked.Add(new Sent(id, ack.Sequence, ack.Duplicate, afterKill));
                        break;
                    }
                    catch (HubException e)
                    {
                        throw new InvalidOperationException($"{id} on ticket {ticket} was refused: {e.Message}");
                    }
                    catch (Exception e) when (DateTime.UtcNow < giveUp)
                    {
                        // Transport trouble: the message may or may not be stored; resend it as it is.
                        Interlocked.Increment(ref _retries);
                        _ = e;
                        await Task.Delay(50);
                        while (party.Connection.Hub.State != HubConnectionState.Connected && DateTime.UtcNow < giveUp)
                            await Task.Delay(50);
                    }
                }
                await Task.Delay(Pace);
            }
        }
    }
}
