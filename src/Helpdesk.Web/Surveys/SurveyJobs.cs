using Helpdesk.Core.Surveys;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Surveys;

/// <summary>
/// The one reminder (issue 8: after 48 h without an answer). Scheduled by Hangfire per survey at
/// issue; a recurring sweep sends any that are due but whose job was lost (the in-memory store
/// forgets on restart). Both re-read the survey and act only if <see cref="SurveyRules.ReminderDue"/>
/// holds on the app's clock, so a reminder goes out once. Mail only: a chat visitor has left by then.
/// </summary>
public sealed class SurveyReminderJob(HelpdeskDbContext db, SurveyIssuer issuer, TimeProvider clock, ILogger<SurveyReminderJob> log)
{
    public async Task<bool> RunAsync(long surveyId, CancellationToken ct)
    {
        var survey = await db.Surveys.SingleOrDefaultAsync(s => s.Id == surveyId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (survey is null || !SurveyRules.ReminderDue(survey.IssuedAt, survey.AnsweredAt, survey.ReminderSentAt, now))
            return false;
        var ticket = await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == survey.TicketId, ct);
        if (ticket.Status != TicketStatus.Resolved || await db.Surveys.AnyAsync(s => s.TicketId == survey.TicketId && s.Id > survey.Id, ct))
            return false;
        // The claim first: a sweep and the scheduled job racing send one reminder.
        survey.ReminderSentAt = now;
        survey.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
        var invitation = await issuer.InvitationTextAsync(ticket, survey.Language, ct);
        var mail = await issuer.QueueMailAsync(ticket, survey, issuer.TokenFor(survey), invitation, reminder: true, ct);
        log.LogInformation("Survey {Id} of ticket {Number}: reminder {Result}", survey.Id, ticket.Number, mail is null ? "not sent (no address)" : "queued");
        return mail is not null;
    }

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var dueBefore = now - SurveyRules.ReminderAfter;
        var validAfter = now - SurveyRules.TokenLifetime;
        var due = await db.Surveys.Where(s => s.AnsweredAt == null && s.ReminderSentAt == null && s.IssuedAt <= dueBefore && s.IssuedAt > validAfter
                && s.Channel != TicketChannel.Chat)
            .OrderBy(s => s.Id).Select(s => s.Id).Take(500).ToListAsync(ct);
        var sent = 0;
        foreach (var id in due)
        {
            db.ChangeTracker.Clear();
            if (await RunAsync(id, ct)) sent++;
        }
        return sent;
    }
}

/// <summary>
/// Auto-archive (已归档, issue 8 point 3), a recurring Hangfire job on the app's clock: Resolved
/// tickets nobody answered the survey of, and FeedbackReceived tickets, after Surveys:ArchiveAfterDays
/// (counted from the resolution, and from the last answer respectively). Through the aggregate, so
/// history, timeline and StatusChanged are as for a person's archiving.
/// </summary>
public sealed class SurveyArchiveJob(HelpdeskDbContext db, TicketService tickets, IOptions<SurveyOptions> options, TimeProvider clock, ILogger<SurveyArchiveJob> log)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now.AddDays(-options.Value.ArchiveAfterDays);
        var resolved = await db.Tickets.Where(t => t.Status == TicketStatus.Resolved && t.ResolvedAt != null && t.ResolvedAt <= cutoff)
            .OrderBy(t => t.Id).Select(t => t.Number).Take(1000).ToListAsync(ct);
        var answered = await db.Tickets.Where(t => t.Status == TicketStatus.FeedbackReceived
                && (db.Surveys.Where(s => s.TicketId == t.Id && s.AnsweredAt != null).Max(s => (DateTime?)(s.ChangedAt ?? s.AnsweredAt)) ?? t.UpdatedAt) <= cutoff)
            .OrderBy(t => t.Id).Select(t => t.Number).Take(1000).ToListAsync(ct);
        var archived = 0;
        foreach (var number in resolved.Concat(answered))
        {
            try
            {
                db.ChangeTracker.Clear();
                await tickets.ChangeStatusAsync(number, TicketStatus.Archived, new Actor(ActorKind.System, null, "auto-archive"),
                    $"auto-archive after {options.Value.ArchiveAfterDays} days", null, ct);
                archived++;
            }
            catch (Exception e) when (e is TicketRuleException or DbUpdateException)
            {
                // Reopened or changed meanwhile: the next run looks again.
                log.LogInformation("Ticket {Number} not archived: {Reason}", number, e.Message);
            }
        }
        return archived;
    }
}
