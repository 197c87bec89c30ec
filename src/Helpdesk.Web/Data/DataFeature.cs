using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Data;

/// <summary>Storage: provider choice, the DbContext, its health check, migrations and seeding at start.</summary>
public static class DataFeature
{
    public static void AddData(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.Services.AddOptions<DatabaseOptions>().Bind(config.GetSection(DatabaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var synchronous = config.GetSection(DatabaseOptions.Section).GetValue(nameof(DatabaseOptions.SqliteSynchronous), "FULL")!.ToUpperInvariant();
        var provider = config.GetSection(DatabaseOptions.Section).GetValue(nameof(DatabaseOptions.Provider), DatabaseProvider.Sqlite);
        var connectionString = config.GetConnectionString("Helpdesk");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("ConnectionStrings:Helpdesk is not set.");
        if (provider == DatabaseProvider.Sqlite)
            HelpdeskDatabase.EnsureSqliteFolder(connectionString);

        builder.Services.AddScoped<TicketEventPublisher>();
        builder.Services.AddDbContext<HelpdeskDbContext>((services, o) => o
            .UseHelpdeskDatabase(provider, connectionString, synchronous)
            // Features' own interceptors (the CRM outbox) run before the publisher's after-commit step.
            .AddInterceptors(services.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>().Append(services.GetRequiredService<TicketEventPublisher>())));
        builder.Services.AddDataProtection().SetApplicationName("Helpdesk").PersistKeysToDbContext<HelpdeskDbContext>();
        builder.Services.AddHealthChecks().AddDbContextCheck<HelpdeskDbContext>("database", tags: ["ready"]);

        builder.Services.AddOptions<DemoOptions>()
            .Configure(o => o.Enabled = provider == DatabaseProvider.Sqlite)
            .Bind(config.GetSection(DemoOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => !o.Enabled || provider != DatabaseProvider.SqlServer || o.AllowOnSqlServer,
                "Demo users (with their published password) are refused on SQL Server. Set Demo:Enabled=false, or Demo:AllowOnSqlServer=true for a throwaway database.")
            .ValidateOnStart();
        builder.Services.AddOptions<BootstrapOptions>().Bind(config.GetSection(BootstrapOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<DemoSeeder>();
    }

    public static void MapData(this WebApplication app) { }

    /// <summary>Migrates the database, seeds the demo organisation (first start only) and every feature's own seed data.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app, CancellationToken ct = default)
    {
        // The settings first (what ValidateOnStart would check when the host starts, which is after
        // this): a refused configuration, such as demo users on SQL Server, must not migrate or seed
        // the database it points at.
        app.Services.GetService<IStartupValidator>()?.Validate();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        if (scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
            await HelpdeskDatabase.MigrateAsync(db, ct);
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(ct);
        foreach (var seeder in scope.ServiceProvider.GetServices<IDatabaseSeeder>())
            await seeder.SeedAsync(ct);
    }
}

/// <summary>
/// A feature's data every installation needs (demo or not), put in at start-up after the
/// migrations; each checks what exists, so a second start adds nothing.
/// </summary>
public interface IDatabaseSeeder
{
    Task SeedAsync(CancellationToken ct);
}
