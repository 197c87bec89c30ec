using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Helpdesk.Data;

/// <summary>
/// Every time is stored in UTC. Neither SQLite nor SQL Server keeps the kind, so a time read back
/// would be Unspecified and serialised without "Z" (a browser then reads it as local time):
/// this marks it UTC again on the way out, and turns a local time into UTC on the way in.
/// The column type does not change, so no migration follows from it.
/// </summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    // Unspecified is taken as UTC (the app never makes local times): PostgreSQL's timestamptz refuses an unspecified kind.
    v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
