using System.Text.Json;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Tickets;
using Microsoft.Data.Sqlite;

namespace Helpdesk.Bench;

/// <summary>
/// The baseline: the same two list queries written by hand over Microsoft.Data.Sqlite, as
/// someone who knows the schema would write them: one round trip, the page limited first and the
/// assignee and customer names joined onto those rows only. They return the same rows as
/// <see cref="TicketQueries.ListAsync"/> (the bench checks), mapped to the same summaries.
/// </summary>
public static class HandWrittenQueries
{
    private const string Columns = """
        t.Id, t.Number, t.Subject, t.Type, t.Category, t.Priority, t.Channel, t.Status, t.TeamId, t.QueueId,
        t.AssigneeId, u.DisplayName, t.CustomerId, c.Name, t.Tags, t.CreatedAt, t.UpdatedAt, t.Version
        """;

    /// <summary>"My teams' queue": open tickets of the teams the agent belongs to, most urgent first, then oldest.</summary>
    public const string InboxSql = $"""
        SELECT {Columns}
        FROM (
            SELECT * FROM Tickets
            WHERE TeamId IN (SELECT TeamId FROM StaffTeams WHERE UserId = $me)
              AND Status IN (0, 1, 2)
            ORDER BY Priority DESC, CreatedAt, Id
            LIMIT $limit
        ) AS t
        LEFT JOIN AspNetUsers AS u ON u.Id = t.AssigneeId
        LEFT JOIN Customers AS c ON c.Id = t.CustomerId
        ORDER BY t.Priority DESC, t.CreatedAt, t.Id
        """;

    /// <summary>Text search over subject and every message body (or the ticket number), queue order.</summary>
    public const string SearchSql = $"""
        SELECT {Columns}
        FROM (
            SELECT * FROM Tickets AS x
            WHERE x.Number = $number
               OR x.Subject LIKE $pattern ESCAPE '\'
               OR EXISTS (SELECT 1 FROM TicketMessages AS m WHERE m.TicketId = x.Id AND m.Body LIKE $pattern ESCAPE '\')
            ORDER BY x.Priority DESC, x.CreatedAt, x.Id
            LIMIT $limit
        ) AS t
        LEFT JOIN AspNetUsers AS u ON u.Id = t.AssigneeId
        LEFT JOIN Customers AS c ON c.Id = t.CustomerId
        ORDER BY t.Priority DESC, t.CreatedAt, t.Id
        """;

    /// <summary>EF stores a Guid as upper-case text on SQLite.</summary>
    public static string GuidText(Guid id) => id.ToString().ToUpperInvariant();

    public static IReadOnlyList<(string Name, object? Value)> InboxParameters(Guid me, int limit) =>
        [("$me", GuidText(me)), ("$limit", limit)];

    public static IReadOnlyList<(string Name, object? Value)> SearchParameters(string text, int limit)
    {
        text = text.Trim();
        var pattern = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        return [("$number", long.TryParse(text, out var n) ? n : -1L), ("$pattern", pattern), ("$limit", limit)];
    }

    /// <summary>Fetches limit + 1 rows, as ListAsync does, to know whether there is a next page.</summary>
    public static Task<List<TicketSummary>> InboxAsync(string connectionString, Guid me, int limit) =>
        RunAsync(connectionString, InboxSql, InboxParameters(me, limit + 1));

    public static Task<List<TicketSummary>> SearchAsync(string connectionString, string text, int limit) =>
        RunAsync(connectionString, SearchSql, SearchParameters(text, limit + 1));

    private static async Task<List<TicketSummary>> RunAsync(string connectionString, string sql,
        IReadOnlyList<(string Name, object? Value)> parameters)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        var rows = new List<TicketSummary>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new TicketSummary(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), (TicketType)reader.GetInt32(3),
                (AfterSalesCategory)reader.GetInt32(4), (TicketPriority)reader.GetInt32(5), (TicketChannel)reader.GetInt32(6),
                (TicketStatus)reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetInt32(8),
                reader.IsDBNull(9) ? null : reader.GetInt32(9), reader.IsDBNull(10) ? null : reader.GetGuid(10),
                reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetInt64(12),
                reader.IsDBNull(13) ? null : reader.GetString(13),
                JsonSerializer.Deserialize<List<string>>(reader.GetString(14)) ?? [],
                reader.GetDateTime(15), reader.GetDateTime(16),
                reader.GetInt32(17)));
        }
        return rows;
    }
}
