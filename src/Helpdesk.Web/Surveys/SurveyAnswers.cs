using Helpdesk.Core.Surveys;
using Helpdesk.Core.Tickets;
using Helpdesk.Core.Triage;
using Helpdesk.Data;
using Helpdesk.Web.Triage;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Surveys;

/// <summary>A survey answer refused: the page or problem says why, and nothing was recorded.</summary>
public sealed class SurveyRefusedException(string code, int status, string message, string? language = null) : Exception(message)
{
    public string Code { get; } = code;
    public int Status { get; } = status;
    /// <summary>The survey's language when the token was genuine.</summary>
    public string? Language { get; } = language;
}

/// <summary>The survey a genuine, current token opens.</summary>
public sealed record OpenedSurvey(Survey Survey, SurveyWindow Window);

/// <summary>
/// Records a customer's answer: the token must be genuine, the survey the ticket's latest, the link
/// not expired and the answer not locked; the score 1–5. The answer and the ticket's move to
/// FeedbackReceived commit together; the grade and the follow-up follow from the events.
/// </summary>
public sealed class SurveyAnswers(HelpdeskDbContext db, SurveyTokens tokens, TriageRuleStore triage, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Opens the survey of a token for display; throws <see cref="SurveyRefusedException"/> when it may not be answered.</summary>
    public async Task<OpenedSurvey> OpenAsync(string token, CancellationToken ct)
    {
        var payload = tokens.Read(token) ?? throw new SurveyRefusedException("invalid", 400, "The survey link is not valid.");
        var survey = await db.Surveys.SingleOrDefaultAsync(s => s.Id == payload.SurveyId, ct);
        if (survey is null || survey.TicketId != payload.TicketId || survey.Nonce != payload.Nonce)
            throw new SurveyRefusedException("invalid", 400, "The survey link is not valid.");
        if (await db.Surveys.AnyAsync(s => s.TicketId == survey.TicketId && s.Id > survey.Id, ct))
            throw new SurveyRefusedException("superseded", 410, "A newer survey was issued for this ticket.", survey.Language);
        if (SurveyRules.CheckWindow(survey.IssuedAt, survey.AnsweredAt, Now) is { } refusal)
            throw new SurveyRefusedException(refusal.Code == "survey_expired" ? "expired" : "locked",
                refusal.Code == "survey_expired" ? 410 : 409, refusal.Message, survey.Language);
        var status = await db.Tickets.Where(t => t.Id == survey.TicketId).Select(t => t.Status).SingleAsync(ct);
        if (status is not (TicketStatus.Resolved or TicketStatus.FeedbackReceived))
            throw new SurveyRefusedException("closed", 409, $"The ticket is {status}; it cannot be rated now.", survey.Language);
        return new OpenedSurvey(survey, SurveyRules.WindowAt(survey.IssuedAt, survey.AnsweredAt, Now));
    }

    /// <summary>Records the answer; returns the stored survey. Content errors throw <see cref="SurveyAnswerInvalidException"/>.</summary>
    public async Task<Survey> SubmitAsync(string token, int? score, bool? solved, string? comment, CancellationToken ct)
    {
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        for (var attempt = 1; ; attempt++)
        {
            var (survey, _) = await OpenAsync(token, ct);
            if (SurveyRules.CheckAnswer(score, solved, comment) is { } invalid)
                throw new SurveyAnswerInvalidException(invalid, survey.Language);
            var ticket = await db.Tickets.SingleAsync(t => t.Id == survey.TicketId, ct);
            var changed = survey.IsAnswered;
            var followUpExists = await db.FollowUpTasks.AnyAsync(f => f.SurveyId == survey.Id, ct);
            ticket.RecordSurveyAnswer(survey.Id, score!.Value, solved!.Value, changed, followUpExists,
                Actor.Customer(ticket.CustomerId, "customer"), Now);
            survey.Score = score;
            survey.Solved = solved;
            if (comment != survey.Comment)
                survey.CommentSentiment = comment is null ? null : (await triage.CurrentAsync(ct)).Classify(new TriageInput(comment)).Sentiment;
            survey.Comment = comment;
            if (changed) survey.ChangedAt = Now; else survey.AnsweredAt = Now;
            survey.Version++;
            try
            {
                await db.SaveChangesAsync(ct);
                return survey;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // Another answer (a second tab) or a ticket change came first: decide again on fresh rows.
                db.ChangeTracker.Clear();
            }
        }
    }
}

/// <summary>The answer itself is wrong (score out of range, solved missing, comment too long): 400.</summary>
public sealed class SurveyAnswerInvalidException(SurveyRefusal refusal, string language) : Exception(refusal.Message)
{
    public SurveyRefusal Refusal { get; } = refusal;
    public string Language { get; } = language;
}
