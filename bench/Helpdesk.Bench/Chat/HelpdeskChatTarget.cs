using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Helpdesk.Core.Chat;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Data.Identity;
using Helpdesk.Web;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helpdesk.Bench.Chat;

/// <summary>
/// The real product: Kestrel on 127.0.0.1, a SQLite file, the chat hub with routing and group
/// commit; M agents (auto-assigned, each opening its chats) and N widget customers over WebSockets.
/// </summary>
public sealed class HelpdeskChatTarget : IAsyncDisposable
{
    private WebApplication _app = null!;
    private string _folder = null!;
    private readonly List<HubConnection> _connections = [];
    private readonly List<HttpClient> _clients = [];
    public ChatLoadResult? Current { get; set; }
    public List<Func<string, string, Task<bool>>> Customers { get; } = [];
    /// <summary>The conversations' ticket numbers, for the write-path probe.</summary>
    public List<long> ConversationTickets { get; } = [];
    public IServiceProvider Services => _app.Services;
    /// <summary>How often each agent answers each of its conversations; null: never.</summary>
    public TimeSpan? AgentReplyInterval { get; init; }
    public long AgentReplies => Interlocked.Read(ref _agentReplies);
    private long _agentReplies, _replyFailures;
    public long AgentReplyFailures => Interlocked.Read(ref _replyFailures);
    private readonly List<(HubConnection Hub, long Ticket)> _assigned = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _replying = Task.CompletedTask;
    public long Batches => _app.Services.GetRequiredService<ChatMessageWriter>().Batches;
    public long Messages => _app.Services.GetRequiredService<ChatMessageWriter>().Messages;
    public long UntrackedBatches => _app.Services.GetRequiredService<ChatMessageWriter>().UntrackedBatches;

    public async Task StartAsync(int customers, int agents)
    {
        _folder = Directory.CreateTempSubdirectory("helpdesk-chatbench-").FullName;
        var capacity = customers / agents + 2;
        var builder = HelpdeskApp.CreateBuilder(
        [
            "--urls=http://127.0.0.1:0", "--environment=Bench",
            $"--ConnectionStrings:Helpdesk=Data Source={Path.Combine(_folder, "helpdesk.db")}",
            "--Chat:AutoAssign=true", $"--Chat:AgentCapacity={Math.Min(50, capacity)}",
            "--Chat:MessageBurst=1000", "--Chat:MessagesPerSecond=1000",
            "--RateLimits:WidgetPerMinute=1000000", "--RateLimits:SignInPerMinute=100000",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.AspNetCore.SignalR=Error",
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore=None",
            $"--Database:SqliteSynchronous={Environment.GetEnvironmentVariable("HELPDESK_BENCH_SQLITE_SYNC") ?? "FULL"}",
            // Extra settings for experiments, e.g. HELPDESK_BENCH_SETTINGS="--Triage:Enabled=false".
            .. (Environment.GetEnvironmentVariable("HELPDESK_BENCH_SETTINGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        ]);
        if (capacity > 50) throw new ArgumentException("Give at least one agent per 48 customers.");
        _app = HelpdeskApp.Build(builder);
        await _app.PrepareDatabaseAsync();
        await _app.StartAsync();
        var baseUri = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var emails = await CreateAgentsAsync(agents);
        var opened = 0;
        foreach (var email in emails)
        {
            var cookies = new CookieContainer();
            var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = baseUri };
            _clients.Add(http);
            await http.GetAsync("/api/auth/session");
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in") { Content = JsonContent.Create(new { email, password = "Bench123!x" }) };
            request.Headers.Add("X-XSRF-TOKEN", cookies.GetCookies(baseUri)["XSRF-TOKEN"]!.Value);
            (await http.SendAsync(request)).EnsureSuccessStatusCode();
            var hub = Connect(baseUri, o => o.Cookies = cookies);
            hub.On<ChatMessage>(nameof(IChatClient.Message), m =>
            {
                if (m.Kind == MessageKind.Customer && m.ClientMessageId is { } id) Current?.Receive(id, m.Body);
            });
            hub.On<ChatAssignedNotice>(nameof(IChatClient.ChatAssigned), async n =>
            {
                await hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.Open), n.TicketNumber);
                lock (_assigned) _assigned.Add((hub, n.TicketNumber));
                Interlocked.Increment(ref opened);
            });
            await hub.StartAsync();
            await hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
        }

        var session = new HttpClient { BaseAddress = baseUri };
        _clients.Add(session);
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(Enumerable.Range(0, customers).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var response = await session.PostAsJsonAsync("/api/widget/sessions", new { siteKey = "demo" });
                response.EnsureSuccessStatusCode();
                var token = (await response.Content.ReadFromJsonAsync<WidgetSession>())!.VisitorToken;
                var hub = Connect(baseUri, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token));
                await hub.StartAsync();
                var chat = await hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, $"Bench {i}", null));
                lock (Customers)
                {
                    ConversationTickets.Add(chat.TicketNumber);
                    Customers.Add(async (id, body) =>
                        (await hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(chat.TicketNumber, id, body))).Sequence > 0);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        var wait = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref opened) < customers && wait.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(50);
        if (opened < customers)
            throw new InvalidOperationException($"Only {opened} of {customers} chats reached an agent.");
        // Steady state before measuring. Each conversation says its first line now: a chat's first
        // customer message is triaged at once (later ones at most every Triage:ChatIntervalSeconds), and
        // 1,000 first messages in the paced phase's first second would measure that burst, which real
        // traffic (chats starting over the day) never sends at once. 1,000 chats just opened also leave
        // the SLA worker 1,000 new tickets and their greetings to work through.
        await Task.WhenAll(Customers.Select((send, i) => send($"warm-up-{i}", "你好，我想问一下订单的事。")));
        await Task.Delay(TimeSpan.FromSeconds(5));
        var sla = _app.Services.GetRequiredService<Helpdesk.Web.Sla.SlaWorker>();
        var settle = System.Diagnostics.Stopwatch.StartNew();
        while (sla.Pending > 0 && settle.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(100);
        Console.WriteLine($"   set-up settled in {settle.Elapsed.TotalSeconds:F1} s (SLA worker idle: {sla.Pending == 0})");
        await Task.Delay(TimeSpan.FromSeconds(2));
        if (AgentReplyInterval is { } every)
            _replying = ReplyAsync(every, _stop.Token);
    }

    /// <summary>
    /// What else the product did for these conversations during the run (the echo hub does none of
    /// it): SLA recomputations written, escalations, and background jobs run.
    /// </summary>
    public async Task<string> SideWorkAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        var numbers = ConversationTickets.ToList();
        var tickets = db.Tickets.AsNoTracking().Where(t => numbers.Contains(t.Number));
        var slaWrites = await tickets.SumAsync(t => EF.Property<int>(t, Helpdesk.Data.Sla.SlaColumns.Version));
        var escalated = await tickets.CountAsync(t => EF.Property<int>(t, Helpdesk.Data.Sla.SlaColumns.EscalationLevel) > 0);
        var jobs = _app.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        var skipped = _app.Services.GetRequiredService<Helpdesk.Web.Sla.SlaWorker>().SkippedCustomerMessages;
        return $"SLA figures written {slaWrites:N0} times for {numbers.Count:N0} conversations ({skipped:N0} customer-message notices settled by the running-clock check); {escalated:N0} escalated; " +
               $"Hangfire jobs succeeded {jobs.SucceededListCount():N0}, failed {jobs.FailedCount():N0}, scheduled {jobs.ScheduledCount():N0}";
    }

    /// <summary>Each agent answers each of its conversations once per interval, spread evenly over it.</summary>
    private async Task ReplyAsync(TimeSpan every, CancellationToken ct)
    {
        List<(HubConnection Hub, long Ticket)> chats;
        lock (_assigned) chats = _assigned.ToList();
        var gap = every / Math.Max(1, chats.Count);
        var round = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                round++;
                foreach (var (hub, ticket) in chats)
                {
                    await Task.Delay(gap, ct);
                    _ = SendReplyAsync(hub, ticket, round);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendReplyAsync(HubConnection hub, long ticket, int round)
    {
        try
        {
            await hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(ticket, $"agent-{ticket}-{round}", "好的，我正在为您查询，请稍等。"));
            Interlocked.Increment(ref _agentReplies);
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _replyFailures);
        }
    }

    private HubConnection Connect(Uri baseUri, Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions> configure)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, "/hubs/chat"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                configure(o);
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        lock (_connections) _connections.Add(hub);
        return hub;
    }

    private async Task<List<string>> CreateAgentsAsync(int count)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        var team = await db.Teams.SingleAsync(t => t.Key == "pre-sales");
        // The demo agents of the team would take chats too: only bench agents go online.
        var emails = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var email = $"bench-agent{i}@bench.local";
            var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = $"Bench {i}", Teams = [new StaffTeamMembership { TeamId = team.Id }] };
            var created = await users.CreateAsync(user, "Bench123!x");
            if (!created.Succeeded) throw new InvalidOperationException("Could not create a bench agent: " + string.Join(" ", created.Errors.Select(e => e.Description)));
            await users.AddToRoleAsync(user, StaffRoles.Agent);
            emails.Add(email);
        }
        return emails;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _replying;
        foreach (var hub in _connections) await hub.DisposeAsync();
        foreach (var c in _clients) c.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, true); } catch (IOException) { }
    }
}
