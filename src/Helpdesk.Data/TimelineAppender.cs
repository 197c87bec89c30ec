using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using Helpdesk.Core.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Helpdesk.Data;

/// <summary>A ticket loaded without tracking, its state before the caller changed it, and the messages the change appended.</summary>
public sealed class TimelineAppend
{
    private readonly object?[] _before;

    private TimelineAppend(Ticket ticket, object?[] before)
    {
        Ticket = ticket;
        _before = before;
    }

    public Ticket Ticket { get; }
    internal object?[] Before => _before;

    /// <summary>Remembers the ticket's columns; call before applying the aggregate's methods.</summary>
    public static TimelineAppend Watch(HelpdeskDbContext db, Ticket ticket) =>
        new(ticket, TimelineAppender.Shape(db).Snapshot(ticket));
}

/// <summary>
/// The chat writer's fast path: appends messages to tickets without EF's change tracker, one
/// prepared INSERT per message and one UPDATE per ticket guarded by the version it was read at.
/// Under chat load EF's tracking and update pipeline cost more CPU than the database itself.
/// Columns come from the EF model, so the mapping stays in one place; anything the fast path
/// cannot express (history rows, collections) is left to EF by the caller (<see cref="CanAppend"/>).
/// </summary>
public static class TimelineAppender
{
    private static readonly ConcurrentDictionary<IModel, ModelShape> Shapes = new();

    internal static ModelShape Shape(HelpdeskDbContext db) => Shapes.GetOrAdd(db.Model, m => new ModelShape(m, db.Database.IsSqlServer(), db.GetService<ISqlGenerationHelper>()));

    /// <summary>True when the change is only appended messages and changed ticket columns.</summary>
    public static bool CanAppend(HelpdeskDbContext db, TimelineAppend append) =>
        append.Ticket.History.Count == 0 && Shape(db).CollectionsUnchanged(append);

    /// <summary>
    /// Writes the appends in one transaction. Returns false, with nothing written, when another
    /// writer changed one of the tickets since it was read; a unique-index clash (a resent client
    /// message id) throws the provider's exception, also with nothing written.
    /// </summary>
    public static async Task<bool> TryWriteAsync(HelpdeskDbContext db, IReadOnlyList<TimelineAppend> appends, CancellationToken ct)
    {
        var shape = Shape(db);
        var strategy = db.Database.CreateExecutionStrategy();
        var ids = new List<(TicketMessage Message, long TicketId, long Id)>();
        var written = await strategy.ExecuteAsync(async ct2 =>
        {
            ids.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct2);
            var connection = db.Database.GetDbConnection();
            await using var insert = shape.Insert.Create(connection, tx.GetDbTransaction());
            foreach (var append in appends)
            {
                var ticket = append.Ticket;
                var update = shape.UpdateFor(append);
                if (update is not null)
                {
                    await using var command = update.Value.Create(connection, tx.GetDbTransaction());
                    update.Value.Bind(command, ticket, append.Before);
                    if (await command.ExecuteNonQueryAsync(ct2) != 1)
                        return false;
                }
                foreach (var message in ticket.Messages)
                {
                    shape.Insert.Bind(insert, message, ticket.Id);
                    var id = Convert.ToInt64(await insert.ExecuteScalarAsync(ct2));
                    ids.Add((message, ticket.Id, id));
                }
            }
            await tx.CommitAsync(ct2);
            return true;
        }, ct);
        if (written)
            foreach (var (message, ticketId, id) in ids)
                shape.SetIdentity(message, ticketId, id);
        return written;
    }

    /// <summary>The SQL and accessors for one model, built once.</summary>
    internal sealed class ModelShape
    {
        private readonly IProperty[] _ticketColumns;
        private readonly IProperty _ticketKey, _ticketVersion;
        private readonly string _ticketTable;
        private readonly ConcurrentDictionary<string, Statement> _updates = new();
        private readonly PropertyInfo _messageId, _messageTicketId;
        private readonly ISqlGenerationHelper _sql;

        public ModelShape(IModel model, bool sqlServer, ISqlGenerationHelper sql)
        {
            _sql = sql;
            var tickets = model.FindEntityType(typeof(Ticket))!;
            _ticketTable = Table(tickets);
            _ticketKey = tickets.FindPrimaryKey()!.Properties.Single();
            _ticketVersion = tickets.FindProperty(nameof(Ticket.Version))!;
            _ticketColumns = tickets.GetProperties().Where(p => !p.IsPrimaryKey() && !p.IsShadowProperty()).ToArray();

            var messages = model.FindEntityType(typeof(TicketMessage))!;
            var columns = messages.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.OnAdd && !p.IsShadowProperty()).ToArray();
            var key = messages.FindPrimaryKey()!.Properties.Single();
            var names = string.Join(", ", columns.Select(Column));
            var values = string.Join(", ", columns.Select((_, i) => "@p" + i));
            var insertSql = sqlServer
                ? $"INSERT INTO {Table(messages)} ({names}) OUTPUT INSERTED.{Column(key)} VALUES ({values})"
                : $"INSERT INTO {Table(messages)} ({names}) VALUES ({values}) RETURNING {Column(key)}";
            Insert = new MessageInsert(insertSql, columns);
            _messageId = typeof(TicketMessage).GetProperty(nameof(TicketMessage.Id))!;
            _messageTicketId = typeof(TicketMessage).GetProperty(nameof(TicketMessage.TicketId))!;
        }

        public MessageInsert Insert { get; }

        public object?[] Snapshot(Ticket ticket) => _ticketColumns.Select(p => p.GetGetter().GetClrValue(ticket)).ToArray();

        /// <summary>Collections (tags) are compared by reference: the aggregate replaces them and records history when it does.</summary>
        public bool CollectionsUnchanged(TimelineAppend append)
        {
            for (var i = 0; i < _ticketColumns.Length; i++)
                if (_ticketColumns[i].IsPrimitiveCollection && !ReferenceEquals(append.Before[i], _ticketColumns[i].GetGetter().GetClrValue(append.Ticket)))
                    return false;
            return true;
        }

        /// <summary>An UPDATE of the columns that changed, guarded by the version read; null when nothing changed.</summary>
        public Statement? UpdateFor(TimelineAppend append)
        {
            var changed = new List<int>();
            for (var i = 0; i < _ticketColumns.Length; i++)
                if (!Equals(append.Before[i], _ticketColumns[i].GetGetter().GetClrValue(append.Ticket)))
                    changed.Add(i);
            if (changed.Count == 0)
                return null;
            var key = string.Join(",", changed);
            return _updates.GetOrAdd(key, _ =>
            {
                var set = string.Join(", ", changed.Select((c, i) => $"{Column(_ticketColumns[c])} = @p{i}"));
                var sql = $"UPDATE {_ticketTable} SET {set} WHERE {Column(_ticketKey)} = @id AND {Column(_ticketVersion)} = @version";
                return new Statement(sql, changed.Select(c => _ticketColumns[c]).ToArray(), _ticketKey, _ticketVersion, Array.IndexOf(_ticketColumns, _ticketVersion));
            });
        }

        public void SetIdentity(TicketMessage message, long ticketId, long id)
        {
            _messageTicketId.SetValue(message, ticketId);
            _messageId.SetValue(message, id);
        }

        private string Table(IEntityType type) => _sql.DelimitIdentifier(type.GetTableName()!, type.GetSchema());
        private string Column(IProperty p) => _sql.DelimitIdentifier(p.GetColumnName());
    }

    internal sealed class MessageInsert(string sql, IProperty[] columns)
    {
        public DbCommand Create(DbConnection connection, DbTransaction tx)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = tx;
            for (var i = 0; i < columns.Length; i++)
            {
                var parameter = columns[i].GetRelationalTypeMapping().CreateParameter(command, "@p" + i, null, nullable: true);
                command.Parameters.Add(parameter);
            }
            return command;
        }

        public void Bind(DbCommand command, TicketMessage message, long ticketId)
        {
            for (var i = 0; i < columns.Length; i++)
            {
                var value = columns[i].Name == nameof(TicketMessage.TicketId) ? ticketId : columns[i].GetGetter().GetClrValue(message);
                SetValue(command.Parameters[i], columns[i], value);
            }
        }
    }

    internal readonly record struct Statement(string Sql, IProperty[] Columns, IProperty Key, IProperty Version, int VersionIndex)
    {
        public DbCommand Create(DbConnection connection, DbTransaction tx)
        {
            var command = connection.CreateCommand();
            command.CommandText = Sql;
            command.Transaction = tx;
            for (var i = 0; i < Columns.Length; i++)
                command.Parameters.Add(Columns[i].GetRelationalTypeMapping().CreateParameter(command, "@p" + i, null, nullable: true));
            command.Parameters.Add(Key.GetRelationalTypeMapping().CreateParameter(command, "@id", null, nullable: false));
            command.Parameters.Add(Version.GetRelationalTypeMapping().CreateParameter(command, "@version", null, nullable: false));
            return command;
        }

        public void Bind(DbCommand command, Ticket ticket, object?[] before)
        {
            for (var i = 0; i < Columns.Length; i++)
                SetValue(command.Parameters[i], Columns[i], Columns[i].GetGetter().GetClrValue(ticket));
            SetValue(command.Parameters[Columns.Length], Key, Key.GetGetter().GetClrValue(ticket));
            SetValue(command.Parameters[Columns.Length + 1], Version, before[VersionIndex]);
        }
    }

    /// <summary>The provider value of a model value: through the property's converter (enums, UTC dates, GUIDs as text).</summary>
    private static void SetValue(DbParameter parameter, IProperty property, object? value)
    {
        var converter = property.GetTypeMapping().Converter;
        parameter.Value = (value is null ? null : converter is null ? value : converter.ConvertToProvider(value)) ?? DBNull.Value;
    }
}
