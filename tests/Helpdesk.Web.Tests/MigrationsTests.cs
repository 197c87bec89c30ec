using Helpdesk.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Helpdesk.Web.Tests;

/// <summary>Every provider's migrations match the model; the SQL Server script generates; SQLite gets the queue indexes.</summary>
public sealed class MigrationsTests : IDisposable
{
    private const string SqlServerConnection = "Server=tcp:127.0.0.1,9;Database=Helpdesk;User Id=sa;Password=x;TrustServerCertificate=True";

    private readonly string _folder = Directory.CreateTempSubdirectory("helpdesk-migrations-").FullName;

    private static HelpdeskDbContext Context(DatabaseProvider provider, string connectionString) =>
        new(new DbContextOptionsBuilder<HelpdeskDbContext>().UseHelpdeskDatabase(provider, connectionString).Options);

    private HelpdeskDbContext Sqlite() => Context(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(_folder, "fresh.db")};Pooling=False");

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.SqlServer)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public void Model_has_no_changes_missing_from_the_migrations(DatabaseProvider provider)
    {
        using var db = provider switch
        {
            DatabaseProvider.Sqlite => Sqlite(),
            DatabaseProvider.SqlServer => Context(provider, SqlServerConnection),
            _ => Context(provider, "Host=127.0.0.1;Port=9;Database=helpdesk;Username=x"),
        };

        db.Database.GetMigrations().Should().NotBeEmpty();
        db.Database.HasPendingModelChanges().Should().BeFalse(
            "run `dotnet ef migrations add` for {0} after changing the model", provider);
    }

    [Fact]
    public void SQL_Server_migration_script_creates_the_tickets_table_and_its_queue_indexes()
    {
        using var db = Context(DatabaseProvider.SqlServer, SqlServerConnection);

        var script = db.GetService<IMigrator>().GenerateScript();

        script.Should().Contain("CREATE TABLE [Tickets]");
        script.Should().Contain("CREATE TABLE [TicketMessages]");
        script.Should().Contain("CREATE TABLE [AspNetUsers]");
        script.Should().Contain("CREATE UNIQUE INDEX [IX_Tickets_Number] ON [Tickets] ([Number]);");
        script.Should().Contain("CREATE INDEX [IX_Tickets_Status_TeamId_Priority_CreatedAt] ON [Tickets] ([Status], [TeamId], [Priority], [CreatedAt]);");
        script.Should().Contain("CREATE INDEX [IX_Tickets_AssigneeId_Status] ON [Tickets] ([AssigneeId], [Status]);");
        script.Should().Contain("CREATE INDEX [IX_Tickets_CustomerId] ON [Tickets] ([CustomerId]);");
        script.Should().Contain("CREATE UNIQUE INDEX [IX_TicketMessages_TicketId_Sequence] ON [TicketMessages] ([TicketId], [Sequence]);");
        script.Should().MatchRegex(@"CREATE UNIQUE INDEX \[IX_TicketMessages_TicketId_ClientMessageId\] ON \[TicketMessages\] \(\[TicketId\], \[ClientMessageId\]\) WHERE .ClientMessageId. IS NOT NULL;");
        script.Should().Contain("[__EFMigrationsHistory]");

        db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent).Should().Contain("IF NOT EXISTS");
    }

    [Fact]
    public async Task SQLite_migrations_on_a_fresh_file_create_the_queue_indexes_and_switch_to_WAL()
    {
        await using (var db = Sqlite())
        {
            await HelpdeskDatabase.MigrateAsync(db);
            (await db.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
            (await db.Database.GetAppliedMigrationsAsync()).Should().Equal(db.Database.GetMigrations());
        }

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "fresh.db")};Pooling=False");
        await connection.OpenAsync();
        var indexes = await IndexesAsync(connection, "Tickets");

        indexes.Should().ContainKey("IX_Tickets_Status_TeamId_Priority_CreatedAt")
            .WhoseValue.Columns.Should().Equal("Status", "TeamId", "Priority", "CreatedAt");
        indexes.Should().ContainKey("IX_Tickets_AssigneeId_Status").WhoseValue.Columns.Should().Equal("AssigneeId", "Status");
        indexes.Should().ContainKey("IX_Tickets_CustomerId").WhoseValue.Columns.Should().Equal("CustomerId");
        indexes.Should().ContainKey("IX_Tickets_Number");
        indexes["IX_Tickets_Number"].Unique.Should().BeTrue("two tickets never share a number");
        indexes["IX_Tickets_Number"].Columns.Should().Equal("Number");
        indexes["IX_Tickets_Status_TeamId_Priority_CreatedAt"].Unique.Should().BeFalse();

        var messages = await IndexesAsync(connection, "TicketMessages");
        messages["IX_TicketMessages_TicketId_Sequence"].Should().Match<(bool Unique, List<string> Columns)>(i => i.Unique && i.Columns.SequenceEqual(new[] { "TicketId", "Sequence" }));
        messages["IX_TicketMessages_TicketId_ClientMessageId"].Unique.Should().BeTrue("a client's retry is refused by the database too");

        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode;";
        ((string)(await pragma.ExecuteScalarAsync())!).Should().Be("wal");
    }

    /// <summary>Index name → (unique, columns in order), read from sqlite_master and the index pragmas.</summary>
    private static async Task<Dictionary<string, (bool Unique, List<string> Columns)>> IndexesAsync(SqliteConnection connection, string table)
    {
        var result = new Dictionary<string, (bool, List<string>)>();
        var names = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = $table AND sql IS NOT NULL;";
            list.Parameters.AddWithValue("$table", table);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        }
        foreach (var name in names)
        {
            await using var info = connection.CreateCommand();
            info.CommandText = $"SELECT name FROM pragma_index_info('{name}') ORDER BY seqno;";
            var columns = new List<string>();
            await using (var reader = await info.ExecuteReaderAsync())
                while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
            await using var unique = connection.CreateCommand();
            unique.CommandText = $"SELECT \"unique\" FROM pragma_index_list('{table}') WHERE name = '{name}';";
            result[name] = (Convert.ToInt64(await unique.ExecuteScalarAsync()) == 1, columns);
        }
        return result;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
