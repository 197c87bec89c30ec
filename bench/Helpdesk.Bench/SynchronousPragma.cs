using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Helpdesk.Bench;

/// <summary>
/// What-if only (--synchronous NORMAL): sets PRAGMA synchronous on every connection EF opens, to
/// show how much of a write is the commit's fsync. The app itself keeps SQLite's default (FULL);
/// NORMAL in WAL mode can lose the last commits on power loss, which design §3.2 does not allow
/// without a decision.
/// </summary>
public sealed class SynchronousPragma(string mode) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA synchronous={mode}";
        command.ExecuteNonQuery();
    }
}
