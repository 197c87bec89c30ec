using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;
using Helpdesk.Data;
using Helpdesk.Web.Identity;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Jobs;

/// <summary>Bound from "Jobs": the Hangfire server of this node.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";
    public int WorkerCount { get; set; } = 4;
    /// <summary>How often scheduled jobs (retries, timers) are looked for.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Hangfire (design §3.4, §4): in memory on the embedded SQLite setup, in the SQL Server database in
/// production. Everything is registered per app (storage, activator, filters) rather than through
/// Hangfire's static globals, so two apps in one process (tests, benchmarks) keep their jobs apart.
/// Features add their own filters as <see cref="JobFilter"/> services.
/// </summary>
public static class JobsFeature
{
    public const string DashboardPath = "/hangfire";

    public static void AddJobs(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.Services.AddOptions<JobsOptions>().Bind(config.GetSection(JobsOptions.Section))
            .Validate(o => o.WorkerCount is >= 1 and <= 100 && o.SchedulePollingInterval > TimeSpan.Zero, "Jobs:WorkerCount must be 1-100 and Jobs:SchedulePollingInterval positive.")
            .ValidateOnStart();
        var provider = config.GetSection("Database").GetValue("Provider", DatabaseProvider.Sqlite);
        var connectionString = config.GetConnectionString("Helpdesk");
        builder.Services.AddSingleton<JobStorage>(sp =>
        {
            // Hangfire's log provider is process-wide; resolving this app's configuration first points it
            // at this app's logger factory (a second app in the process, as in tests, would otherwise
            // build its storage with the logger factory of an app already disposed).
            sp.GetRequiredService<IGlobalConfiguration>();
            return provider switch
            {
                DatabaseProvider.SqlServer => new SqlServerStorage(connectionString,
                    new SqlServerStorageOptions { PrepareSchemaIfNecessary = true, QueuePollInterval = TimeSpan.FromSeconds(1) }),
                // Its own schema in the app's database, so several nodes share one job store and each job runs once.
                DatabaseProvider.PostgreSql => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString!, new PostgreSqlStorageOptions()),
                    new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true, SchemaName = "hangfire", QueuePollInterval = TimeSpan.FromSeconds(1) }),
                _ => new InMemoryStorage(),
            };
        });
        builder.Services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddSingleton<IJobFilterProvider>(sp =>
            new JobFilterProviderCollection(JobFilterProviders.Providers, new ServiceFilterProvider(sp.GetServices<JobFilter>().ToList())));
        builder.Services.AddHangfire((sp, c) => c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()
            .UseLogProvider(HangfireLogBridge.For(sp.GetRequiredService<ILoggerFactory>())));
        builder.Services.AddHangfireServer((sp, o) =>
        {
            var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
            o.WorkerCount = jobs.WorkerCount;
            o.SchedulePollingInterval = jobs.SchedulePollingInterval;
            // Several apps may share one process (tests): each server needs its own name.
            var name = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
            o.ServerName = name.Length <= 100 ? name : name[^100..];
        });
        builder.Services.AddHealthChecks().AddCheck<HangfireHealthCheck>("hangfire");
    }

    /// <summary>The dashboard at /hangfire for supervisors and admins (the staff cookie; others get 401/403).</summary>
    public static void MapJobs(this WebApplication app)
    {
        app.MapHangfireDashboardWithAuthorizationPolicy(StaffPolicies.Supervisor, DashboardPath,
            new DashboardOptions { Authorization = [], AppPath = "/agent/", DashboardTitle = "Helpdesk jobs" },
            app.Services.GetRequiredService<JobStorage>());
    }

    private sealed class ServiceFilterProvider(IReadOnlyList<JobFilter> filters) : IJobFilterProvider
    {
        public IEnumerable<JobFilter> GetFilters(Job job) => filters;
    }
}

/// <summary>Hangfire in /healthz: its store answers and at least one server is processing jobs.</summary>
public sealed class HangfireHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var monitoring = storage.GetMonitoringApi();
            var servers = monitoring.Servers().Count;
            var stats = monitoring.GetStatistics();
            var text = $"{servers} server(s); {stats.Enqueued} enqueued, {stats.Scheduled} scheduled, {stats.Failed} failed";
            return Task.FromResult(servers > 0 ? HealthCheckResult.Healthy(text) : HealthCheckResult.Degraded("No Hangfire server is running; " + text));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The Hangfire store does not answer.", e));
        }
    }
}

/// <summary>
/// Hangfire's log provider is a process-wide static. This one writes to the logger factory of the
/// latest app and goes quiet when that app is gone, so an app stopping in a process that hosts
/// several (tests, benchmarks) cannot break the logging of the others.
/// </summary>
internal sealed class HangfireLogBridge : Hangfire.Logging.ILogProvider
{
    private static readonly HangfireLogBridge Instance = new();
    private static volatile ILoggerFactory? _factory;

    public static HangfireLogBridge For(ILoggerFactory factory)
    {
        _factory = factory;
        return Instance;
    }

    public Hangfire.Logging.ILog GetLogger(string name) => new BridgedLog(name);

    private sealed class BridgedLog(string name) : Hangfire.Logging.ILog
    {
        public bool Log(Hangfire.Logging.LogLevel level, Func<string>? message, Exception? exception = null)
        {
            var factory = _factory;
            if (factory is null) return false;
            var mapped = level switch
            {
                Hangfire.Logging.LogLevel.Trace => LogLevel.Trace,
                Hangfire.Logging.LogLevel.Debug => LogLevel.Debug,
                Hangfire.Logging.LogLevel.Info => LogLevel.Information,
                Hangfire.Logging.LogLevel.Warn => LogLevel.Warning,
                Hangfire.Logging.LogLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            try
            {
                var logger = factory.CreateLogger(name);
                if (message is null) return logger.IsEnabled(mapped);
                if (!logger.IsEnabled(mapped)) return false;
                logger.Log(mapped, exception, "{Message}", message());
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
