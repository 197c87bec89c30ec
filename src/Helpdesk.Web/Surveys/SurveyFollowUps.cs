using Helpdesk.Core.Surveys;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Surveys;

/// <summary>
/// An unhappy answer (≤ 2 stars or not solved) gives a supervisor a follow-up call to make (回访).
/// The same event enters the escalation ladder (<see cref="LowScoreEscalationListener"/>).
/// </summary>
public sealed class SurveyFollowUpListener(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SurveyFollowUpListener> log) : ITicketEventListener
{
    public async Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        if (e is not LowSurveyScoreReceived low)
            return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        if (await db.FollowUpTasks.AnyAsync(f => f.SurveyId == low.SurveyId, ct))
            return;
        db.FollowUpTasks.Add(new FollowUpTask
        {
            TicketId = low.Ticket.Id,
            TicketNumber = low.Ticket.Number,
            SurveyId = low.SurveyId,
            AgentId = low.Ticket.AssigneeId,
            TeamId = low.Ticket.TeamId,
            Score = low.Score,
            Solved = low.Solved,
            Reason = SurveyRules.FollowUpReason(low.Score, low.Solved),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            log.LogInformation("Follow-up of survey {SurveyId} already exists", low.SurveyId);
        }
    }
}

/// <summary>
/// An unhappy answer enters the escalation ladder of the ticket's SLA policy (level 2: supervisors
/// told live and by mail), even on a resolved ticket; the ladder records it once per ticket.
/// </summary>
public sealed class LowScoreEscalationListener(IServiceScopeFactory scopes) : ITicketEventListener
{
    public async Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        if (e is not LowSurveyScoreReceived low)
            return;
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Escalation.EscalationService>()
            .RaiseAsync(low.Ticket.Id, Helpdesk.Core.Escalation.EscalationTrigger.LowSurveyScore(low.Score), ct);
    }
}

/// <summary>Each answer recomputes the agent's rolling CSAT grade (业务等级), stored for the console and reports.</summary>
public sealed class AgentGradeListener(IServiceScopeFactory scopes) : ITicketEventListener
{
    public async Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        if (e is not SurveyAnswered answered)
            return;
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AgentGrades>().RecomputeForSurveyAsync(answered.SurveyId, ct);
    }
}

public sealed class AgentGrades(HelpdeskDbContext db, TimeProvider clock)
{
    public async Task<AgentCsatGrade?> RecomputeForSurveyAsync(long surveyId, CancellationToken ct)
    {
        var agentId = await db.Surveys.Where(s => s.Id == surveyId).Select(s => s.AgentId).SingleOrDefaultAsync(ct);
        return agentId is { } id ? await RecomputeAsync(id, ct) : null;
    }

    /// <summary>CSAT of the answers to the agent's surveys issued in the last 90 days (<see cref="AgentGrading"/>).</summary>
    public async Task<AgentCsatGrade> RecomputeAsync(Guid agentId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now - AgentGrading.Window;
        var scores = await db.Surveys.Where(s => s.AgentId == agentId && s.IssuedAt >= since && s.Score != null)
            .Select(s => new SurveyFact(s.IssuedAt, s.Score)).ToListAsync(ct);
        var figures = CsatMath.Compute(scores);
        var grade = await db.AgentCsatGrades.SingleOrDefaultAsync(g => g.AgentId == agentId, ct);
        if (grade is null) db.AgentCsatGrades.Add(grade = new AgentCsatGrade { AgentId = agentId });
        grade.Answers = figures.Answered;
        grade.Satisfied = figures.Satisfied;
        grade.Csat = figures.Csat ?? 0;
        grade.AverageScore = figures.AverageScore ?? 0;
        grade.Grade = AgentGrading.Grade(figures.Answered, figures.Csat);
        grade.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return grade;
    }
}
