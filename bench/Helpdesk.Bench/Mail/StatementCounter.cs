using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Helpdesk.Bench.Mail;

/// <summary>Counts the SQL statements EF sends, by their first words: what one mail costs the database.</summary>
public sealed class StatementCounter : DbCommandInterceptor
{
    public ConcurrentDictionary<string, int> Counts { get; } = new();

    public int Total => Counts.Values.Sum();

    private void Count(DbCommand command)
    {
        var text = command.CommandText.Replace('\n', ' ').Replace('\r', ' ').Trim();
        foreach (var statement in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var key = statement.Length > 70 ? statement[..70] : statement;
            Counts.AddOrUpdate(key, 1, (_, n) => n + 1);
        }
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand c, CommandEventData e, InterceptionResult<DbDataReader> r) { Count(c); return r; }
    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand c, CommandEventData e, InterceptionResult<DbDataReader> r, CancellationToken ct = default) { Count(c); return ValueTask.FromResult(r); }
    public override InterceptionResult<int> NonQueryExecuting(DbCommand c, CommandEventData e, InterceptionResult<int> r) { Count(c); return r; }
    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand c, CommandEventData e, InterceptionResult<int> r, CancellationToken ct = default) { Count(c); return ValueTask.FromResult(r); }
    public override InterceptionResult<object> ScalarExecuting(DbCommand c, CommandEventData e, InterceptionResult<object> r) { Count(c); return r; }
    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand c, CommandEventData e, InterceptionResult<object> r, CancellationToken ct = default) { Count(c); return ValueTask.FromResult(r); }
}
