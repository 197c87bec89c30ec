using System.Globalization;
using Helpdesk.Core.Reports;
using Helpdesk.Data;
using Helpdesk.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Reports;

public sealed record ReportRowView(DateOnly Date, IReadOnlyList<double?> Values);

/// <summary>One report: the period (calendar days of <see cref="TimeZone"/>), the team filter, the column keys and a row per day.</summary>
public sealed record ReportView(string Report, DateOnly From, DateOnly To, string TimeZone, int? TeamId,
    IReadOnlyList<string> Columns, IReadOnlyList<ReportRowView> Rows);

/// <summary>
/// GET /api/reports/{volume|first-response|resolution|csat-daily|complaints|sla}?from=&amp;to=&amp;teamId=
/// (supervisors and admins): a daily series as JSON, or as CSV with format=csv (or Accept: text/csv).
/// The CSAT series is csat-daily because /api/reports/csat is issue 8's grouped report.
/// </summary>
public static class ReportsApi
{
    public static void MapReportsApi(this IEndpointRouteBuilder routes)
    {
        foreach (var kind in ReportQueries.Kinds)
            routes.MapGet($"/api/reports/{kind}", (string? from, string? to, string? teamId, string? format, string? lang,
                    HttpContext http, HelpdeskDbContext db, TimeProvider clock, IOptions<ReportsOptions> options, CancellationToken ct) =>
                    GetAsync(kind, from, to, teamId, format, lang, http, db, clock, options.Value, ct))
                .WithTags("Reports").WithName("GetReport-" + kind)
                .RequireAuthorization(StaffPolicies.Supervisor)
                .Produces<ReportView>().Produces(StatusCodes.Status200OK, contentType: "text/csv")
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> GetAsync(string kind, string? from, string? to, string? teamId, string? format, string? lang,
        HttpContext http, HelpdeskDbContext db, TimeProvider clock, ReportsOptions options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        DateOnly? Date(string field, string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            errors[field] = $"'{value}' is not a date (yyyy-MM-dd).";
            return null;
        }
        var (fromDate, toDate) = (Date("from", from), Date("to", to));
        int? team = null;
        if (!string.IsNullOrWhiteSpace(teamId))
        {
            if (!int.TryParse(teamId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                errors["teamId"] = $"'{teamId}' is not a team id.";
            else if (!await db.Teams.AnyAsync(t => t.Id == id, ct))
                errors["teamId"] = $"There is no team {id}.";
            else team = id;
        }
        var csv = format?.Trim().ToLowerInvariant() switch
        {
            null or "" => http.Request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true),
            "json" => false,
            "csv" => true,
            _ => Invalid(errors, "format", $"'{format}' is not a format; use json or csv."),
        };
        var zone = options.Zone();
        var period = errors.ContainsKey("from") || errors.ContainsKey("to") ? null
            : ReportPeriod.Resolve(fromDate, toDate, clock.GetUtcNow(), zone, errors);
        if (errors.Count > 0 || period is null)
            return TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }),
                title: "The report cannot be made for these filters.");

        var table = await new ReportQueries(db).RunAsync(kind, period, team, ct);
        if (csv)
        {
            var chinese = (lang ?? "").StartsWith("zh", StringComparison.OrdinalIgnoreCase);
            var name = $"{kind}-{period.From:yyyy-MM-dd}-{period.To:yyyy-MM-dd}{(team is { } t ? $"-team{t}" : "")}.csv";
            return TypedResults.File(ReportCsv.Write(table, chinese), "text/csv; charset=utf-8", name);
        }
        return TypedResults.Ok(new ReportView(kind, period.From, period.To, options.TimeZone, team, table.Columns,
            table.Rows.Select(r => new ReportRowView(r.Date, r.Values)).ToList()));
    }

    private static bool Invalid(Dictionary<string, string> errors, string field, string message)
    {
        errors[field] = message;
        return false;
    }
}
