using System.ComponentModel.DataAnnotations;
using Hangfire;
using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Audit;

/// <summary>Bound from "Audit".</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";
    /// <summary>Entries older than this many days are deleted by a daily sweep. Unset (the default): kept for ever.</summary>
    [Range(1, 36500, ErrorMessage = "Audit:RetentionDays must be 1-36500 days, or unset to keep every entry.")]
    public int? RetentionDays { get; set; }
}

/// <summary>The audit log of administrative changes (issue 11 point 4): the trail, the filter, the admin API, the retention sweep.</summary>
public static class AuditFeature
{
    public const string RetentionJobId = "audit-retention-sweep";

    public static void AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>().Bind(builder.Configuration.GetSection(AuditOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<AuditTrail>();
        builder.Services.AddScoped<AuditRetentionJob>();
    }

    public static void MapAudit(this WebApplication app)
    {
        app.MapAuditApi();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
            if (app.Services.GetRequiredService<IOptions<AuditOptions>>().Value.RetentionDays is null)
                jobs.RemoveIfExists(RetentionJobId);
            else
                jobs.AddOrUpdate<AuditRetentionJob>(RetentionJobId, j => j.RunAsync(CancellationToken.None), Cron.Daily());
        });
    }
}

/// <summary>Deletes the entries older than Audit:RetentionDays (the only delete the log knows).</summary>
public sealed class AuditRetentionJob(HelpdeskDbContext db, TimeProvider clock, IOptions<AuditOptions> options, ILogger<AuditRetentionJob> log)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (options.Value.RetentionDays is not { } days) return 0;
        var before = clock.GetUtcNow().UtcDateTime.AddDays(-days);
        var deleted = await db.AuditEntries.Where(e => e.At < before).ExecuteDeleteAsync(ct);
        if (deleted > 0) log.LogInformation("Audit retention: deleted {Count} entries older than {Days} days", deleted, days);
        return deleted;
    }
}
