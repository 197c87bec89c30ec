using System.Globalization;
using System.Security.Claims;
using Helpdesk.Core.Surveys;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Surveys;

/// <summary>The customer's answer as JSON (the widget, the enhanced survey page).</summary>
public sealed record SurveyAnswerRequest(string? Token, int? Score, bool? Solved, string? Comment);

public sealed record SurveyAnswerView(long TicketNumber, int Score, bool Solved, string? Comment, DateTime AnsweredAt, DateTime ChangeableUntil);

public sealed record FollowUpView(long Id, long TicketNumber, long SurveyId, Guid? AgentId, string? AgentName, int? TeamId,
    int Score, bool Solved, string Reason, string? Comment, double? CommentSentiment, DateTime CreatedAt, DateTime? DoneAt, string? DoneBy, string? DoneNote);

public sealed record FollowUpDoneRequest(string? Note);

public sealed record AgentGradeView(Guid AgentId, string? AgentName, int Answers, int Satisfied, double Csat, double AverageScore, string Grade, DateTime UpdatedAt);

/// <summary>/api/surveys: answers (anonymous, by token), follow-ups (回访) and agent grades for supervisors.</summary>
public static class SurveysApi
{
    public static void MapSurveysApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/surveys/answer", Answer).WithTags("Surveys").WithName("AnswerSurvey")
            .AllowAnonymous().RequireCors(WidgetApi.CorsPolicy).DisableAntiforgery()
            .RequireRateLimiting(Infrastructure.PlatformFeature.WidgetRateLimit)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone);

        var staff = routes.MapGroup("/api/surveys").WithTags("Surveys").RequireAuthorization(StaffPolicies.Supervisor)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        staff.MapGet("/follow-ups", FollowUps).WithName("ListSurveyFollowUps");
        staff.MapPost("/follow-ups/{id:long}/done", Done).WithName("CompleteSurveyFollowUp")
            .AddEndpointFilter<AntiforgeryFilter>().ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapGet("/grades", Grades).WithName("ListAgentGrades");
    }

    private static async Task<Results<Ok<SurveyAnswerView>, ProblemHttpResult, ValidationProblem>> Answer(
        SurveyAnswerRequest body, SurveyAnswers answers, CancellationToken ct)
    {
        try
        {
            var s = await answers.SubmitAsync(body.Token ?? "", body.Score, body.Solved, body.Comment, ct);
            return TypedResults.Ok(new SurveyAnswerView(s.TicketNumber, s.Score!.Value, s.Solved!.Value, s.Comment, s.AnsweredAt!.Value, s.AnsweredAt.Value + SurveyRules.ChangeWindow));
        }
        catch (SurveyRefusedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: e.Status, title: "The survey cannot be answered",
                extensions: new Dictionary<string, object?> { ["code"] = e.Code });
        }
        catch (SurveyAnswerInvalidException e)
        {
            var field = e.Refusal.Code switch { "solved_required" => "solved", "comment_too_long" => "comment", _ => "score" };
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [e.Message] },
                extensions: new Dictionary<string, object?> { ["code"] = e.Refusal.Code });
        }
    }

    private static async Task<Ok<List<FollowUpView>>> FollowUps(bool? open, HelpdeskDbContext db, CancellationToken ct)
    {
        var rows = await (from f in db.FollowUpTasks
                          join s in db.Surveys on f.SurveyId equals s.Id
                          join u in db.Users on f.AgentId equals u.Id into agents
                          from u in agents.DefaultIfEmpty()
                          where open == null || (open == true ? f.DoneAt == null : f.DoneAt != null)
                          orderby f.Id descending
                          select new FollowUpView(f.Id, f.TicketNumber, f.SurveyId, f.AgentId, u == null ? null : u.DisplayName, f.TeamId, f.Score, f.Solved,
                              f.Reason, s.Comment, s.CommentSentiment, f.CreatedAt, f.DoneAt, f.DoneBy, f.DoneNote)).Take(500).ToListAsync(ct);
        return TypedResults.Ok(rows);
    }

    private static async Task<Results<NoContent, NotFound<ProblemDetails>, ValidationProblem>> Done(long id, FollowUpDoneRequest body,
        ClaimsPrincipal user, HelpdeskDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (body.Note is { Length: > 2000 })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = ["The note may have at most 2000 characters."] });
        var task = await db.FollowUpTasks.SingleOrDefaultAsync(f => f.Id == id, ct);
        if (task is null)
            return TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Not found", Detail = $"Follow-up {id} does not exist." });
        if (task.DoneAt is null)
        {
            task.DoneAt = clock.GetUtcNow().UtcDateTime;
            task.DoneBy = user.ToActor().Name;
            task.DoneNote = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim();
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<AgentGradeView>>> Grades(HelpdeskDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await (from g in db.AgentCsatGrades
                               join u in db.Users on g.AgentId equals u.Id into agents
                               from u in agents.DefaultIfEmpty()
                               orderby g.Csat descending
                               select new AgentGradeView(g.AgentId, u == null ? null : u.DisplayName, g.Answers, g.Satisfied, g.Csat, g.AverageScore, g.Grade, g.UpdatedAt))
            .ToListAsync(ct));
}
