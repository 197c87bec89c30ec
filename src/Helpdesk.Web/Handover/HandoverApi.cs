using System.Globalization;
using System.Security.Claims;
using Helpdesk.Core.Handover;
using Helpdesk.Data;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Helpdesk.Web.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Handover;

public sealed record HandoverTeam(int Id, string Name, string NameZh);

/// <summary>The generated handover an agent edits before submitting.</summary>
public sealed record HandoverDraftView(int? TeamId, IReadOnlyList<HandoverTeam> Teams, DateTime ShiftStart, DateTime ShiftEnd,
    IReadOnlyList<HandoverItem> Items, string Text, int MaxLength);

public sealed record HandoverReader(Guid StaffId, string Name, DateTime ReadAt);

public sealed record HandoverView(long Id, Guid AuthorId, string AuthorName, int TeamId, string TeamName, string TeamNameZh,
    DateTime ShiftStart, DateTime ShiftEnd, DateTime SubmittedAt, string Text, IReadOnlyList<HandoverItem> Items,
    bool ReadByMe, IReadOnlyList<HandoverReader> ReadBy);

public sealed record SubmitHandoverRequest(int? TeamId, string? Text);

/// <summary>
/// /api/handovers (交班日记): GET draft (the caller's open items and the text made of them), POST
/// (submit the edited text; the items are taken again at that moment), GET ?teamId&amp;since (the
/// handovers of the caller's teams; supervisors and admins see every team's), POST {id}/read.
/// </summary>
public static class HandoverApi
{
    public static readonly TimeSpan DefaultListWindow = TimeSpan.FromDays(7);

    public static void MapHandoverApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/handovers").WithTags("Handover")
            .RequireAuthorization(StaffPolicies.Staff)
            .AddEndpointFilter<AntiforgeryFilter>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/draft", Draft).WithName("GetHandoverDraft");
        api.MapPost("/", Submit).WithName("SubmitHandover");
        api.MapGet("/", List).WithName("ListHandovers");
        api.MapPost("/{id}/read", MarkRead).WithName("MarkHandoverRead").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<HandoverDraftView>, ValidationProblem>> Draft(string? teamId, string? lang, ClaimsPrincipal user,
        HelpdeskDbContext db, HandoverDrafts drafts, TimeProvider clock, IOptions<HandoverOptions> options, CancellationToken ct)
    {
        var me = user.StaffId()!.Value;
        var teams = await TeamsOfAsync(db, me, ct);
        var (team, error) = ChooseTeam(teamId, teams, required: false);
        if (error is not null) return Invalid("teamId", error);
        var now = clock.GetUtcNow().UtcDateTime;
        var start = await ShiftStartAsync(db, me, now, options.Value, ct);
        var items = await drafts.OpenItemsAsync(me, ct);
        var text = HandoverRules.Draft(items, start, now, options.Value.Zone(), lang ?? "zh-CN");
        return TypedResults.Ok(new HandoverDraftView(team, teams, start, now, items, text, HandoverRules.TextMax));
    }

    private static async Task<Results<Created<HandoverView>, ValidationProblem>> Submit(SubmitHandoverRequest? body, ClaimsPrincipal user,
        HelpdeskDbContext db, HandoverDrafts drafts, TimeProvider clock, IOptions<HandoverOptions> options, CancellationToken ct)
    {
        var me = user.StaffId()!.Value;
        var errors = new Dictionary<string, string[]>();
        var text = body?.Text?.Trim();
        if (string.IsNullOrEmpty(text)) errors["text"] = ["'text' is required: write the handover (the draft can be used as it is)."];
        else if (text.Length > HandoverRules.TextMax) errors["text"] = [$"'text' is {text.Length} characters; at most {HandoverRules.TextMax}."];
        var teams = await TeamsOfAsync(db, me, ct);
        var (team, teamError) = ChooseTeam(body?.TeamId?.ToString(CultureInfo.InvariantCulture), teams, required: true);
        if (teamError is not null) errors["teamId"] = [teamError];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The handover was not submitted.");

        var now = clock.GetUtcNow().UtcDateTime;
        var handover = new ShiftHandover
        {
            AuthorId = me,
            AuthorName = user.ToActor().Name,
            TeamId = team!.Value,
            ShiftStart = await ShiftStartAsync(db, me, now, options.Value, ct),
            ShiftEnd = now,
            ItemsJson = HandoverDrafts.Serialize(await drafts.OpenItemsAsync(me, ct)),
            Text = text!,
            SubmittedAt = now,
        };
        db.Handovers.Add(handover);
        await db.SaveChangesAsync(ct);
        var view = (await ViewsAsync(db, db.Handovers.Where(h => h.Id == handover.Id), me, ct)).Single();
        return TypedResults.Created($"/api/handovers/{handover.Id}", view);
    }

    private static async Task<IResult> List(string? teamId, string? since, ClaimsPrincipal user, HelpdeskDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var me = user.StaffId()!.Value;
        var errors = new Dictionary<string, string[]>();
        int? team = null;
        if (!string.IsNullOrWhiteSpace(teamId))
        {
            if (!int.TryParse(teamId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) errors["teamId"] = [$"'{teamId}' is not a team id."];
            else if (!await db.Teams.AnyAsync(t => t.Id == id, ct)) errors["teamId"] = [$"There is no team {id}."];
            else team = id;
        }
        var from = clock.GetUtcNow().UtcDateTime - DefaultListWindow;
        if (!string.IsNullOrWhiteSpace(since))
        {
            if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s)) from = s.UtcDateTime;
            else errors["since"] = [$"'{since}' is not a date and time (ISO 8601)."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var query = db.Handovers.AsNoTracking().Where(h => h.SubmittedAt >= from);
        if (!TicketAccess.SeesEverything(user))
        {
            var mine = (await TeamsOfAsync(db, me, ct)).Select(t => t.Id).ToList();
            if (team is { } asked && !mine.Contains(asked))
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                    detail: $"You are not in team {asked}; its handovers are for its members and the supervisors.");
            query = query.Where(h => mine.Contains(h.TeamId));
        }
        if (team is { } only) query = query.Where(h => h.TeamId == only);
        return TypedResults.Ok(await ViewsAsync(db, query, me, ct));
    }

    private static async Task<IResult> MarkRead(string id, ClaimsPrincipal user, HelpdeskDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
            return Invalid("id", $"'{id}' is not a handover id.");
        var me = user.StaffId()!.Value;
        var handover = await db.Handovers.AsNoTracking().SingleOrDefaultAsync(h => h.Id == n, ct)
            ?? throw new NotFoundException($"Handover {n} does not exist.");
        if (!TicketAccess.SeesEverything(user) && !await db.TeamMemberships.AnyAsync(m => m.UserId == me && m.TeamId == handover.TeamId, ct))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: $"Handover {n} is for another team.");
        if (!await db.HandoverReads.AnyAsync(r => r.HandoverId == n && r.StaffId == me, ct))
        {
            db.HandoverReads.Add(new HandoverRead { HandoverId = n, StaffId = me, StaffName = user.ToActor().Name, ReadAt = clock.GetUtcNow().UtcDateTime });
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException)
            {
                // The same person pressed twice at once: the unique index kept one, which is all "read" means.
                db.ChangeTracker.Clear();
                if (!await db.HandoverReads.AsNoTracking().AnyAsync(r => r.HandoverId == n && r.StaffId == me, ct)) throw;
            }
        }
        return TypedResults.Ok((await ViewsAsync(db, db.Handovers.Where(h => h.Id == n), me, ct)).Single());
    }

    private static async Task<List<HandoverTeam>> TeamsOfAsync(HelpdeskDbContext db, Guid staffId, CancellationToken ct) =>
        await (from m in db.TeamMemberships
               join t in db.Teams on m.TeamId equals t.Id
               where m.UserId == staffId
               orderby t.Id
               select new HandoverTeam(t.Id, t.Name, t.NameZh)).ToListAsync(ct);

    /// <summary>A handover belongs to one of the author's teams: the one asked for, or the only one.</summary>
    private static (int? Team, string? Error) ChooseTeam(string? asked, IReadOnlyList<HandoverTeam> teams, bool required)
    {
        if (!string.IsNullOrWhiteSpace(asked))
        {
            if (!int.TryParse(asked, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return (null, $"'{asked}' is not a team id.");
            return teams.Any(t => t.Id == id) ? (id, null) : (null, $"You are not in team {id}; hand over to one of your teams.");
        }
        if (teams.Count == 1) return (teams[0].Id, null);
        if (!required) return (null, null);
        return teams.Count == 0
            ? (null, "You are in no team, so there is no next shift to hand over to.")
            : (null, $"You are in {teams.Count} teams; say which one with 'teamId'.");
    }

    private static async Task<DateTime> ShiftStartAsync(HelpdeskDbContext db, Guid me, DateTime now, HandoverOptions options, CancellationToken ct)
    {
        var previous = await db.Handovers.Where(h => h.AuthorId == me).OrderByDescending(h => h.SubmittedAt)
            .Select(h => (DateTime?)h.ShiftEnd).FirstOrDefaultAsync(ct);
        return HandoverRules.ShiftStart(previous, now, options.ShiftLength);
    }

    private static async Task<List<HandoverView>> ViewsAsync(HelpdeskDbContext db, IQueryable<ShiftHandover> query, Guid me, CancellationToken ct)
    {
        var handovers = await query.AsNoTracking().OrderByDescending(h => h.SubmittedAt).ThenByDescending(h => h.Id).Take(200).ToListAsync(ct);
        var ids = handovers.Select(h => h.Id).ToList();
        var reads = (await db.HandoverReads.AsNoTracking().Where(r => ids.Contains(r.HandoverId)).OrderBy(r => r.ReadAt).ToListAsync(ct))
            .ToLookup(r => r.HandoverId);
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, ct);
        return handovers.Select(h => new HandoverView(h.Id, h.AuthorId, h.AuthorName, h.TeamId,
            teams.GetValueOrDefault(h.TeamId)?.Name ?? "", teams.GetValueOrDefault(h.TeamId)?.NameZh ?? "",
            h.ShiftStart, h.ShiftEnd, h.SubmittedAt, h.Text, HandoverDrafts.Deserialize(h.ItemsJson),
            reads[h.Id].Any(r => r.StaffId == me), reads[h.Id].Select(r => new HandoverReader(r.StaffId, r.StaffName, r.ReadAt)).ToList())).ToList();
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
