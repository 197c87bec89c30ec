using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Helpdesk.Core.Supervision;
using Helpdesk.Data;
using Helpdesk.Web;
using Helpdesk.Web.Data;
using Helpdesk.Web.Supervisor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helpdesk.Bench.Supervisor;

/// <summary>
/// Issue 10 point 6: the supervisor dashboard over a large history. Fills a SQLite file with N
/// tickets by raw SQL (a year of them, today's and the open ones as a helpdesk has them), then times
/// (1) one snapshot computation against the cheapest question any dashboard asks (an indexed COUNT of
/// the open tickets), and (2) the push with 50 supervisors connected, from the change to the last of
/// the 50 receiving it, against a bare SignalR hub broadcasting the same payload to 50 clients in the
/// same process. It prints figures and ratios; it asserts nothing.
/// </summary>
public static class DashboardBench
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss.fffffff";

    public static async Task RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i && int.TryParse(args[i], out var v) ? v : fallback;
        var tickets = Arg(1, 1_000_000);
        var connections = Arg(2, 50);
        var iterations = Arg(3, 100);
        var rounds = Arg(4, 30);
        var folder = Directory.CreateTempSubdirectory("helpdesk-dashbench-").FullName;
        var db = Path.Combine(folder, "helpdesk.db");
        // 14:00 in Shanghai: a working day two-thirds through, so "today" has volume.
        var clock = new BenchClock(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(6), TimeSpan.Zero));

        Console.WriteLine("Helpdesk supervisor dashboard bench (issue 10)");
        Console.WriteLine($"  machine   {Environment.ProcessorCount} cores, .NET {Environment.Version}; load {Load()}");
        Console.WriteLine($"  database  {db}");
        Console.WriteLine($"  tickets   {tickets:N0}; {connections} supervisor connections; {iterations} snapshot iterations; {rounds} push rounds");

        var builder = HelpdeskApp.CreateBuilder([
            "--urls=http://127.0.0.1:0", "--environment=Bench",
            $"--ConnectionStrings:Helpdesk=Data Source={db}", "--Database:Provider=Sqlite",
            "--RateLimits:SignInPerMinute=100000",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.EntityFrameworkCore=None",
        ]);
        builder.Services.AddSingleton<TimeProvider>(clock);
        await using var app = HelpdeskApp.Build(builder);
        await app.PrepareDatabaseAsync();

        var fill = Stopwatch.StartNew();
        var counts = await FillAsync(db, tickets, clock.Now);
        Console.WriteLine($"filled {tickets:N0} tickets ({counts.Open:N0} open, {counts.Today:N0} today, {counts.Messages:N0} messages, {counts.Surveys:N0} surveys) in {fill.Elapsed.TotalSeconds:F1} s (raw SQL, one transaction)");

        await app.StartAsync();
        var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1"));
        var zone = app.Services.GetRequiredService<IOptions<SupervisorOptions>>().Value.Zone();

        // (1) One computation, against the cheapest dashboard question, alternating.
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        var parts = new Dictionary<string, double>();
        DashboardSnapshot? last = null;
        long sequence = 0;
        var (snapshot, count) = await Timing.CompareAsync(
            "dashboard snapshot (all figures)", async () =>
            {
                await using var scope = scopes.CreateAsyncScope();
                last = await DashboardQueries.ComputeAsync(scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>(), clock.GetUtcNow(), zone, 5, ++sequence, CancellationToken.None, parts);
            },
            "baseline: COUNT of open tickets", async () =>
            {
                await using var scope = scopes.CreateAsyncScope();
                var ctx = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
                await ctx.Tickets.CountAsync(t => t.Status == Core.Tickets.TicketStatus.New || t.Status == Core.Tickets.TicketStatus.Assigned || t.Status == Core.Tickets.TicketStatus.WaitingOnCustomer);
            },
            warmup: 10, iterations: iterations, minWarmup: TimeSpan.FromSeconds(3));
        Console.WriteLine($"snapshot: today {last!.Day.Created:N0} created, {last.Teams.Sum(t => t.WaitingChats)} waiting chats, " +
                          $"{last.Teams.Sum(t => t.OpenByStatus.Values.Sum()):N0} open, {last.Teams.Sum(t => t.SlaBreached):N0} breached, {last.Day.EscalatedNow} escalated");
        Print(snapshot);
        Print(count);
        Console.WriteLine("  where a snapshot's time goes (mean ms per computation, warm-up included): " +
                          string.Join(", ", parts.Select(kv => $"{kv.Key} {kv.Value / sequence:F1}")));
        Console.WriteLine($"  snapshot p50 {snapshot.P50:F1} ms, p99 {snapshot.P99:F1} ms (target ≤ 50 ms); ratio to the open COUNT: p50 ×{snapshot.P50 / count.P50:F1}, p99 ×{snapshot.P99 / count.P99:F1}");

        // (2) Push with N supervisors connected, against a bare SignalR broadcast of the same payload.
        var state = app.Services.GetRequiredService<DashboardState>();
        var supervisors = await SupervisorsAsync(baseUri, connections);
        await using var echo = await EchoBroadcast.StartAsync(connections);
        var payload = await state.CurrentAsync();
        var computedBefore = state.Computations;
        var pushes = new List<double>();
        var bare = new List<double>();
        for (var round = 0; round < rounds + 3; round++)
        {
            var known = state.Computations;
            var started = Stopwatch.GetTimestamp();
            var all = supervisors.WaitForAll(s => s.Sequence > known);
            state.MarkDirty(); // what the ticket-event listener does after a commit
            await all;
            var pushMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var echoMs = await echo.BroadcastAsync(payload);
            if (round >= 3) { pushes.Add(pushMs); bare.Add(echoMs); } // the first rounds warm both up
            await Task.Delay(400); // past the dashboard's coalescing pause, so each round is one fresh push
        }
        var computed = state.Computations - computedBefore;
        var push = LatencyStats.From($"dashboard push to {connections} (change → last received)", pushes);
        var broadcast = LatencyStats.From($"baseline: bare SignalR broadcast to {connections}", bare);
        Print(push);
        Print(broadcast);
        Console.WriteLine($"  computations for {rounds + 3} rounds with {connections} connected: {computed} (one per change, none per connection); payload {System.Text.Json.JsonSerializer.Serialize(payload).Length:N0} bytes");
        Console.WriteLine($"  push p50 {push.P50:F1} ms, p99 {push.P99:F1} ms; ratio to the bare broadcast: p50 ×{push.P50 / broadcast.P50:F1}, p99 ×{push.P99 / broadcast.P99:F1}");
        Console.WriteLine($"  load at the end {Load()}");

        await supervisors.DisposeAsync();
        await app.StopAsync();
        SqliteConnection.ClearAllPools();
        if (args.Contains("--keep"))
            Console.WriteLine($"kept {db}");
        else
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    private static void Print(LatencyStats s) =>
        Console.WriteLine($"  {s.Name,-48} p50 {s.P50,8:F2} ms  p99 {s.P99,8:F2} ms  mean {s.Mean,8:F2}  max {s.Max,8:F2}  (n={s.Iterations})");

    private static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private sealed record Counts(int Open, int Today, int Messages, int Surveys);

    /// <summary>
    /// A year of tickets, oldest first, evenly spread. Older than 30 days: closed. The last 30 days:
    /// 15 % still open; today: half open. Open tickets carry SLA due times (some passed), a few are
    /// escalated; chats of the last hour that nobody took wait. Today's and the last month's tickets
    /// have a customer message and the first agent reply; a tenth of resolved tickets have an answered survey.
    /// </summary>
    private static async Task<Counts> FillAsync(string db, int count, DateTimeOffset nowOffset)
    {
        await using var connection = new SqliteConnection($"Data Source={db}");
        await connection.OpenAsync();
        string Scalar(string sql)
        {
            using var c = connection.CreateCommand();
            c.CommandText = sql;
            return Convert.ToString(c.ExecuteScalar(), CultureInfo.InvariantCulture)!;
        }
        var agents = new[] { "AGENT1@DEMO.LOCAL", "AGENT2@DEMO.LOCAL", "SUPERVISOR@DEMO.LOCAL" }
            .Select(e => Scalar($"SELECT Id FROM AspNetUsers WHERE NormalizedEmail = '{e}'")).ToArray();
        var teams = new[] { Scalar("SELECT Id FROM Teams WHERE Key = 'pre-sales'"), Scalar("SELECT Id FROM Teams WHERE Key = 'after-sales'") };
        var firstNumber = long.Parse(Scalar("SELECT COALESCE(MAX(Number), 100000) FROM Tickets"), CultureInfo.InvariantCulture) + 1;
        var now = nowOffset.UtcDateTime;
        var today = DayWindow.Containing(nowOffset, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).StartUtc;
        var span = TimeSpan.FromDays(365);
        string T(DateTime d) => d.ToString(TimeFormat, CultureInfo.InvariantCulture);

        await using var tx = await connection.BeginTransactionAsync();
        await using var ticket = connection.CreateCommand();
        ticket.CommandText = """
            INSERT INTO Tickets (Number, Subject, Type, Category, Priority, Channel, Status, TeamId, AssigneeId, Tags, CreatedAt, UpdatedAt, ResolvedAt, ChatEndedAt,
                LastSequence, Version, CustomerReadSequence, StaffReadSequence,
                SlaPolicyKey, SlaVersion, FirstResponseDueAt, ResolutionDueAt, SlaWarningAt, SlaScheduledVersion,
                EscalationLevel, EscalatedSince, IsEscalated)
            VALUES ($number, 'Dashboard bench ticket', $type, 0, $priority, $channel, $status, $team, $assignee, '[]', $created, $created, $resolved, $ended,
                $seq, 1, 0, 0, $policy, 1, $firstDue, $resolutionDue, $warning, 1, $level, $escalatedSince, $escalated);
            SELECT last_insert_rowid();
            """;
        var p = new Dictionary<string, SqliteParameter>();
        foreach (var name in new[] { "number", "type", "priority", "channel", "status", "team", "assignee", "created", "resolved", "ended", "seq", "policy", "firstDue", "resolutionDue", "warning", "level", "escalatedSince", "escalated" })
            p[name] = ticket.Parameters.Add("$" + name, SqliteType.Text);
        await using var message = connection.CreateCommand();
        message.CommandText = """
            INSERT INTO TicketMessages (TicketId, Sequence, Kind, Body, AuthorKind, AuthorId, AuthorName, CreatedAt)
            VALUES ($ticket, $seq, $kind, $body, $authorKind, $author, $name, $at)
            """;
        var m = new Dictionary<string, SqliteParameter>();
        foreach (var name in new[] { "ticket", "seq", "kind", "body", "authorKind", "author", "name", "at" })
            m[name] = message.Parameters.Add("$" + name, SqliteType.Text);
        await using var survey = connection.CreateCommand();
        survey.CommandText = """
            INSERT INTO Surveys (TicketId, TicketNumber, AgentId, TeamId, Channel, Type, Language, Nonce, IssuedAt, AnsweredAt, Score, Solved, Version)
            VALUES ($ticket, $number, $agent, $team, $channel, 0, 'zh-CN', $nonce, $issued, $answered, $score, 1, 1)
            """;
        var s = new Dictionary<string, SqliteParameter>();
        foreach (var name in new[] { "ticket", "number", "agent", "team", "channel", "nonce", "issued", "answered", "score" })
            s[name] = survey.Parameters.Add("$" + name, SqliteType.Text);

        var random = new Random(10);
        int open = 0, todays = 0, messages = 0, surveys = 0;
        for (var i = 0; i < count; i++)
        {
            var created = now - span * ((double)(count - 1 - i) / count);
            var age = now - created;
            var channel = (i % 20) switch { < 8 => 0, < 14 => 1, < 17 => 2, < 19 => 3, _ => 4 };
            var type = (i % 20) switch { 3 or 11 => 1, 7 => 2, _ => 0 };
            var isToday = created >= today;
            var isOpen = isToday ? random.Next(2) == 0 : age <= TimeSpan.FromDays(30) && random.Next(100) < 15;
            var status = isOpen ? random.Next(10) switch { < 3 => 0, < 8 => 1, _ => 2 } : random.Next(10) switch { < 6 => 5, < 8 => 4, _ => 3 };
            var assignee = status == 0 ? null : agents[i % agents.Length];
            DateTime? resolved = isOpen ? null : created + TimeSpan.FromMinutes(10 + random.Next(2880));
            if (resolved > now) resolved = now;
            var waiting = isOpen && channel == 0 && status == 0 && age <= TimeSpan.FromHours(1);
            DateTime? ended = channel == 0 && !waiting ? created + TimeSpan.FromMinutes(30) : null;
            if (ended > now) ended = null;
            var escalated = isOpen && random.Next(100) == 0;
            p["number"].Value = firstNumber + i;
            p["type"].Value = type;
            p["priority"].Value = 1;
            p["channel"].Value = channel;
            p["status"].Value = status;
            p["team"].Value = teams[i % 2];
            p["assignee"].Value = (object?)assignee ?? DBNull.Value;
            p["created"].Value = T(created);
            p["resolved"].Value = resolved is { } r ? T(r) : DBNull.Value;
            p["ended"].Value = ended is { } e ? T(e) : DBNull.Value;
            var answered = age <= TimeSpan.FromDays(30);
            p["seq"].Value = answered ? 2 : 0;
            p["policy"].Value = channel == 0 ? "chat" : type == 1 ? "complaint" : "default";
            p["firstDue"].Value = isOpen && status == 0 ? T(created + TimeSpan.FromHours(4)) : DBNull.Value;
            p["resolutionDue"].Value = isOpen ? T(created + TimeSpan.FromDays(3)) : DBNull.Value;
            p["warning"].Value = isOpen ? T(created + TimeSpan.FromDays(2.5)) : DBNull.Value;
            p["level"].Value = escalated ? 2 : 0;
            p["escalatedSince"].Value = escalated ? T(created + TimeSpan.FromMinutes(20)) : DBNull.Value;
            p["escalated"].Value = escalated ? 1 : 0;
            var id = (long)(await ticket.ExecuteScalarAsync())!;
            if (isOpen) open++;
            if (isToday) todays++;
            if (answered)
            {
                // The customer's message, then the first reply 20 s to 20 min later (chats faster).
                var reply = created + TimeSpan.FromSeconds(channel == 0 ? 5 + random.Next(120) : 20 + random.Next(1200));
                foreach (var (seq, kind, authorKind, author, name, at) in new[] { (1, 0, 2, (string?)null, "customer", created), (2, 1, 1, agents[i % agents.Length], "agent", reply) })
                {
                    m["ticket"].Value = id;
                    m["seq"].Value = seq;
                    m["kind"].Value = kind;
                    m["body"].Value = kind == 0 ? "请问什么时候发货？" : "您好，今天下午发货。";
                    m["authorKind"].Value = authorKind;
                    m["author"].Value = (object?)author ?? DBNull.Value;
                    m["name"].Value = name;
                    m["at"].Value = T(at);
                    await message.ExecuteNonQueryAsync();
                    messages++;
                }
            }
            if (resolved is { } done && i % 10 == 0)
            {
                s["ticket"].Value = id;
                s["number"].Value = firstNumber + i;
                s["agent"].Value = (object?)assignee ?? DBNull.Value;
                s["team"].Value = teams[i % 2];
                s["channel"].Value = channel;
                s["nonce"].Value = $"bench{i}";
                s["issued"].Value = T(done);
                s["answered"].Value = T(done + TimeSpan.FromHours(1) > now ? now : done + TimeSpan.FromHours(1));
                s["score"].Value = random.Next(100) < 93 ? 4 + random.Next(2) : 1 + random.Next(3);
                await survey.ExecuteNonQueryAsync();
                surveys++;
            }
        }
        await tx.CommitAsync();
        return new Counts(open, todays, messages, surveys);
    }

    /// <summary>N supervisor connections of one signed-in supervisor, each recording the snapshots it receives.</summary>
    private static async Task<SupervisorClients> SupervisorsAsync(Uri baseUri, int count)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = baseUri };
        await http.GetAsync("/api/auth/session");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in") { Content = JsonContent.Create(new { email = "supervisor@demo.local", password = DemoSeeder.Password }) };
        request.Headers.Add("X-XSRF-TOKEN", cookies.GetCookies(baseUri)["XSRF-TOKEN"]!.Value);
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
        var clients = new SupervisorClients(http);
        for (var i = 0; i < count; i++)
        {
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(baseUri, "/hubs/supervisor"), o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                    o.Cookies = cookies;
                })
                .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
                .Build();
            hub.On<DashboardSnapshot>(nameof(ISupervisorClient.Snapshot), clients.Received);
            await hub.StartAsync();
            clients.Hubs.Add(hub);
        }
        return clients;
    }

    private sealed class SupervisorClients(HttpClient http) : IAsyncDisposable
    {
        private readonly object _gate = new();
        private Func<DashboardSnapshot, bool>? _match;
        private int _left;
        private TaskCompletionSource? _done;
        public List<HubConnection> Hubs { get; } = [];

        public Task WaitForAll(Func<DashboardSnapshot, bool> match)
        {
            lock (_gate)
            {
                _match = match;
                _left = Hubs.Count;
                _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _done.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }

        public void Received(DashboardSnapshot snapshot)
        {
            lock (_gate)
            {
                if (_match is null || !_match(snapshot)) return;
                if (--_left == 0) { _match = null; _done!.TrySetResult(); }
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var hub in Hubs) await hub.DisposeAsync();
            http.Dispose();
        }
    }

    /// <summary>The baseline: a bare hub whose clients all join one group; the server broadcasts a payload to it.</summary>
    private sealed class EchoBroadcast : IAsyncDisposable
    {
        private WebApplication _app = null!;
        private readonly List<HubConnection> _hubs = [];
        private int _left;
        private TaskCompletionSource? _done;

        public sealed class BroadcastHub : Hub
        {
            public override Task OnConnectedAsync() => Groups.AddToGroupAsync(Context.ConnectionId, "all");
        }

        public static async Task<EchoBroadcast> StartAsync(int count)
        {
            var echo = new EchoBroadcast();
            var builder = WebApplication.CreateBuilder(["--urls=http://127.0.0.1:0"]);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
            echo._app = builder.Build();
            echo._app.MapHub<BroadcastHub>("/hubs/broadcast");
            await echo._app.StartAsync();
            var baseUri = new Uri(echo._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            for (var i = 0; i < count; i++)
            {
                var hub = new HubConnectionBuilder()
                    .WithUrl(new Uri(baseUri, "/hubs/broadcast"), o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; })
                    .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
                    .Build();
                hub.On<DashboardSnapshot>("Snapshot", _ =>
                {
                    if (Interlocked.Decrement(ref echo._left) == 0) echo._done?.TrySetResult();
                });
                await hub.StartAsync();
                echo._hubs.Add(hub);
            }
            return echo;
        }

        /// <summary>Milliseconds from the send to the last client receiving it.</summary>
        public async Task<double> BroadcastAsync(DashboardSnapshot payload)
        {
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _left, _hubs.Count);
            var started = Stopwatch.GetTimestamp();
            await _app.Services.GetRequiredService<IHubContext<BroadcastHub>>().Clients.Group("all").SendAsync("Snapshot", payload);
            await _done.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var hub in _hubs) await hub.DisposeAsync();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
