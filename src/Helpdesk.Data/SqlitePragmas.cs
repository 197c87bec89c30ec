using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Helpdesk.Data;

/// <summary>
/// Per-connection SQLite settings (they do not persist in the file): how hard a commit waits for
/// the disk. FULL fsyncs the log at every commit; NORMAL (with WAL) fsyncs at checkpoints, so a
/// committed write survives an app crash but the last ones may be lost to a power cut.
/// And how a writer waits for another one: SQLite allows one writer at a time, and without a busy
/// timeout Microsoft.Data.Sqlite answers a busy database by sleeping 150 ms before each retry. With
/// the chat writer, the SLA worker and triage writing side by side, those sleeps held chat
/// acknowledgements for 150 ms at a time (a profile of the chat bench: the writer asleep for 17 % of
/// the run). SQLite's own busy handler retries after 1, 2, 5, 10… ms instead.
/// </summary>
public sealed class SqlitePragmas(string synchronous) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>As long as a command waits by default (30 s) before it gives up on a busy database.</summary>
    public const int BusyTimeoutMilliseconds = 30_000;

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA synchronous={synchronous}; PRAGMA busy_timeout={BusyTimeoutMilliseconds};";
        command.ExecuteNonQuery();
    }
}
