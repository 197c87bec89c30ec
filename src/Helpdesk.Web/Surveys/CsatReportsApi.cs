using System.Globalization;
using Helpdesk.Core.Surveys;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Surveys;

public sealed record CsatDay(DateOnly Date, CsatFigures Figures);
public sealed record CsatGroup(string Key, string Name, CsatFigures Figures, IReadOnlyList<CsatDay> Daily);
public sealed record CsatReport(DateOnly From, DateOnly To, string? GroupBy, double Target, CsatFigures Overall,
    IReadOnlyList<CsatDay> Daily, IReadOnlyList<CsatGroup> Groups);

/// <summary>
/// GET /api/reports/csat?from=2026-11-01&amp;to=2026-11-30&amp;groupBy=agent|team|channel|type (supervisors):
/// CSAT (share of 4–5 stars), average score, response rate, against the 95 % target, overall and per
/// group, each with a daily series. Surveys count on the UTC day they were issued (so the response
/// rate of a day is of the surveys sent that day); from and to are inclusive.
/// </summary>
public static class CsatReportsApi
{
    public const int MaxDays = 366;
    private static readonly string[] GroupKinds = ["agent", "team", "channel", "type"];

    public static void MapCsatReportsApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/reports/csat", Get).WithTags("Reports").WithName("GetCsatReport")
            .RequireAuthorization(StaffPolicies.Supervisor)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

    private static async Task<Results<Ok<CsatReport>, ValidationProblem>> Get(string? from, string? to, string? groupBy,
        HelpdeskDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        DateOnly? Parse(string field, string? value, DateOnly fallback)
        {
            if (string.IsNullOrWhiteSpace(value)) return fallback;
            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            errors[field] = [$"'{value}' is not a date (yyyy-MM-dd)."];
            return null;
        }
        var end = Parse("to", to, today);
        var start = Parse("from", from, (end ?? today).AddDays(-29));
        if (start is { } s && end is { } e)
        {
            if (e < s) errors["to"] = ["'to' is before 'from'."];
            else if (e.DayNumber - s.DayNumber + 1 > MaxDays) errors["to"] = [$"At most {MaxDays} days per report."];
        }
        var kind = groupBy?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(kind) && !GroupKinds.Contains(kind))
            errors["groupBy"] = ["groupBy is one of agent, team, channel, type."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var (first, last) = (start!.Value, end!.Value);
        var since = first.ToDateTime(TimeOnly.MinValue);
        var until = last.AddDays(1).ToDateTime(TimeOnly.MinValue);
        var rows = await db.Surveys.AsNoTracking().Where(x => x.IssuedAt >= since && x.IssuedAt < until)
            .Select(x => new { x.IssuedAt, x.Score, x.AgentId, x.TeamId, x.Channel, x.Type }).ToListAsync(ct);

        List<CsatDay> Daily(IEnumerable<SurveyFact> facts)
        {
            var byDay = facts.GroupBy(f => DateOnly.FromDateTime(f.IssuedAt)).ToDictionary(g => g.Key, g => g.ToList());
            var days = new List<CsatDay>(last.DayNumber - first.DayNumber + 1);
            for (var d = first; d <= last; d = d.AddDays(1))
                days.Add(new CsatDay(d, CsatMath.Compute(byDay.GetValueOrDefault(d) ?? [])));
            return days;
        }

        var groups = new List<CsatGroup>();
        if (!string.IsNullOrEmpty(kind))
        {
            var names = kind switch
            {
                // Keys formatted here, not in SQL: SQLite keeps a Guid as upper-case text.
                "agent" => (await db.Users.Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct)).ToDictionary(x => x.Id.ToString(), x => x.DisplayName ?? x.Id.ToString()),
                "team" => (await db.Teams.Select(t => new { t.Id, t.Name }).ToListAsync(ct)).ToDictionary(x => x.Id.ToString(), x => x.Name),
                _ => new Dictionary<string, string>(),
            };
            foreach (var g in rows.GroupBy(r => kind switch
                     {
                         "agent" => r.AgentId?.ToString() ?? "none",
                         "team" => r.TeamId?.ToString() ?? "none",
                         "channel" => r.Channel.ToString(),
                         _ => r.Type.ToString(),
                     }).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var facts = g.Select(r => new SurveyFact(r.IssuedAt, r.Score)).ToList();
                groups.Add(new CsatGroup(g.Key, names.GetValueOrDefault(g.Key) ?? g.Key, CsatMath.Compute(facts), Daily(facts)));
            }
        }
        var all = rows.Select(r => new SurveyFact(r.IssuedAt, r.Score)).ToList();
        return TypedResults.Ok(new CsatReport(first, last, string.IsNullOrEmpty(kind) ? null : kind, CsatMath.Target, CsatMath.Compute(all), Daily(all), groups));
    }
}
