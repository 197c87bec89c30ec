using System.Globalization;
using CsvHelper;
using Helpdesk.Data;
using Helpdesk.Data.Audit;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Audit;

public sealed record AuditEntryView(long Id, DateTime At, Guid? ActorId, string ActorName, string Action, string TargetType, string? TargetId,
    string? Changes, string? RemoteIp, string Method, string Route);

public sealed record AuditPage(IReadOnlyList<AuditEntryView> Items, int Page, int PageSize, int Total);

/// <summary>
/// /api/admin/audit: admins read the log, newest first, filtered by time, actor and action, a page at
/// a time or as CSV. There is no write, update or delete endpoint: entries are append-only.
/// </summary>
public static class AuditApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int CsvMaxRows = 100_000;

    public static void MapAuditApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/admin/audit").WithTags("Audit")
            .RequireAuthorization(StaffPolicies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/", List).WithName("ListAuditEntries");
        api.MapGet("/actions", Actions).WithName("ListAuditActions");
        api.MapGet("/export.csv", Export).WithName("ExportAuditEntries");
    }

    private sealed record Filter(DateTime? From, DateTime? To, string? Actor, string? Action);

    private static Filter? Parse(RequestValidation v, string? from, string? to, string? actor, string? action)
    {
        var f = new Filter(v.Date("from", from), v.Date("to", to), string.IsNullOrWhiteSpace(actor) ? null : actor.Trim(),
            string.IsNullOrWhiteSpace(action) ? null : action.Trim());
        if (f.From is { } a && f.To is { } b && b < a) v.Add("to", "'to' is before 'from'.");
        if (f.Actor is { Length: > 200 }) v.Add("actor", "'actor' is longer than 200 characters.");
        if (f.Action is { Length: > 64 }) v.Add("action", "'action' is longer than 64 characters.");
        return v.IsValid ? f : null;
    }

    private static IQueryable<AuditEntry> Query(HelpdeskDbContext db, Filter f)
    {
        var q = db.AuditEntries.AsNoTracking();
        if (f.From is { } from) q = q.Where(e => e.At >= from);
        // A bare date as 'to' means the whole of that day.
        if (f.To is { } to) q = to.TimeOfDay == TimeSpan.Zero ? q.Where(e => e.At < to.AddDays(1)) : q.Where(e => e.At <= to);
        if (f.Actor is { } actor)
        {
            if (Guid.TryParse(actor, out var id)) q = q.Where(e => e.ActorId == id);
            else
            {
                var lower = actor.ToLower();
                q = q.Where(e => e.ActorName.ToLower().Contains(lower));
            }
        }
        // "staff" or "staff." finds every staff.* action; a full code finds that one.
        if (f.Action is { } action) q = q.Where(e => e.Action == action || e.Action.StartsWith(action.TrimEnd('.') + "."));
        return q.OrderByDescending(e => e.At).ThenByDescending(e => e.Id);
    }

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> List(string? from, string? to, string? actor, string? action,
        string? page, string? pageSize, HelpdeskDbContext db, CancellationToken ct)
    {
        var v = new RequestValidation();
        var f = Parse(v, from, to, actor, action);
        var p = v.Int("page", page, 1, 1_000_000) ?? 1;
        var size = v.Int("pageSize", pageSize, 1, MaxPageSize) ?? DefaultPageSize;
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var q = Query(db, f!);
        var total = await q.CountAsync(ct);
        var rows = await q.Skip((p - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new AuditPage(rows.Select(View).ToList(), p, size, total));
    }

    private static async Task<Ok<List<string>>> Actions(HelpdeskDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.AuditEntries.Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(ct));

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> Export(string? from, string? to, string? actor, string? action,
        HelpdeskDbContext db, CancellationToken ct)
    {
        var v = new RequestValidation();
        var f = Parse(v, from, to, actor, action);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var rows = await Query(db, f!).Take(CsvMaxRows).ToListAsync(ct);
        return TypedResults.File(AuditCsv.Write(rows), "text/csv; charset=utf-8", "audit.csv");
    }

    private static AuditEntryView View(AuditEntry e) =>
        new(e.Id, e.At, e.ActorId, e.ActorName, e.Action, e.TargetType, e.TargetId, e.Changes, e.RemoteIp, e.Method, e.Route);
}

/// <summary>The log as CSV through CsvHelper (UTF-8 with a byte-order mark, for Excel; times in UTC, ISO 8601).</summary>
public static class AuditCsv
{
    private static readonly CsvWriterOptions Options = new() { WriteByteOrderMark = true, NewLine = "\r\n", FormatProvider = CultureInfo.InvariantCulture };

    public static byte[] Write(IEnumerable<AuditEntry> rows)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, Options, true))
        {
            foreach (var h in new[] { "at", "actorId", "actorName", "action", "targetType", "targetId", "changes", "remoteIp", "method", "route" })
                csv.WriteField(h);
            csv.EndRecord();
            foreach (var e in rows)
            {
                csv.WriteField(e.At.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
                csv.WriteField(e.ActorId?.ToString() ?? "");
                csv.WriteField(e.ActorName);
                csv.WriteField(e.Action);
                csv.WriteField(e.TargetType);
                csv.WriteField(e.TargetId ?? "");
                csv.WriteField(e.Changes ?? "");
                csv.WriteField(e.RemoteIp ?? "");
                csv.WriteField(e.Method);
                csv.WriteField(e.Route);
                csv.EndRecord();
            }
        }
        return buffer.ToArray();
    }
}
