using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Helpdesk.Bench;

/// <summary>
/// Records the SQL (with its parameters) that EF sends while <see cref="Enabled"/>, so the bench
/// can show SQLite's plan for exactly what ListAsync ran. Off during the timed loops.
/// </summary>
public sealed class CommandCapture : DbCommandInterceptor
{
    public sealed record Captured(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters);

    private readonly List<Captured> _commands = [];

    public volatile bool Enabled;

    public IReadOnlyList<Captured> Commands => _commands;

    public void Start()
    {
        _commands.Clear();
        Enabled = true;
    }

    public void Stop() => Enabled = false;

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command,
        CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    private void Record(DbCommand command)
    {
        if (!Enabled) return;
        lock (_commands)
            _commands.Add(new Captured(command.CommandText,
                command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
    }

    /// <summary>SQLite's EXPLAIN QUERY PLAN of a statement, as the indented tree the sqlite3 shell prints.</summary>
    public static async Task<string> ExplainAsync(string connectionString, string sql,
        IEnumerable<(string Name, object? Value)> parameters)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        var depth = new Dictionary<long, int> { [0] = 0 };
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = reader.GetInt64(0);
            var parent = reader.GetInt64(1);
            var level = depth.GetValueOrDefault(parent) + 1;
            depth[id] = level;
            lines.Add(new string(' ', 2 * level) + "|-- " + reader.GetString(3));
        }
        return string.Join(Environment.NewLine, lines);
    }
}
