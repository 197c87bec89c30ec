using System.Security.Claims;
using Helpdesk.Core.Scripts;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Audit;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Helpdesk.Web.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Scripts;

/// <summary>
/// /api/scripts: the script library. Every staff member reads it (the composer's picker, the
/// preview, the guard's check); supervisors and admins write and approve, since keeping the
/// team's wording right is a supervisor's daily work (质检/话术维护), not only an administrator's.
/// </summary>
public static class ScriptsApi
{
    public static RouteGroupBuilder MapScriptsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/scripts").WithTags("Scripts")
            .RequireAuthorization(StaffPolicies.Staff)
            .AddEndpointFilter<AntiforgeryFilter>()
            .AddEndpointFilter<ScriptProblemFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/", List).WithName("ListScripts");
        api.MapGet("/meta", Meta).WithName("ScriptMeta");
        api.MapGet("/{id:long}", Get).WithName("GetScript").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:long}/history", History).WithName("GetScriptHistory").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/", Create).WithName("CreateScript").RequireAuthorization(StaffPolicies.Supervisor).Audited();
        api.MapPut("/{id:long}", Update).WithName("UpdateScript").RequireAuthorization(StaffPolicies.Supervisor).Audited()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id:long}/approve", Approve).WithName("ApproveScript").RequireAuthorization(StaffPolicies.Supervisor).Audited()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/preview", Preview).WithName("PreviewScript");
        api.MapPost("/check", Check).WithName("CheckWording");
        api.MapGet("/for-ticket/{number:long}", ForTicket).WithName("ScriptsForTicket").ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<List<ScriptDto>>, ValidationProblem>> List(string? kind, string? lang, string? teamId, string? channel,
        string? status, string? q, HelpdeskDbContext db, CancellationToken ct)
    {
        var v = new RequestValidation();
        var k = v.Enum<ScriptKind>("kind", kind);
        var s = v.Enum<ScriptStatus>("status", status);
        var c = v.Enum<TicketChannel>("channel", channel);
        var team = v.Int("teamId", teamId);
        var language = string.IsNullOrWhiteSpace(lang) ? null : ScriptLanguages.Normalise(lang);
        if (!string.IsNullOrWhiteSpace(lang) && language is null) v.Add("lang", $"'{lang}' is not one of {string.Join(", ", ScriptLanguages.All)}.");
        if (q is { Length: > 100 }) v.Add("q", "The search text is longer than 100 characters.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var query = db.Scripts.AsNoTracking();
        if (k is { } kk) query = query.Where(x => x.Kind == kk);
        if (s is { } ss) query = query.Where(x => x.Status == ss);
        if (c is { } cc) query = query.Where(x => x.Channel == cc);
        if (team is { } tt) query = query.Where(x => x.TeamId == tt);
        if (language is not null) query = query.Where(x => x.Language == language);
        if (!string.IsNullOrWhiteSpace(q)) query = query.Where(x => x.Name.Contains(q.Trim()) || x.Text.Contains(q.Trim()));
        var rows = await query.ToListAsync(ct);
        return TypedResults.Ok(rows.OrderBy(x => x.Kind).ThenBy(x => x.Language).ThenBy(x => x.Name, StringComparer.Ordinal).Select(ScriptDto.From).ToList());
    }

    private static Ok<ScriptMeta> Meta() => TypedResults.Ok(new ScriptMeta(
        Enum.GetNames<ScriptKind>(), ScriptPlaceholders.All, ScriptLanguages.All, Enum.GetNames<TicketChannel>()));

    private static async Task<Results<Ok<ScriptDto>, ProblemHttpResult>> Get(long id, HelpdeskDbContext db, CancellationToken ct) =>
        await db.Scripts.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is { } s
            ? TypedResults.Ok(ScriptDto.From(s))
            : TypedResults.Problem(NotFoundProblem($"No script {id}."));

    private static async Task<Results<Ok<List<ScriptRevisionDto>>, ProblemHttpResult>> History(long id, HelpdeskDbContext db, CancellationToken ct)
    {
        if (!await db.Scripts.AnyAsync(s => s.Id == id, ct)) return TypedResults.Problem(NotFoundProblem($"No script {id}."));
        var rows = await db.ScriptRevisions.AsNoTracking().Where(r => r.ScriptId == id).OrderByDescending(r => r.Version).ThenByDescending(r => r.Id)
            .Select(r => new ScriptRevisionDto(r.Version, r.At, r.ByName, r.Action, r.Changes, r.OldText, r.NewText, r.OldStatus, r.NewStatus))
            .ToListAsync(ct);
        return TypedResults.Ok(rows);
    }

    private static async Task<Results<Created<ScriptDto>, ValidationProblem>> Create(ScriptRequest body, ClaimsPrincipal user, ScriptLibrary library, CancellationToken ct)
    {
        var v = body.Validate();
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var script = await library.CreateAsync(body, user.ToActor(), ct);
        return TypedResults.Created($"/api/scripts/{script.Id}", ScriptDto.From(script));
    }

    private static async Task<Results<Ok<ScriptDto>, ValidationProblem>> Update(long id, ScriptRequest body, ClaimsPrincipal user, ScriptLibrary library, CancellationToken ct)
    {
        var v = body.Validate();
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return TypedResults.Ok(ScriptDto.From(await library.UpdateAsync(id, body, user.ToActor(), ct)));
    }

    private static async Task<Results<Ok<ScriptDto>, ValidationProblem>> Approve(long id, ApproveRequest? body, ClaimsPrincipal user, ScriptLibrary library, CancellationToken ct)
    {
        var v = new RequestValidation().Positive("expectedVersion", body?.ExpectedVersion);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return TypedResults.Ok(ScriptDto.From(await library.ApproveAsync(id, body?.ExpectedVersion, user.ToActor(), ct)));
    }

    /// <summary>The editor's live preview: the text with sample data (or a named ticket's), or the unknown placeholders.</summary>
    private static async Task<Results<Ok<PreviewResult>, ProblemHttpResult>> Preview(PreviewRequest body, ScriptRenderer renderer,
        ClaimsPrincipal user, TicketAccess access, HelpdeskDbContext db, CancellationToken ct)
    {
        var v = new RequestValidation().Text("text", body.Text, Helpdesk.Data.Configuration.ScriptLimits.TextMax).Positive("ticketNumber", body.TicketNumber);
        var language = ScriptLanguages.Normalise(body.Language);
        if (language is null) v.Add("language", $"'language' is one of {string.Join(", ", ScriptLanguages.All)}.");
        var template = TemplateChecks.Validate(v, "text", body.Text);
        ScriptTarget? target = null;
        if (body.TicketNumber is { } n && n > 0)
        {
            var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Number == n, ct);
            if (ticket is null || !await access.StaffMayAccessAsync(user, ticket, ct)) v.Add("ticketNumber", $"No ticket {n} for you.");
            else target = new ScriptTarget(n, ticket.CustomerId, user.StaffId(), ticket.TeamId, ticket.Channel);
        }
        if (!v.IsValid)
        {
            var problem = TypedResults.ValidationProblem(v.Errors).ProblemDetails;
            if (template is not null && template.UnknownPlaceholders.Count > 0) problem.Extensions["unknownPlaceholders"] = template.UnknownPlaceholders;
            problem.Extensions["code"] = template is { IsValid: false } ? "invalid_template" : "invalid";
            return TypedResults.Problem(problem);
        }
        var text = await renderer.RenderTextAsync(template!, language!, target, ct);
        return TypedResults.Ok(new PreviewResult(text, template!.Placeholders));
    }

    /// <summary>The composer's check as the agent types: which forbidden phrases the text holds and what to say instead.</summary>
    private static async Task<Results<Ok<CheckResult>, ValidationProblem>> Check(CheckRequest body, ForbiddenPhraseGuard guard, CancellationToken ct)
    {
        var v = new RequestValidation();
        if (body.Text is null) v.Add("text", "'text' is required.");
        else if (body.Text.Length > TicketLimits.BodyMax) v.Add("text", $"'text' is longer than {TicketLimits.BodyMax} characters.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var matches = await guard.CheckAsync(body.Text, ct);
        return TypedResults.Ok(new CheckResult(matches.Count == 0, matches.Select(ForbiddenMatchDto.From).ToList()));
    }

    /// <summary>The composer's / picker: approved scripts that apply to the ticket, rendered for it.</summary>
    private static async Task<Results<Ok<IReadOnlyList<RenderedScript>>, ProblemHttpResult>> ForTicket(long number,
        ClaimsPrincipal user, TicketAccess access, HelpdeskDbContext db, ScriptRenderer renderer, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Number == number, ct);
        if (ticket is null || !await access.StaffMayAccessAsync(user, ticket, ct))
            return TypedResults.Problem(NotFoundProblem($"No ticket {number} for you."));
        return TypedResults.Ok(await renderer.RenderAllForTicketAsync(number, user.StaffId()!.Value, ct));
    }

    internal static Microsoft.AspNetCore.Mvc.ProblemDetails NotFoundProblem(string detail) =>
        new() { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = detail };
}

/// <summary>/api/forbidden-phrases: the guard's list. Staff read it; supervisors and admins change it.</summary>
public static class ForbiddenPhrasesApi
{
    public static RouteGroupBuilder MapForbiddenPhrasesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/forbidden-phrases").WithTags("Scripts")
            .RequireAuthorization(StaffPolicies.Staff)
            .AddEndpointFilter<AntiforgeryFilter>()
            .AddEndpointFilter<ScriptProblemFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/", List).WithName("ListForbiddenPhrases");
        api.MapGet("/{id:long}", Get).WithName("GetForbiddenPhrase").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:long}/history", History).WithName("GetForbiddenPhraseHistory").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/", Create).WithName("CreateForbiddenPhrase").RequireAuthorization(StaffPolicies.Supervisor).Audited();
        api.MapPut("/{id:long}", Update).WithName("UpdateForbiddenPhrase").RequireAuthorization(StaffPolicies.Supervisor).Audited()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Ok<List<ForbiddenPhraseDto>>> List(HelpdeskDbContext db, CancellationToken ct)
    {
        var rows = await db.ForbiddenPhrases.AsNoTracking().ToListAsync(ct);
        return TypedResults.Ok(rows.OrderByDescending(p => p.IsActive).ThenBy(p => p.Language).ThenBy(p => p.Phrase, StringComparer.Ordinal)
            .Select(ForbiddenPhraseDto.From).ToList());
    }

    private static async Task<Results<Ok<ForbiddenPhraseDto>, ProblemHttpResult>> Get(long id, HelpdeskDbContext db, CancellationToken ct) =>
        await db.ForbiddenPhrases.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) is { } p
            ? TypedResults.Ok(ForbiddenPhraseDto.From(p))
            : TypedResults.Problem(ScriptsApi.NotFoundProblem($"No forbidden phrase {id}."));

    private static async Task<Results<Ok<List<ForbiddenPhraseRevisionDto>>, ProblemHttpResult>> History(long id, HelpdeskDbContext db, CancellationToken ct)
    {
        if (!await db.ForbiddenPhrases.AnyAsync(p => p.Id == id, ct)) return TypedResults.Problem(ScriptsApi.NotFoundProblem($"No forbidden phrase {id}."));
        var rows = await db.ForbiddenPhraseRevisions.AsNoTracking().Where(r => r.PhraseId == id).OrderByDescending(r => r.Version).ThenByDescending(r => r.Id)
            .Select(r => new ForbiddenPhraseRevisionDto(r.Version, r.At, r.ByName, r.Action, r.Changes, r.OldPhrase, r.NewPhrase,
                r.OldSuggestion, r.NewSuggestion, r.OldActive, r.NewActive))
            .ToListAsync(ct);
        return TypedResults.Ok(rows);
    }

    private static async Task<Results<Created<ForbiddenPhraseDto>, ValidationProblem>> Create(ForbiddenPhraseRequest body, ClaimsPrincipal user, ScriptLibrary library, CancellationToken ct)
    {
        var v = body.Validate();
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var phrase = await library.CreatePhraseAsync(body, user.ToActor(), ct);
        return TypedResults.Created($"/api/forbidden-phrases/{phrase.Id}", ForbiddenPhraseDto.From(phrase));
    }

    private static async Task<Results<Ok<ForbiddenPhraseDto>, ValidationProblem>> Update(long id, ForbiddenPhraseRequest body, ClaimsPrincipal user, ScriptLibrary library, CancellationToken ct)
    {
        var v = body.Validate();
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return TypedResults.Ok(ForbiddenPhraseDto.From(await library.UpdatePhraseAsync(id, body, user.ToActor(), ct)));
    }
}

/// <summary>The script library's refusals as problem details: a missing reference is a 400 on its field, a state conflict a 409 with a code.</summary>
internal sealed class ScriptProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ScriptRequestException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.Field] = [e.Message] });
        }
        catch (ScriptConflictException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Refused",
                extensions: new Dictionary<string, object?> { ["code"] = e.Code });
        }
    }
}
