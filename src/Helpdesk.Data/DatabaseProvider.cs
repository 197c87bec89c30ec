using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Data;

/// <summary>SQLite embedded (the default), SQL Server for production, PostgreSQL as the networked database of several nodes.</summary>
public enum DatabaseProvider { Sqlite, SqlServer, PostgreSql }

/// <summary>
/// One place that turns (provider, connection string) into EF options, used by the app, the
/// design-time factories of the migrations projects, the tests and the benchmarks.
/// Each provider keeps its migrations in its own assembly.
/// </summary>
public static class HelpdeskDatabase
{
    public const string SqliteMigrationsAssembly = "Helpdesk.Migrations.Sqlite";
    public const string SqlServerMigrationsAssembly = "Helpdesk.Migrations.SqlServer";
    public const string PostgreSqlMigrationsAssembly = "Helpdesk.Migrations.PostgreSql";

    // A networked database that blips is retried a few times within seconds; one that is down for
    // longer makes the request fail fast (503, see DatabaseUnavailable) instead of holding it for
    // the minute EF's default retries would take.
    private const int RetryCount = 3;
    private static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(2);

    public static TBuilder UseHelpdeskDatabase<TBuilder>(this TBuilder options,
        DatabaseProvider provider, string connectionString, string sqliteSynchronous = "FULL") where TBuilder : DbContextOptionsBuilder
    {
        Configure(options, provider, connectionString);
        if (provider == DatabaseProvider.Sqlite)
            options.AddInterceptors(new SqlitePragmas(sqliteSynchronous switch
            {
                "FULL" or "NORMAL" or "EXTRA" => sqliteSynchronous,
                _ => throw new ArgumentException("SQLite synchronous is FULL, NORMAL or EXTRA.", nameof(sqliteSynchronous)),
            }));
        return options;
    }

    private static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options,
        DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.Sqlite => options.UseSqlite(connectionString,
            o => o.MigrationsAssembly(SqliteMigrationsAssembly).UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)),
        DatabaseProvider.SqlServer => options.UseSqlServer(connectionString,
            o => o.MigrationsAssembly(SqlServerMigrationsAssembly).UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)
                  .EnableRetryOnFailure(RetryCount, RetryMaxDelay, null)),
        DatabaseProvider.PostgreSql => options.UseNpgsql(connectionString,
            o => o.MigrationsAssembly(PostgreSqlMigrationsAssembly).UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)
                  .EnableRetryOnFailure(RetryCount, RetryMaxDelay, null)),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
    };

    /// <summary>Makes the folder of a SQLite file exist, so a fresh clone starts without a manual step.</summary>
    public static void EnsureSqliteFolder(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(source) || source == ":memory:" || source.StartsWith("file:", StringComparison.Ordinal))
            return;
        var folder = Path.GetDirectoryName(Path.GetFullPath(source));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
    }

    /// <summary>
    /// Applies pending migrations. On SQLite it also switches the file to WAL, so readers do not
    /// block the writer (design §4); the setting is stored in the file.
    /// </summary>
    public static async Task MigrateAsync(HelpdeskDbContext db, CancellationToken ct = default)
    {
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }
}
