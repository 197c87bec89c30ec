using System.Security.Claims;
using Helpdesk.Core.Escalation;
using Helpdesk.Core.Sla;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Escalation;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Sla;

public sealed record SlaTargetView(SlaTarget Target, int Cycle, SlaState State, SlaTimeMode Mode, long GoalSeconds,
    DateTime StartedAt, DateTime? StoppedAt, DateTime? WarningAt, DateTime? DueAt, long TakenSeconds, long RemainingSeconds, bool WarningReached);

public sealed record SlaOutcomeView(SlaTarget Target, int Cycle, bool Met, long TakenSeconds, long GoalSeconds, SlaTimeMode Mode,
    DateTime StartedAt, DateTime StoppedAt);

public sealed record EscalationView(int Level, bool IsEscalated, DateTime? Since, DateTime? Level3DueAt, IReadOnlyList<string> Reasons);

/// <summary>
/// GET /api/tickets/{number}/sla: the policy, each target's latest clock with its due time, the
/// escalation, the recorded outcomes, and the server's time (consoles count down from the due
/// times, corrected for their own clock). <see cref="TimerScheduled"/> says whether a timer job
/// is pending for the current figures.
/// </summary>
public sealed record SlaView(long TicketNumber, string PolicyKey, string PolicyName, string PolicyNameZh, string CalendarKey,
    double WarningThreshold, IReadOnlyList<SlaTargetView> Targets, EscalationView Escalation, IReadOnlyList<SlaOutcomeView> Outcomes,
    DateTime? NextWakeUpAt, int SlaVersion, bool TimerScheduled, DateTime ServerTime);

public sealed record ClearEscalationRequest(string? Note);

public static class SlaApi
{
    public static void MapSlaApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/tickets").WithTags("SLA")
            .RequireAuthorization(StaffPolicies.Staff)
            .AddEndpointFilter<AntiforgeryFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/{number}/sla", Get).WithName("GetTicketSla").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{number}/escalation/clear", Clear).WithName("ClearEscalation")
            .RequireAuthorization(StaffPolicies.Supervisor)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Ok<SlaView>, ValidationProblem>> Get(string number, HelpdeskDbContext db, SlaRules rules, TimeProvider clock, CancellationToken ct)
    {
        if (!long.TryParse(number, out var n) || n <= 0) return BadNumber();
        return TypedResults.Ok(await DescribeAsync(db, rules, clock, n, ct));
    }

    private static async Task<Results<Ok<SlaView>, ValidationProblem>> Clear(string number, ClearEscalationRequest? body, ClaimsPrincipal user,
        HelpdeskDbContext db, EscalationService escalation, SlaRules rules, TimeProvider clock, CancellationToken ct)
    {
        if (!long.TryParse(number, out var n) || n <= 0) return BadNumber();
        if (body?.Note is { Length: > 500 })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = ["The note is longer than 500 characters."] });
        var id = await db.Tickets.Where(t => t.Number == n).Select(t => (long?)t.Id).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"Ticket {n} does not exist.");
        var who = user.ToActor().Name;
        var note = string.IsNullOrWhiteSpace(body?.Note) ? who : $"{who}: {body.Note.Trim()}";
        if (!await escalation.ClearAsync(id, note, ct))
            throw new TicketRuleException("not_escalated", $"Ticket {n} is not escalated; there is nothing to clear.");
        return TypedResults.Ok(await DescribeAsync(db, rules, clock, n, ct));
    }

    public static async Task<SlaView> DescribeAsync(HelpdeskDbContext db, SlaRules rules, TimeProvider clock, long number, CancellationToken ct)
    {
        var store = new SlaStore(db);
        var id = await db.Tickets.Where(t => t.Number == number).Select(t => (long?)t.Id).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"Ticket {number} does not exist.");
        var row = (await store.ReadAsync(id, ct))!;
        var now = clock.GetUtcNow();
        var policy = rules.Policies.Match(row.PolicySubject);
        var snapshot = SlaClock.Evaluate(policy, rules.CalendarOf(policy), await store.TimelineAsync(row, ct), now);
        var outcomes = await db.SlaOutcomes.AsNoTracking().Where(o => o.TicketId == id).OrderBy(o => o.StartedAt).ThenBy(o => o.Target).ToListAsync(ct);
        var escalation = row.Escalation;
        return new SlaView(number, policy.Key, policy.Name, policy.NameZh, policy.CalendarKey, policy.WarningThreshold,
            snapshot.Targets.Select(t => new SlaTargetView(t.Target, t.Cycle, t.State, t.Goal.Mode, Seconds(t.Goal.Within), t.StartedAt.UtcDateTime,
                t.StoppedAt?.UtcDateTime, t.WarningAt?.UtcDateTime, t.DueAt?.UtcDateTime, Seconds(t.Taken), Seconds(t.Remaining), t.WarningReached)).ToList(),
            new EscalationView((int)escalation.Level, escalation.IsEscalated, escalation.Since?.UtcDateTime, escalation.Level3DueAt?.UtcDateTime,
                escalation.Reasons.Order(StringComparer.Ordinal).ToList()),
            outcomes.Select(o => new SlaOutcomeView(o.Target, o.Cycle, o.Met, o.TakenSeconds, o.GoalSeconds, o.Mode, o.StartedAt, o.StoppedAt)).ToList(),
            row.WakeUpAt, row.SlaVersion, row.WakeUpAt is not null && row.ScheduledVersion == row.SlaVersion && row.JobId is not null,
            now.UtcDateTime);
    }

    private static long Seconds(TimeSpan t) => (long)Math.Round(t.TotalSeconds);

    private static ValidationProblem BadNumber() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["number"] = ["A ticket number is a positive whole number, e.g. 100001."] });
}
