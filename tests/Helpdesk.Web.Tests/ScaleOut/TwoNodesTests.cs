using System.Collections.Concurrent;
using Hangfire;
using Helpdesk.Core.Chat;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.ScaleOut;

/// <summary>A job that counts its runs, so a test can see that each ran exactly once across the nodes.</summary>
public sealed class CountedJob
{
    public static readonly ConcurrentDictionary<string, int> Runs = new();

    public void Run(string key) => Runs.AddOrUpdate(key, 1, (_, n) => n + 1);
}

/// <summary>
/// Issue 11 point 1: two app nodes on their own ports, one PostgreSQL database, one Redis server
/// (the SignalR backplane, switched on by SignalR:Redis).
/// </summary>
public sealed class TwoNodesTests : IAsyncLifetime
{
    private PostgreSqlServer _database = null!;
    private RedisServer _redis = null!;
    private HelpdeskServer _nodeA = null!, _nodeB = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgreSqlServer.StartAsync();
        _redis = await RedisServer.StartAsync();
        var connection = await _database.CreateDatabaseAsync();
        HelpdeskServer Node() => new()
        {
            Settings =
            {
                "Database:Provider=PostgreSql", $"ConnectionStrings:Helpdesk={connection}", "Demo:Enabled=true",
                $"SignalR:Redis={_redis.ConnectionString}", "Jobs:SchedulePollingInterval=00:00:00.5",
            },
        };
        // One after the other: the first migrates and seeds, the second finds it done.
        _nodeA = Node();
        await _nodeA.InitializeAsync();
        _nodeB = Node();
        await _nodeB.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_nodeB is not null) await _nodeB.DisposeAsync();
        if (_nodeA is not null) await _nodeA.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_customer_on_node_A_and_an_agent_on_node_B_chat_both_ways()
    {
        _nodeA.BaseAddress.Port.Should().NotBe(_nodeB.BaseAddress.Port);
        var agentHttp = await _nodeB.SignedInAsync(Demo.Agent1);
        await using var agent = await ChatConnection.StaffAsync(_nodeB, agentHttp);
        await agent.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
        await using var customer = await ChatConnection.VisitorAsync(_nodeA);

        var started = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat),
            new StartChatRequest("你好，我在A节点", Guid.NewGuid().ToString("N"), "周雨", null));
        var offer = await agent.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), o => o.TicketNumber == started.TicketNumber);
        offer.CustomerName.Should().Be("周雨", "node A routed the chat and its offer reached node B's console through Redis");
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), started.TicketNumber);
        (await customer.NextAsync<AgentJoinedNotice>(nameof(IChatClient.AgentJoined))).AgentName.Should().Be("李娜 Li Na");

        var fromAgent = Guid.NewGuid().ToString("N");
        await agent.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, fromAgent, "您好，我在B节点"));
        (await customer.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.ClientMessageId == fromAgent)).Body.Should().Be("您好，我在B节点");

        var fromCustomer = Guid.NewGuid().ToString("N");
        await customer.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, fromCustomer, "收到，谢谢"));
        (await agent.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.ClientMessageId == fromCustomer)).Body.Should().Be("收到，谢谢");

        // Both nodes read the same conversation from the shared database.
        var onA = await customer.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), started.TicketNumber, 0);
        var onB = await agent.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), started.TicketNumber, 0);
        onA.Select(m => m.ClientMessageId).Should().Contain([fromAgent, fromCustomer]);
        onB.Where(m => m.ClientMessageId is not null).Select(m => m.Sequence)
            .Should().Contain(onA.Where(m => m.ClientMessageId is not null).Select(m => m.Sequence));
    }

    [Fact]
    public async Task After_a_Redis_restart_the_chat_between_the_nodes_recovers_by_itself_and_nothing_acknowledged_is_lost()
    {
        var agentHttp = await _nodeB.SignedInAsync(Demo.Agent1);
        await using var agent = await ChatConnection.StaffAsync(_nodeB, agentHttp);
        await agent.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
        await using var customer = await ChatConnection.VisitorAsync(_nodeA);
        var started = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat),
            new StartChatRequest("Redis 重启测试", Guid.NewGuid().ToString("N"), "钱多多", null));
        await agent.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), o => o.TicketNumber == started.TicketNumber);
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), started.TicketNumber);

        await _redis.RestartAsync();

        // Sends go on (the database takes them); pushes across the nodes come back once the
        // backplane has reconnected, with no help from the test.
        var sent = new List<string>();
        ChatMessage? arrived = null;
        var until = DateTime.UtcNow.AddSeconds(60);
        while (arrived is null && DateTime.UtcNow < until)
        {
            var id = Guid.NewGuid().ToString("N");
            (await agent.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, id, $"重连后 {sent.Count + 1}"))).Duplicate.Should().BeFalse();
            sent.Add(id);
            try { arrived = await customer.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.ClientMessageId == id, timeoutSeconds: 2); }
            catch (TimeoutException) { }
        }
        arrived.Should().NotBeNull("node B's pushes reach node A's customer again after the Redis restart");
        var history = await customer.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), started.TicketNumber, 0);
        history.Select(m => m.ClientMessageId).Should().Contain(sent, "every acknowledged message is stored, pushed or not");
    }

    [Fact]
    public async Task Supervisor_figures_agree_on_both_nodes_when_a_chat_starts_on_one_of_them()
    {
        var onA = await _nodeA.SignedInAsync(Demo.Supervisor);
        var onB = await _nodeB.SignedInAsync(Demo.Supervisor);
        async Task<int> WaitingAsync(StaffClient client) =>
            (await client.Http.GetFromJsonAsync<Helpdesk.Web.Supervisor.DashboardSnapshot>("/api/supervisor/dashboard", TestJson.Options))!
                .Teams.Single(t => t.Key == "pre-sales").WaitingChats;
        var before = await WaitingAsync(onA);
        (await WaitingAsync(onB)).Should().Be(before);

        await using var customer = await ChatConnection.VisitorAsync(_nodeA);
        await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("两个节点的看板", Guid.NewGuid().ToString("N"), "孙悦", null));

        // Node A saw the chat start; node B hears of it through Redis and recomputes from the shared database.
        await Eventually.TrueAsync(async () => await WaitingAsync(onA) == before + 1, "node A's dashboard to count the waiting chat", TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(async () => await WaitingAsync(onB) == before + 1, "node B's dashboard to count it too", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Jobs_in_the_shared_store_run_once_across_both_nodes()
    {
        var monitoring = _nodeA.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        monitoring.Servers().Should().HaveCountGreaterThanOrEqualTo(2, "both nodes' Hangfire servers work on the shared store");
        var keys = Enumerable.Range(1, 40).Select(i => $"{Guid.NewGuid():N}-{i}").ToList();
        var fromA = _nodeA.Services.GetRequiredService<IBackgroundJobClient>();
        var fromB = _nodeB.Services.GetRequiredService<IBackgroundJobClient>();
        var ids = keys.Select((key, i) => (i % 2 == 0 ? fromA : fromB).Enqueue<CountedJob>(j => j.Run(key))).ToList();

        await Eventually.TrueAsync(() => Task.FromResult(ids.All(id => monitoring.JobDetails(id)?.History.Any(h => h.StateName == "Succeeded") == true)),
            "every job to succeed", TimeSpan.FromSeconds(60));
        keys.Select(k => CountedJob.Runs[k]).Should().OnlyContain(n => n == 1, "each job ran once");
        var runners = ids.Select(id => monitoring.JobDetails(id).History.Where(h => h.StateName == "Processing").ToList()).ToList();
        runners.Should().OnlyContain(p => p.Count == 1, "no job was taken by both nodes");
    }
}
