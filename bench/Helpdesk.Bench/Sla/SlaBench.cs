using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Hangfire.InMemory;
using Helpdesk.Data;
using Helpdesk.Web;
using Helpdesk.Web.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helpdesk.Bench.Sla;

/// <summary>
/// Issue 6's timer load (Helpdesk.Bench sla [tickets] [--polling ms] [--workers n] [--spread s] [--lead s]):
/// N open tickets, already warned, whose first-response deadlines fall evenly over the next
/// <c>spread</c> seconds, inserted with raw SQL as they would stand after a restart (figures stored,
/// timers lost with the in-memory store). The real app starts; its start-up reconciler schedules a
/// Hangfire timer per ticket; each timer escalates its ticket to level 2. Breach lag = deadline →
/// the escalation's timeline entry inserted in the database (a SQLite trigger stamps the database's
/// own clock). Baseline in the same run: a bare Hangfire server, same storage, polling and workers,
/// with one job per deadline doing one UPDATE on the same file. Figures only; it asserts nothing.
/// </summary>
public static class SlaBench
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss.fffffff";

    public static async Task RunAsync(string[] args)
    {
        var tickets = args.Length > 1 && int.TryParse(args[1], out var n) ? n : 100_000;
        double Option(string name, double fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        var polling = TimeSpan.FromMilliseconds(Option("--polling", 250));
        var workers = (int)Option("--workers", 4);
        var spread = TimeSpan.FromSeconds(Option("--spread", 60));
        var lead = TimeSpan.FromSeconds(Option("--lead", Math.Max(20, tickets / 4000.0)));
        var synchronous = args.Contains("--normal") ? "NORMAL" : "FULL";
        Console.WriteLine($"== SLA timers: {tickets:N0} tickets, deadlines over {spread.TotalSeconds:F0} s starting {lead.TotalSeconds:F0} s after insert; "
            + $"Hangfire in memory, SchedulePollingInterval {polling.TotalMilliseconds:F0} ms, {workers} workers; SQLite synchronous={synchronous}; {Environment.ProcessorCount} cores");

        var folder = Directory.CreateTempSubdirectory("helpdesk-sla-bench-").FullName;
        try
        {
            var baseline = await BaselineAsync(Path.Combine(folder, "baseline.db"), tickets, polling, workers, spread, lead, synchronous);
            var product = await ProductAsync(Path.Combine(folder, "helpdesk.db"), tickets, polling, workers, spread, lead, synchronous);
            Console.WriteLine();
            Console.WriteLine(baseline.Line());
            Console.WriteLine(product.Line());
            Console.WriteLine($"ratio p50 helpdesk/bare: {product.P50 / baseline.P50:F2}; p99 helpdesk/bare: {product.P99 / baseline.P99:F2}; "
                + $"CPU helpdesk/bare: {product.CpuSeconds / baseline.CpuSeconds:F2}  (target: helpdesk p99 <= 1 s; Zammad's sweep runs every 300 s)");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private sealed record Result(string Name, int Expected, int Done, double P50, double P99, double Max, double CpuSeconds, long PeakMb, double ScheduleSeconds)
    {
        public string Line() =>
            $"{Name,-34} acted {Done:N0}/{Expected:N0}  lag p50 {P50:F0} ms  p99 {P99:F0} ms  max {Max:F0} ms  CPU {CpuSeconds:F1} s  peak working set {PeakMb} MB  scheduling {ScheduleSeconds:F1} s";
    }

    private static async Task<Result> ProductAsync(string db, int count, TimeSpan polling, int workers, TimeSpan spread, TimeSpan lead, string synchronous)
    {
        var builder = HelpdeskApp.CreateBuilder([
            "--urls=http://127.0.0.1:0", "--environment=Production",
            $"--ConnectionStrings:Helpdesk=Data Source={db}", "--Database:Provider=Sqlite", $"--Database:SqliteSynchronous={synchronous}",
            $"--Jobs:SchedulePollingInterval={polling}", $"--Jobs:WorkerCount={workers}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Helpdesk.Web.Email=Error", "--Logging:LogLevel:Helpdesk.Web.Sla.SlaReconciler=Information",
            // One catch-all policy: first response within 2 minutes, wall-clock; the ladder tells people live (no SMTP here).
            "--Sla:Policies:0:Key=bench", "--Sla:Policies:0:Order=1", "--Sla:Policies:0:FirstResponse:Minutes=2", "--Sla:Policies:0:FirstResponse:Mode=Calendar",
            "--Sla:Policies:0:Escalation:EmailSupervisors=false", "--Sla:Policies:0:Escalation:Level3AfterMinutes=60",
        ]);
        await using var app = HelpdeskApp.Build(builder);
        await app.PrepareDatabaseAsync();

        var insert = Stopwatch.StartNew();
        var dues = await InsertTicketsAsync(db, count, spread, lead);
        Console.WriteLine($"inserted {count:N0} open tickets with their SLA figures in {insert.Elapsed.TotalSeconds:F1} s (raw SQL, one transaction)");

        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var started = Stopwatch.StartNew();
        await app.StartAsync();
        var scheduling = await WaitAsync(db, "SELECT COUNT(*) FROM Tickets WHERE Number >= 200000 AND SlaJobId IS NOT NULL", count, dues[^1] + TimeSpan.FromMinutes(2));
        var scheduleSeconds = started.Elapsed.TotalSeconds;
        Console.WriteLine($"helpdesk: start-up reconciler scheduled {scheduling:N0} timers in {scheduleSeconds:F1} s");
        var done = await WaitAsync(db, "SELECT COUNT(*) FROM BenchEscalations e JOIN Tickets t ON t.Id = e.TicketId WHERE t.Number >= 200000", count, dues[^1] + TimeSpan.FromMinutes(2));
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        var lags = await LagsAsync(db, "SELECT t.Number - 200000, e.At FROM BenchEscalations e JOIN Tickets t ON t.Id = e.TicketId", dues);
        await app.StopAsync();
        process.Refresh();
        return Summarise("helpdesk (SLA timers, escalation)", count, lags, cpuSeconds, process.PeakWorkingSet64, scheduleSeconds);
    }

    /// <summary>The same deadlines on a bare Hangfire server: one job per deadline doing one UPDATE.</summary>
    private static async Task<Result> BaselineAsync(string db, int count, TimeSpan polling, int workers, TimeSpan spread, TimeSpan lead, string synchronous)
    {
        await using (var setup = Open(db))
        {
            await Exec(setup, "PRAGMA journal_mode=WAL; CREATE TABLE Marks (Id INTEGER PRIMARY KEY, DoneAt TEXT NULL);");
            await using var tx = await setup.BeginTransactionAsync();
            await using var command = setup.CreateCommand();
            command.CommandText = "INSERT INTO Marks (Id) VALUES ($id)";
            var id = command.Parameters.Add("$id", SqliteType.Integer);
            for (var i = 0; i < count; i++)
            {
                id.Value = i;
                await command.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        }
        BareJob.ConnectionString = $"Data Source={db}";
        BareJob.Synchronous = synchronous;
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var started = Stopwatch.StartNew();
        var storage = new InMemoryStorage();
        var now = DateTime.UtcNow;
        var dues = Enumerable.Range(0, count).Select(i => now + lead + spread * i / count).ToArray();
        using (var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers, SchedulePollingInterval = polling }, storage))
        {
            var client = new BackgroundJobClient(storage);
            for (var i = 0; i < count; i++)
            {
                var ticket = i;
                client.Schedule(() => BareJob.Run(ticket), new DateTimeOffset(dues[i]));
            }
            var scheduleSeconds = started.Elapsed.TotalSeconds;
            Console.WriteLine($"bare hangfire: scheduled {count:N0} jobs in {scheduleSeconds:F1} s");
            await WaitAsync(db, "SELECT COUNT(*) FROM Marks WHERE DoneAt IS NOT NULL", count, dues[^1] + TimeSpan.FromMinutes(2));
            process.Refresh();
            var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
            var lags = await LagsAsync(db, "SELECT Id, DoneAt FROM Marks WHERE DoneAt IS NOT NULL", dues);
            return Summarise("bare hangfire (one UPDATE per job)", count, lags, cpuSeconds, process.PeakWorkingSet64, scheduleSeconds);
        }
    }

    public static class BareJob
    {
        public static string ConnectionString = "";
        public static string Synchronous = "FULL";

        public static void Run(int id)
        {
            using var connection = new SqliteConnection(ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA synchronous={Synchronous}; PRAGMA busy_timeout=30000; UPDATE Marks SET DoneAt = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE Id = $id";
            command.Parameters.AddWithValue("$id", id);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Open, already warned tickets assigned to agent2 in after-sales with due times spread evenly; a trigger stamps each level-2 escalation.</summary>
    private static async Task<DateTime[]> InsertTicketsAsync(string db, int count, TimeSpan spread, TimeSpan lead)
    {
        await using var connection = Open(db);
        await Exec(connection, """
            CREATE TABLE BenchEscalations (TicketId INTEGER NOT NULL, At TEXT NOT NULL);
            CREATE TRIGGER BenchEscalated AFTER INSERT ON TicketMessages WHEN NEW.EventCode = 'escalated' AND NEW.EventTo = '2'
            BEGIN INSERT INTO BenchEscalations VALUES (NEW.TicketId, strftime('%Y-%m-%d %H:%M:%f', 'now')); END;
            """);
        string Scalar(string sql)
        {
            using var c = connection.CreateCommand();
            c.CommandText = sql;
            return Convert.ToString(c.ExecuteScalar(), CultureInfo.InvariantCulture)!;
        }
        var agent = Scalar("SELECT Id FROM AspNetUsers WHERE NormalizedEmail = 'AGENT2@DEMO.LOCAL'");
        var team = Scalar("SELECT Id FROM Teams WHERE Key = 'after-sales'");
        var now = DateTime.UtcNow;
        var dues = Enumerable.Range(0, count).Select(i => now + lead + spread * i / count).ToArray();
        await using var tx = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO Tickets (Number, Subject, Type, Category, Priority, Channel, Status, TeamId, AssigneeId, Tags, CreatedAt, UpdatedAt,
                LastSequence, Version, CustomerReadSequence, StaffReadSequence,
                SlaPolicyKey, SlaVersion, FirstResponseDueAt, SlaWarningAt, SlaWakeUpAt, SlaScheduledVersion,
                EscalationLevel, EscalatedSince, EscalationReasons, IsEscalated)
            VALUES ($number, 'SLA bench ticket', 0, 0, 1, 3, 1, $team, $agent, '[]', $created, $created, 0, 1, 0, 0,
                'bench', 1, $due, $warning, $due, 1, 1, $warning, 'sla_warning:first_response', 0)
            """;
        var number = command.Parameters.Add("$number", SqliteType.Integer);
        var created = command.Parameters.Add("$created", SqliteType.Text);
        var due = command.Parameters.Add("$due", SqliteType.Text);
        var warning = command.Parameters.Add("$warning", SqliteType.Text);
        command.Parameters.AddWithValue("$team", team);
        command.Parameters.AddWithValue("$agent", agent);
        for (var i = 0; i < count; i++)
        {
            number.Value = 200_000 + i;
            created.Value = (dues[i] - TimeSpan.FromMinutes(2)).ToString(TimeFormat, CultureInfo.InvariantCulture);
            due.Value = dues[i].ToString(TimeFormat, CultureInfo.InvariantCulture);
            warning.Value = (dues[i] - TimeSpan.FromSeconds(24)).ToString(TimeFormat, CultureInfo.InvariantCulture);
            await command.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        return dues;
    }

    private static async Task<int> WaitAsync(string db, string countSql, int expected, DateTime giveUpAt)
    {
        await using var connection = Open(db);
        while (true)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = countSql;
            var seen = Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            if (seen >= expected || DateTime.UtcNow > giveUpAt) return seen;
            await Task.Delay(250);
        }
    }

    private static async Task<List<double>> LagsAsync(string db, string sql, DateTime[] dues)
    {
        await using var connection = Open(db);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var lags = new List<double>(dues.Length);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var index = reader.GetInt64(0);
            if (index < 0 || index >= dues.Length) continue;
            var at = DateTime.SpecifyKind(DateTime.Parse(reader.GetString(1), CultureInfo.InvariantCulture), DateTimeKind.Utc);
            lags.Add((at - dues[index]).TotalMilliseconds);
        }
        return lags;
    }

    private static Result Summarise(string name, int expected, List<double> lags, double cpu, long peak, double scheduleSeconds)
    {
        var sorted = lags.Order().ToArray();
        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Result(name, expected, sorted.Length, P(0.5), P(0.99), sorted.Length == 0 ? double.NaN : sorted[^1], cpu, peak / (1024 * 1024), scheduleSeconds);
    }

    private static SqliteConnection Open(string db)
    {
        var connection = new SqliteConnection($"Data Source={db}");
        connection.Open();
        return connection;
    }

    private static async Task Exec(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
