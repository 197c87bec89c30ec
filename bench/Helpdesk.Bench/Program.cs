using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Helpdesk.Bench;
using Helpdesk.Core.Customers;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Data.Identity;
using Helpdesk.Web;
using Helpdesk.Web.Data;
using Helpdesk.Web.Tickets;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// The ticket bench (scripts/bench.sh): fills a temp SQLite file with tickets through the service
// layer, then times the agent inbox and a text search through TicketQueries against the same
// queries written by hand. It prints figures; it asserts nothing.

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args.Length > 0 && args[0] == "chat")
{
    // The chat load of issue 3: Helpdesk.Bench chat [customers] [agents] [seconds per phase] [--silent-agents].
    int Arg(int i, int fallback) => args.Length > i && int.TryParse(args[i], out var v) ? v : fallback;
    await Helpdesk.Bench.Chat.ChatBench.RunAsync(customers: Arg(1, 1000), agents: Arg(2, 25), seconds: Arg(3, 20),
        agentReplies: args.Contains("--silent-agents") ? null : TimeSpan.FromSeconds(20));
    return 0;
}
if (args.Length > 0 && args[0] == "chat-writer")
{
    int Arg(int i, int fallback) => args.Length > i && int.TryParse(args[i], out var v) ? v : fallback;
    await Helpdesk.Bench.Chat.WriterProbe.RunAsync(customers: Arg(1, 1000), agents: Arg(2, 25), seconds: Arg(3, 10));
    return 0;
}
if (args.Length > 0 && args[0] == "sla")
{
    // The SLA timers of issue 6: breach lag of 100,000 deadlines against a bare Hangfire job.
    await Helpdesk.Bench.Sla.SlaBench.RunAsync(args);
    return 0;
}
if (args.Length > 0 && args[0] == "dashboard")
{
    // The supervisor dashboard of issue 10: Helpdesk.Bench dashboard [tickets] [connections] [iterations] [rounds].
    await Helpdesk.Bench.Supervisor.DashboardBench.RunAsync(args);
    return 0;
}
if (args.Length > 0 && args[0] == "calendar")
{
    // The SLA calendar math of issue 6 against minute stepping.
    Helpdesk.Bench.Sla.CalendarBench.Run();
    return 0;
}
if (args.Length > 0 && args[0] == "wording")
{
    // The forbidden-phrase guard of issue 5: Helpdesk.Bench wording [messages].
    Helpdesk.Bench.Scripts.WordingBench.Run(args.Length > 1 && int.TryParse(args[1], out var n) ? n : 200_000);
    return 0;
}
if (args.Length > 0 && args[0] == "triage")
{
    // Issue 7: Helpdesk.Bench triage [rounds] [evaluation folder].
    return Helpdesk.Bench.Triage.TriageBench.Run(args.Length > 1 && int.TryParse(args[1], out var rounds) ? rounds : 200, args.Length > 2 ? args[2] : null);
}
if (args.Length > 0 && args[0] == "mail")
{
    // The mail intake of issue 4: Helpdesk.Bench mail [mails].
    return await Helpdesk.Bench.Mail.MailBench.RunAsync(args.Length > 1 && int.TryParse(args[1], out var mails) ? mails : 10_000,
        whatIfNormal: args.Contains("--what-if-normal"));
}
var run = Stopwatch.StartNew();
var options = BenchOptions.Parse(args);
var folder = Directory.CreateTempSubdirectory("helpdesk-bench-").FullName;
var dbPath = options.Reuse ?? Path.Combine(folder, "helpdesk.db");
var connectionString = $"Data Source={dbPath}";
var end = new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);
var span = TimeSpan.FromDays(180);
var clock = new BenchClock(new DateTimeOffset(end - span - TimeSpan.FromDays(30)));
var capture = new CommandCapture();

Console.WriteLine("Helpdesk ticket bench");
Console.WriteLine($"  machine   {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"  load      {LoadAverage()} (1/5/15 min; more than 2 means other work competes for the 2 cores)");
Console.WriteLine($"  database  {dbPath}");
Console.WriteLine($"  tickets   {options.Tickets:N0}; inbox iterations {options.Iterations:N0}; search iterations {options.SearchIterations:N0}");
if (options.Synchronous is not null)
    Console.WriteLine($"  WHAT-IF   PRAGMA synchronous={options.Synchronous} on every EF connection (the app's default is FULL: Database:SqliteSynchronous)");
Console.WriteLine("  (figures only: nothing here passes or fails; other work on the machine makes them noisy)");

var builder = HelpdeskApp.CreateBuilder(
[
    "--environment=Bench",
    $"--ConnectionStrings:Helpdesk={connectionString}",
    "--Database:Provider=Sqlite",
    "--Demo:Enabled=true",
    "--Logging:LogLevel:Default=Warning",
    "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning",
    $"--Database:SqliteSynchronous={options.Synchronous ?? "FULL"}",
]);
builder.Services.AddSingleton<TimeProvider>(clock);
builder.Services.ConfigureDbContext<HelpdeskDbContext>(o => o.AddInterceptors(capture));
var app = HelpdeskApp.Build(builder); // never started: no Kestrel, only the services
await app.PrepareDatabaseAsync();

int preSalesId, afterSalesId;
List<BenchAgent> agents;
List<(long Id, string Name)> customers;
Guid agent1Id;
await using (var scope = app.Services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
    var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
    var teams = await db.Teams.ToDictionaryAsync(t => t.Key, t => t.Id);
    preSalesId = teams["pre-sales"];
    afterSalesId = teams["after-sales"];
    if (options.Reuse is null)
    {
        agents = await AddAgentsAsync(users, preSalesId, afterSalesId);
        customers = await AddCustomersAsync(db, 2000, clock.Now.UtcDateTime);
    }
    else
    {
        agents = [];
        customers = [];
    }
    agent1Id = (await users.FindByEmailAsync("agent1@demo.local"))!.Id;
}

// ---- 1. Creation through the service layer -------------------------------------------------
Console.WriteLine();
Console.WriteLine($"1. Creating {options.Tickets:N0} tickets through TicketService (one DI scope per call, as one request each)");
var creation = new CreationFigures(0, double.NaN, 0, double.NaN, double.NaN);
if (options.Reuse is null)
    creation = await CreateTicketsAsync(app.Services, clock,
        new TicketMix(options.Tickets, end, span, preSalesId, afterSalesId, agents, customers), options.Tickets);
else
    Console.WriteLine($"   skipped: measuring the existing file {options.Reuse}");
if (creation.Tickets > 0)
{
    Console.WriteLine($"   CreateAsync: {creation.Tickets:N0} tickets in {creation.CreateSeconds:N1} s = {creation.Tickets / creation.CreateSeconds:N0} tickets/s ({1000 * creation.CreateSeconds / creation.Tickets:N2} ms each)");
    Console.WriteLine($"   later steps: {creation.Steps:N0} calls (assign, reply, customer message, status) in {creation.StepSeconds:N1} s = {creation.Steps / creation.StepSeconds:N0} calls/s");
    Console.WriteLine($"   whole fill:  {creation.WallSeconds:N1} s, {creation.Tickets / creation.WallSeconds:N0} tickets/s with their lifecycles");
}

long ticketCount;
await using (var connection = new SqliteConnection(connectionString))
{
    await connection.OpenAsync();
    await Scalar<long>(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
    ticketCount = await Scalar<long>(connection, "SELECT count(*) FROM Tickets");
    Console.WriteLine($"   SQLite {await Scalar<string>(connection, "SELECT sqlite_version()")}, journal_mode {await Scalar<string>(connection, "PRAGMA journal_mode")}, " +
        $"synchronous {await Scalar<long>(connection, "PRAGMA synchronous")} (pooled connection), file {new FileInfo(dbPath).Length / (1024.0 * 1024):N0} MiB");
    Console.WriteLine($"   tickets {ticketCount:N0}, timeline entries {await Scalar<long>(connection, "SELECT count(*) FROM TicketMessages"):N0} " +
        $"(customer/agent/note {await Scalar<long>(connection, "SELECT count(*) FROM TicketMessages WHERE Kind <> 2"):N0}), history {await Scalar<long>(connection, "SELECT count(*) FROM TicketHistory"):N0}");
    Console.WriteLine($"   by status: {await Rows(connection, "SELECT Status, count(*) FROM Tickets GROUP BY Status ORDER BY Status", r => $"{(TicketStatus)r.GetInt32(0)} {r.GetInt64(1):N0}")}");
    Console.WriteLine($"   open per team: {await Rows(connection, "SELECT tm.Key, count(*) FROM Tickets t JOIN Teams tm ON tm.Id = t.TeamId WHERE t.Status IN (0,1,2) GROUP BY tm.Key", r => $"{r.GetString(0)} {r.GetInt64(1):N0}")}");
}

foreach (var statement in options.WhatIfSql)
{
    // What-if only: e.g. an index under consideration, applied to this file before the queries are timed.
    await using var connection = new SqliteConnection(connectionString);
    await connection.OpenAsync();
    await using var command = connection.CreateCommand();
    command.CommandText = statement;
    await command.ExecuteNonQueryAsync();
    Console.WriteLine($"   WHAT-IF applied: {statement}");
}

// ---- 2. The queries ----------------------------------------------------------------------
var results = new List<(string Case, LatencyStats Ef, LatencyStats Sql)>();

Console.WriteLine();
Console.WriteLine("2. Agent inbox: my team's queue (agent1@demo.local, pre-sales), first page of 50, priority order");
var inbox = new TicketFilter { View = TicketView.Team, Sort = TicketSort.Priority, Limit = 50 };
results.Add(await MeasureAsync("inbox (team queue, page 1)",
    () => ListAsync(inbox, agent1Id),
    () => HandWrittenQueries.InboxAsync(connectionString, agent1Id, inbox.Limit),
    HandWrittenQueries.InboxSql, HandWrittenQueries.InboxParameters(agent1Id, inbox.Limit + 1),
    options.Iterations, warmup: 200));

foreach (var word in options.SearchWords)
{
    Console.WriteLine();
    Console.WriteLine($"3. Text search \"{word}\" over subjects and message bodies (LIKE), all tickets, first page of 50, priority order");
    var search = new TicketFilter { Text = word, Sort = TicketSort.Priority, Limit = 50 };
    results.Add(await MeasureAsync($"search \"{word}\"",
        () => ListAsync(search, agent1Id),
        () => HandWrittenQueries.SearchAsync(connectionString, word, search.Limit),
        HandWrittenQueries.SearchSql, HandWrittenQueries.SearchParameters(word, search.Limit + 1),
        options.SearchIterations, warmup: 5));
}

// ---- 3. Summary ---------------------------------------------------------------------------
Console.WriteLine();
Console.WriteLine($"Summary ({ticketCount:N0} tickets, {Environment.ProcessorCount} cores, load average now {LoadAverage()}; ms; ratio = EF / hand-written SQL)");
Console.WriteLine();
Console.WriteLine(creation.Tickets == 0
    ? "Creation: not measured (--reuse of an existing file)"
    : $"Creation through TicketService.CreateAsync: {creation.Tickets / creation.CreateSeconds:N0} tickets/s " +
      $"({1000 * creation.CreateSeconds / creation.Tickets:N2} ms each); later lifecycle calls {creation.Steps / creation.StepSeconds:N0}/s; whole fill {creation.WallSeconds:N0} s");
Console.WriteLine();
Console.WriteLine("| query | iterations | EF p50 | EF p99 | EF mean | SQL p50 | SQL p99 | SQL mean | ratio p50 | ratio p99 |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var (name, ef, sql) in results)
    Console.WriteLine($"| {name} | {ef.Iterations} | {ef.P50:N2} | {ef.P99:N2} | {ef.Mean:N2} | {sql.P50:N2} | {sql.P99:N2} | {sql.Mean:N2} | {ef.P50 / sql.P50:N2} | {ef.P99 / sql.P99:N2} |");
var inboxEf = results[0].Ef;
Console.WriteLine();
Console.WriteLine($"Target: inbox page p99 <= 20 ms at 100,000 tickets. Measured EF p99 {inboxEf.P99:N2} ms at {ticketCount:N0} tickets: " +
    (inboxEf.P99 <= 20 ? "within the target." : "OVER the target."));
Console.WriteLine($"Whole run: {run.Elapsed.TotalMinutes:N1} min.");

await app.DisposeAsync();
SqliteConnection.ClearAllPools();
if (options.Keep || options.Reuse is not null)
    Console.WriteLine($"Kept the database: {dbPath}");
if (!options.Keep)
    try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
return 0;

// ---- helpers ------------------------------------------------------------------------------

async Task<TicketPage> ListAsync(TicketFilter filter, Guid me)
{
    await using var scope = app.Services.CreateAsyncScope();
    return await scope.ServiceProvider.GetRequiredService<TicketQueries>().ListAsync(filter, me);
}

async Task<(string, LatencyStats, LatencyStats)> MeasureAsync(string name, Func<Task<TicketPage>> ef,
    Func<Task<List<TicketSummary>>> sql, string sqlText, IReadOnlyList<(string, object?)> sqlParameters, int iterations, int warmup)
{
    // Same rows? Compare the page EF returns with the hand-written result, row by row.
    capture.Start();
    var page = await ef();
    capture.Stop();
    var rows = await sql();
    var same = page.Items.Count == Math.Min(rows.Count, 50)
        && page.Items.Zip(rows).All(p => Key(p.First) == Key(p.Second))
        && (page.NextCursor is not null) == (rows.Count > 50);
    Console.WriteLine(same
        ? $"   rows: EF and SQL return the same {page.Items.Count} tickets in the same order (ids, names, status, priority, dates, tags){(page.NextCursor is null ? "" : "; both see a next page")}"
        : $"   ROWS DIFFER: EF {page.Items.Count} [{string.Join(",", page.Items.Take(5).Select(i => i.Id))}...], SQL {rows.Count} [{string.Join(",", rows.Take(5).Select(i => i.Id))}...]");
    if (page.Items.Count > 0)
        Console.WriteLine($"   first rows: {string.Join(" | ", page.Items.Take(3).Select(i => $"#{i.Number} {i.Priority} {i.Status} {i.CreatedAt:yyyy-MM-dd} {i.Subject}"))}");

    Console.WriteLine($"   EF sent {capture.Commands.Count} statements; the page query and SQLite's plan for it:");
    var main = capture.Commands.First(c => c.Sql.Contains("FROM \"Tickets\"", StringComparison.Ordinal));
    Console.WriteLine(Indent(main.Sql, "     "));
    Console.WriteLine("   EXPLAIN QUERY PLAN (EF):");
    Console.WriteLine(await CommandCapture.ExplainAsync(connectionString, main.Sql, main.Parameters));
    Console.WriteLine("   EXPLAIN QUERY PLAN (hand-written):");
    Console.WriteLine(await CommandCapture.ExplainAsync(connectionString, sqlText, sqlParameters));

    var (efStats, sqlStats) = await Timing.CompareAsync("EF", ef, "SQL", sql, warmup, iterations, TimeSpan.FromSeconds(5));
    Console.WriteLine($"   EF  (TicketQueries.ListAsync) p50 {efStats.P50,8:N2}  p99 {efStats.P99,8:N2}  mean {efStats.Mean,8:N2}  min {efStats.Min,8:N2}  max {efStats.Max,8:N2} ms");
    Console.WriteLine($"   SQL (hand-written)            p50 {sqlStats.P50,8:N2}  p99 {sqlStats.P99,8:N2}  mean {sqlStats.Mean,8:N2}  min {sqlStats.Min,8:N2}  max {sqlStats.Max,8:N2} ms");
    Console.WriteLine($"   ratio EF/SQL: p50 {efStats.P50 / sqlStats.P50:N2}, p99 {efStats.P99 / sqlStats.P99:N2}, mean {efStats.Mean / sqlStats.Mean:N2}");
    return (name, efStats, sqlStats);
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string Key(TicketSummary s) =>
    $"{s.Id}|{s.Number}|{s.Subject}|{s.Status}|{s.Priority}|{s.TeamId}|{s.QueueId}|{s.AssigneeId}|{s.AssigneeName}|{s.CustomerId}|{s.CustomerName}|{s.CreatedAt.Ticks}|{s.UpdatedAt.Ticks}|{s.Version}|{string.Join(",", s.Tags)}";

static string Indent(string text, string prefix) =>
    string.Join(Environment.NewLine, text.Split('\n').Select(l => prefix + l.TrimEnd('\r')));

static async Task<CreationFigures> CreateTicketsAsync(IServiceProvider services, BenchClock clock, TicketMix mix, int count)
{
    long createTicks = 0, stepTicks = 0;
    var steps = 0;
    var created = 0;
    var wall = Stopwatch.StartNew();
    var reportEvery = Math.Max(1, count / 10);
    foreach (var plan in mix.Plans())
    {
        clock.Now = plan.CreatedAt;
        var started = Stopwatch.GetTimestamp();
        long number;
        await using (var scope = services.CreateAsyncScope())
            number = (await scope.ServiceProvider.GetRequiredService<TicketService>().CreateAsync(plan.Spec, plan.Creator)).Number;
        createTicks += Stopwatch.GetTimestamp() - started;

        foreach (var step in plan.Steps)
        {
            clock.Now = step.At;
            started = Stopwatch.GetTimestamp();
            await using (var scope = services.CreateAsyncScope())
            {
                var tickets = scope.ServiceProvider.GetRequiredService<TicketService>();
                switch (step)
                {
                    case AssignStep s:
                        await tickets.AssignAsync(number, s.Agent.Id, plan.TeamId, null, s.By.Actor, null);
                        break;
                    case ReplyStep s:
                        await tickets.ReplyAsync(number, s.Body, s.Agent.Actor, s.Agent.Id, Guid.NewGuid().ToString("N"), null);
                        break;
                    case CustomerStep s:
                        await tickets.AddCustomerMessageAsync(number, s.Body, s.Customer, Guid.NewGuid().ToString("N"));
                        break;
                    case StatusStep s:
                        await tickets.ChangeStatusAsync(number, s.To, s.By, null, null);
                        break;
                }
            }
            stepTicks += Stopwatch.GetTimestamp() - started;
            steps++;
        }

        if (++created % reportEvery == 0)
        {
            var createSeconds = (double)createTicks / Stopwatch.Frequency;
            Console.WriteLine($"   {created,9:N0} tickets  {wall.Elapsed.TotalSeconds,6:N0} s  create {created / createSeconds,6:N0}/s  " +
                $"steps {steps / Math.Max(1e-9, (double)stepTicks / Stopwatch.Frequency),6:N0}/s");
        }
    }
    return new CreationFigures(created, (double)createTicks / Stopwatch.Frequency, steps,
        (double)stepTicks / Stopwatch.Frequency, wall.Elapsed.TotalSeconds);
}

static async Task<List<BenchAgent>> AddAgentsAsync(UserManager<StaffUser> users, int preSalesId, int afterSalesId)
{
    // The demo has one agent per team; a real team has several, so the queue shows several assignees.
    string[] names = ["王芳", "刘洋", "陈静", "杨磊", "赵敏", "黄伟", "周婷", "吴强", "徐丽", "孙浩"];
    for (var i = 0; i < names.Length; i++)
    {
        var email = $"bench.agent{i + 1:D2}@demo.local";
        var team = i % 2 == 0 ? preSalesId : afterSalesId;
        var user = new StaffUser
        {
            UserName = email, Email = email, EmailConfirmed = true, DisplayName = names[i], CreatedAt = DateTime.UtcNow,
            Teams = [new StaffTeamMembership { TeamId = team }],
        };
        var result = await users.CreateAsync(user, DemoSeeder.Password);
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, StaffRoles.Agent);
    }
    return await users.Users.Where(u => u.Teams.Any())
        .Select(u => new { u.Id, u.DisplayName, u.Email, Team = u.Teams.Select(t => t.TeamId).First(), Multi = u.Teams.Count > 1 })
        .Where(u => !u.Multi)
        .OrderBy(u => u.Email) // agent1 and agent2 first: they are their team's "supervisor" in the mix
        .Select(u => new BenchAgent(u.Id, u.DisplayName, u.Team))
        .ToListAsync();
}

static async Task<List<(long, string)>> AddCustomersAsync(HelpdeskDbContext db, int count, DateTime now)
{
    // Customers are not what is measured; they are stored directly so tickets can point at them.
    string[] surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
    string[] given = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰"];
    string[] english = ["Emily Carter", "David Miller", "Sarah Johnson", "Tom Baker", "Anna Schmidt"];
    var random = new Random(7);
    var rows = Enumerable.Range(0, count).Select(i =>
    {
        var zh = i % 4 != 0;
        var surname = surnames[random.Next(surnames.Length)];
        return new Customer
        {
            Name = zh ? surname + given[random.Next(given.Length)] : $"{english[random.Next(english.Length)]} {i}",
            Surname = zh ? surname : null,
            Email = $"customer{i}@example.cn",
            Region = CustomerRegions.Defaults[random.Next(CustomerRegions.Defaults.Count)],
            Tier = (CustomerTier)random.Next(5),
            CreatedAt = now.AddDays(-random.Next(1, 1000)),
        };
    }).ToList();
    db.Customers.AddRange(rows);
    await db.SaveChangesAsync();
    return await db.Customers.Select(c => new ValueTuple<long, string>(c.Id, c.Name)).ToListAsync();
}

static async Task<T> Scalar<T>(SqliteConnection connection, string sql)
{
    await using var command = connection.CreateCommand();
    command.CommandText = sql;
    return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
}

static async Task<string> Rows(SqliteConnection connection, string sql, Func<SqliteDataReader, string> format)
{
    await using var command = connection.CreateCommand();
    command.CommandText = sql;
    await using var reader = await command.ExecuteReaderAsync();
    var parts = new List<string>();
    while (await reader.ReadAsync()) parts.Add(format(reader));
    return string.Join(", ", parts);
}

sealed record CreationFigures(int Tickets, double CreateSeconds, int Steps, double StepSeconds, double WallSeconds);

sealed record BenchOptions(int Tickets, int Iterations, int SearchIterations, IReadOnlyList<string> SearchWords, bool Keep, string? Reuse,
    string? Synchronous, IReadOnlyList<string> WhatIfSql)
{
    public static BenchOptions Parse(string[] args)
    {
        var tickets = 100_000;
        var iterations = 1000;
        var searchIterations = 100;
        var words = new List<string>();
        var keep = false;
        string? reuse = null;
        string? synchronous = null;
        var whatIfSql = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--iterations": iterations = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--search-iterations": searchIterations = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--search": words.Add(args[++i]); break;
                case "--keep": keep = true; break;
                case "--sql": whatIfSql.Add(args[++i]); break;
                case "--reuse": reuse = Path.GetFullPath(args[++i]); break;
                case "--synchronous":
                    synchronous = args[++i].ToUpperInvariant();
                    if (synchronous is not ("OFF" or "NORMAL" or "FULL" or "EXTRA")) throw new ArgumentException("--synchronous OFF|NORMAL|FULL|EXTRA");
                    break;
                case var n when int.TryParse(n, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var count) && count > 0:
                    tickets = count; break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: Helpdesk.Bench [tickets] [--iterations N] [--search-iterations N] [--search word]... [--keep] [--reuse file.db] [--synchronous NORMAL] [--sql \"CREATE INDEX ...\"]");
            }
        }
        return new BenchOptions(tickets, iterations, searchIterations, words.Count > 0 ? words : ["退款", "refund"], keep, reuse, synchronous, whatIfSql);
    }
}
