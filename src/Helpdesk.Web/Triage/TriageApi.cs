using System.Globalization;
using System.Security.Claims;
using Helpdesk.Core.Triage;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Helpdesk.Web.Triage;

/// <summary>What agents see and correct: /api/tickets/{number}/triage, and /api/triage/accuracy for supervisors.</summary>
public static class TriageApi
{
    public static void MapTriageApi(this IEndpointRouteBuilder routes)
    {
        var tickets = routes.MapGroup("/api/tickets/{number}/triage").WithTags("Triage")
            .RequireAuthorization(StaffPolicies.Staff)
            .AddEndpointFilter<AntiforgeryFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        tickets.MapGet("/", Get).WithName("GetTicketTriage");
        tickets.MapPost("/correction", Correct).WithName("CorrectTicketTriage").ProducesProblem(StatusCodes.Status409Conflict);

        routes.MapGet("/api/triage/accuracy", Accuracy).WithTags("Triage").WithName("GetTriageAccuracy")
            .RequireAuthorization(StaffPolicies.Supervisor)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static async Task<Results<Ok<TicketTriageView>, ValidationProblem>> Get(string number, TriageService triage, CancellationToken ct)
    {
        if (!long.TryParse(number, out var n) || n <= 0) return BadNumber();
        return TypedResults.Ok(await triage.GetAsync(n, ct));
    }

    private static async Task<Results<Created<TicketTriageView>, ValidationProblem>> Correct(string number, TriageCorrectionRequest body,
        ClaimsPrincipal user, TriageService triage, CancellationToken ct)
    {
        if (!long.TryParse(number, out var n) || n <= 0) return BadNumber();
        var v = new RequestValidation().Defined("type", body.Type).Defined("category", body.Category).Defined("severity", body.Severity);
        if (body.Type is null && body.Category is null && body.Severity is null)
            v.Add("type", "Give at least one of 'type', 'category' or 'severity'.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        await triage.CorrectAsync(n, body, user.ToActor(), user.StaffId()!.Value, ct);
        return TypedResults.Created($"/api/tickets/{n}/triage", await triage.GetAsync(n, ct));
    }

    private static async Task<Results<Ok<TriageAccuracy>, ValidationProblem>> Accuracy(string? period, string? from, string? to,
        TriageService triage, TimeProvider clock, CancellationToken ct)
    {
        var v = new RequestValidation();
        var weekly = false;
        if (period is not (null or "" or "day" or "week")) v.Add("period", "'period' is 'day' or 'week'.");
        else weekly = period == "week";
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        DateOnly? Date(string field, string? text)
        {
            if (string.IsNullOrEmpty(text)) return null;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            v.Add(field, $"'{field}' is a date like 2026-11-23.");
            return null;
        }
        var end = Date("to", to) ?? today;
        var start = Date("from", from) ?? end.AddDays(-29);
        if (start > end) v.Add("to", "'to' is before 'from'.");
        if (end.DayNumber - start.DayNumber > 366) v.Add("from", "At most 366 days at once.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return TypedResults.Ok(await triage.AccuracyAsync(weekly, start, end, ct));
    }

    private static ValidationProblem BadNumber() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["number"] = ["A ticket number is a positive whole number, e.g. 100001."] });
}
