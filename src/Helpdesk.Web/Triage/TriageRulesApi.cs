using System.Security.Claims;
using Helpdesk.Core.Tickets;
using Helpdesk.Core.Triage;
using Helpdesk.Data;
using Helpdesk.Web.Audit;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Triage;

/// <summary>
/// /api/triage/rules, for admins: the current rules, the versions, drafts to edit, validation
/// (a bad pattern is named with its rule id), publishing, and a try-out on a sample text.
/// </summary>
public static class TriageRulesApi
{
    public static void MapTriageRulesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/triage/rules").WithTags("Triage rules")
            .RequireAuthorization(StaffPolicies.Admin)
            .AddEndpointFilter<AntiforgeryFilter>()
            .Audited()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/", Current).WithName("GetCurrentTriageRules");
        api.MapGet("/versions", List).WithName("ListTriageRuleVersions");
        api.MapGet("/versions/{version:int}", Get).WithName("GetTriageRuleVersion").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/drafts", CreateDraft).WithName("CreateTriageRulesDraft").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/versions/{version:int}", Edit).WithName("EditTriageRulesDraft").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/validate", Validate).WithName("ValidateTriageRules").NotAudited("a check; nothing is stored");
        api.MapPost("/versions/{version:int}/publish", Publish).WithName("PublishTriageRules").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/versions/{version:int}/try", Try).WithName("TryTriageRules").ProducesProblem(StatusCodes.Status404NotFound)
            .NotAudited("a dry run; nothing is stored");
    }

    private static async Task<Ok<RuleSetDetail>> Current(HelpdeskDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var current = await TriageRuleStore.CurrentVersionAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        return TypedResults.Ok(new RuleSetDetail(TriageViews.Summary(current), current.Rules(), true));
    }

    private static async Task<Ok<List<RuleSetSummary>>> List(HelpdeskDbContext db, TimeProvider clock, CancellationToken ct)
    {
        await TriageRuleStore.CurrentVersionAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        var all = await db.TriageRuleSets.AsNoTracking().OrderByDescending(v => v.Version).ToListAsync(ct);
        return TypedResults.Ok(all.Select(TriageViews.Summary).ToList());
    }

    private static async Task<Ok<RuleSetDetail>> Get(int version, HelpdeskDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var current = await TriageRuleStore.CurrentVersionAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        var v = await Find(db, version, ct);
        return TypedResults.Ok(new RuleSetDetail(TriageViews.Summary(v), v.Rules(), v.Version == current.Version));
    }

    private static async Task<Created<RuleSetDetail>> CreateDraft(NewDraftRequest? body, ClaimsPrincipal user, HelpdeskDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var basis = body?.FromVersion is { } from ? await Find(db, from, ct) : await TriageRuleStore.CurrentVersionAsync(db, now, ct);
        for (var attempt = 1; ; attempt++)
        {
            var next = (await db.TriageRuleSets.MaxAsync(v => (int?)v.Version, ct) ?? 0) + 1;
            var draft = new TriageRuleSetVersion
            {
                Version = next, Status = RuleSetStatus.Draft, RulesJson = basis.RulesJson, BasedOnVersion = basis.Version,
                Note = string.IsNullOrWhiteSpace(body?.Note) ? $"Draft from v{basis.Version}" : body!.Note!.Trim()[..Math.Min(500, body.Note.Trim().Length)],
                CreatedAt = now, UpdatedAt = now, CreatedBy = user.ToActor().Name,
            };
            db.TriageRuleSets.Add(draft);
            try
            {
                await db.SaveChangesAsync(ct);
                audit.Record("triage_rules.draft_created", "triage_rules", next, new { basedOn = basis.Version, note = draft.Note });
                return TypedResults.Created($"/api/triage/rules/versions/{next}", new RuleSetDetail(TriageViews.Summary(draft), draft.Rules(), false));
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<Results<Ok<RuleSetDetail>, ValidationProblem>> Edit(int version, EditRulesRequest body, HelpdeskDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken ct)
    {
        if (body.Rules is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["rules"] = ["'rules' is required: the whole rule set."] });
        if (Problems(body.Rules) is { } problems)
            return problems;
        var draft = await Find(db, version, ct, tracked: true);
        var rulesBefore = draft.Rules().Rules.Count;
        draft.Edit(body.Rules, body.Note?.Trim() is { Length: > 0 } note ? note[..Math.Min(500, note.Length)] : draft.Note, clock.GetUtcNow().UtcDateTime);
        audit.Record("triage_rules.draft_edited", "triage_rules", version, new { rules = new { from = rulesBefore, to = body.Rules.Rules.Count }, note = draft.Note });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new RuleSetDetail(TriageViews.Summary(draft), draft.Rules(), false));
    }

    public sealed record ValidationResult(bool Valid, int RuleCount);

    private static Results<Ok<ValidationResult>, ValidationProblem> Validate(EditRulesRequest body)
    {
        if (body.Rules is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["rules"] = ["'rules' is required: the whole rule set."] });
        if (Problems(body.Rules) is { } problems)
            return problems;
        return TypedResults.Ok(new ValidationResult(true, body.Rules.Rules.Count));
    }

    private static async Task<Results<Ok<RuleSetDetail>, ValidationProblem>> Publish(int version, ClaimsPrincipal user, HelpdeskDbContext db,
        TriageRuleStore store, TimeProvider clock, AuditTrail audit, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var draft = await Find(db, version, ct, tracked: true);
        if (Problems(draft.Rules()) is { } problems)
            return problems;
        var previous = await db.TriageRuleSets.Where(v => v.Status == RuleSetStatus.Published).ToListAsync(ct);
        draft.Publish(user.ToActor().Name, now);
        audit.Record("triage_rules.published", "triage_rules", version, new { superseded = previous.Select(p => p.Version), rules = draft.Rules().Rules.Count });
        foreach (var p in previous)
        {
            p.Status = RuleSetStatus.Superseded;
            p.UpdatedAt = now;
        }
        await db.SaveChangesAsync(ct);
        store.Invalidate();
        return TypedResults.Ok(new RuleSetDetail(TriageViews.Summary(draft), draft.Rules(), true));
    }

    /// <summary>What a version would say about a text: nothing is stored.</summary>
    private static async Task<Results<Ok<TriageOutcome>, ValidationProblem>> Try(int version, TryRulesRequest body, HelpdeskDbContext db, CancellationToken ct)
    {
        var v = new RequestValidation().Text("text", body.Text, TicketLimits.BodyMax);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var set = await Find(db, version, ct);
        if (Problems(set.Rules()) is { } problems)
            return problems;
        return TypedResults.Ok(TriageEngine.Compile(set.Version, set.Rules()).Classify(new TriageInput(body.Text!)));
    }

    /// <summary>Each error keyed by rule id and field ("refund-words.pattern"), so the editor can point at it.</summary>
    private static ValidationProblem? Problems(TriageRuleSet rules)
    {
        var errors = TriageRuleValidator.Validate(rules);
        if (errors.Count == 0) return null;
        return TypedResults.ValidationProblem(
            errors.GroupBy(e => $"{e.RuleId}.{e.Field}").ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            title: "The rule set is not valid",
            detail: string.Join(" ", errors.Take(3).Select(e => $"Rule {e.RuleId}, {e.Field}: {e.Message}")),
            extensions: new Dictionary<string, object?> { ["ruleIds"] = errors.Select(e => e.RuleId).Distinct().ToArray() });
    }

    private static async Task<TriageRuleSetVersion> Find(HelpdeskDbContext db, int version, CancellationToken ct, bool tracked = false) =>
        await (tracked ? db.TriageRuleSets : db.TriageRuleSets.AsNoTracking()).SingleOrDefaultAsync(v => v.Version == version, ct)
        ?? throw new NotFoundException($"There are no triage rules v{version}.");
}
