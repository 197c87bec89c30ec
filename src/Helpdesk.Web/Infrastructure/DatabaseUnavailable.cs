using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace Helpdesk.Web.Infrastructure;

/// <summary>
/// Tells a database that cannot be reached (down, restarting, the network gone, a SQLite file that
/// cannot be opened) from a request the database refused: the first is a 503 the client may retry,
/// the second a bug or a bad request.
/// </summary>
public static class DatabaseUnavailable
{
    /// <summary>How long a client is asked to wait before trying again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private const int SqliteCantOpen = 14;

    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is RetryLimitExceededException) return true;
            if (e is SqliteException { SqliteErrorCode: SqliteCantOpen }) return true;
            // Npgsql and SqlClient mark connection failures and server shutdowns transient.
            if (e is DbException { IsTransient: true }) return true;
            if (e is System.Net.Sockets.SocketException) return true;
        }
        return false;
    }
}
