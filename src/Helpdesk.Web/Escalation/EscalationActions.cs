using Hangfire;
using Helpdesk.Core.Escalation;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Data.Identity;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Sla;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Escalation;

/// <summary>What the consoles hear about an escalation (hub method <c>Escalation</c>); they word it from the codes.</summary>
/// <param name="Kind">escalated, escalation_noted or deescalated.</param>
/// <param name="Audience">assignee, supervisors, admins, or ticket (everyone looking at it).</param>
public sealed record EscalationNotice(long TicketNumber, string Subject, string Kind, int FromLevel, int ToLevel, string Reason,
    string? Detail, string Audience, DateTime At);

/// <summary>
/// Performs the ladder's actions (Core decides, this does): on the ticket inside the SLA write
/// (timeline event, senior queue, priority), and after the commit the notices, live through
/// /hubs/chat to each person's console and by mail to supervisors and admins.
/// </summary>
public sealed class EscalationActions(HelpdeskDbContext db, IHubContext<ChatHub, IChatClient> hub, IBackgroundJobClient jobs,
    ILogger<EscalationActions> log)
{
    public async Task ApplyToTicketAsync(Ticket ticket, EscalationAction action, DateTime now, CancellationToken ct)
    {
        try
        {
            switch (action)
            {
                case RecordEscalationEvent e:
                    ticket.RecordEscalation(e.Kind, e.From, e.To, e.Reason, e.Detail, now);
                    break;
                case RaisePriority p when ticket.IsOpen && p.To > ticket.Priority:
                    ticket.Reprioritise(p.To, Actor.System, now);
                    break;
                case MoveToQueue m:
                    var queue = await db.Queues.Where(q => q.TeamId == ticket.TeamId && q.Key == m.QueueKey).Select(q => (int?)q.Id).FirstOrDefaultAsync(ct);
                    if (queue is null)
                        log.LogInformation("Ticket {Number}: team {TeamId} has no queue '{Queue}' to move the escalated ticket to", ticket.Number, ticket.TeamId, m.QueueKey);
                    else if (queue != ticket.QueueId && ticket.IsOpen)
                        ticket.Assign(ticket.AssigneeId, ticket.TeamId, Actor.System, now, queue);
                    break;
            }
        }
        catch (TicketRuleException e)
        {
            // A merged or archived ticket keeps its state; the escalation is still stored on it.
            log.LogInformation("Ticket {Number}: escalation step {Action} skipped: {Reason}", ticket.Number, action.GetType().Name, e.Message);
        }
    }

    public async Task NotifyAsync(SlaRow row, EscalationState state, IReadOnlyList<EscalationAction> actions, CancellationToken ct)
    {
        var recorded = actions.OfType<RecordEscalationEvent>().LastOrDefault();
        if (recorded is null) return;
        var kind = recorded.Kind switch
        {
            EscalationEventKind.Escalated => "escalated",
            EscalationEventKind.Noted => "escalation_noted",
            _ => "deescalated",
        };
        EscalationNotice Notice(string audience, string reason, string? detail) =>
            new(row.Number, row.Title, kind, (int)recorded.From, (int)recorded.To, reason, detail, audience, recorded.At.UtcDateTime);

        await hub.Clients.Group(ChatGroups.Staff(row.Number)).Escalation(Notice("ticket", recorded.Reason, recorded.Detail));
        foreach (var action in actions)
            switch (action)
            {
                case NotifyAssignee a when row.AssigneeId is { } assignee:
                    await hub.Clients.Group(ChatGroups.Agent(assignee)).Escalation(Notice("assignee", a.Reason, a.Detail));
                    break;
                case NotifySupervisors s:
                    var supervisors = await StaffAsync(StaffRoles.Supervisor, row.TeamId, ct);
                    if (s.Live)
                        foreach (var person in supervisors)
                            await hub.Clients.Group(ChatGroups.Agent(person.Id)).Escalation(Notice("supervisors", s.Reason, s.Detail));
                    if (s.Email)
                        foreach (var person in supervisors.Where(p => !string.IsNullOrWhiteSpace(p.Email)))
                            jobs.Enqueue<StaffNotificationMailJob>(j => j.RunAsync(row.Id, (int)recorded.To, s.Reason, s.Detail, person.Email!, CancellationToken.None));
                    break;
                case NotifyAdmins n:
                    foreach (var person in await StaffAsync(StaffRoles.Admin, null, ct))
                    {
                        await hub.Clients.Group(ChatGroups.Agent(person.Id)).Escalation(Notice("admins", n.Reason, n.Detail));
                        if (!string.IsNullOrWhiteSpace(person.Email))
                            jobs.Enqueue<StaffNotificationMailJob>(j => j.RunAsync(row.Id, (int)recorded.To, n.Reason, n.Detail, person.Email!, CancellationToken.None));
                    }
                    break;
            }
    }

    private sealed record Person(Guid Id, string? Email);

    // Per scope (a batch of timers that came due together): who to tell is asked once per team and role.
    private readonly Dictionary<(string Role, int? TeamId), List<Person>> _staff = [];

    /// <summary>Active staff of a role; for a team, those in it (all of the role when the team has none).</summary>
    private async Task<List<Person>> StaffAsync(string role, int? teamId, CancellationToken ct)
    {
        if (_staff.TryGetValue((role, teamId), out var known)) return known;
        var found = await QueryStaffAsync(role, teamId, ct);
        _staff[(role, teamId)] = found;
        return found;
    }

    private async Task<List<Person>> QueryStaffAsync(string role, int? teamId, CancellationToken ct)
    {
        var inRole = from u in db.Users
                     join ur in db.UserRoles on u.Id equals ur.UserId
                     join r in db.Roles on ur.RoleId equals r.Id
                     where r.Name == role && !u.IsDisabled
                     select u;
        var all = await inRole.Select(u => new { u.Id, u.Email, InTeam = teamId != null && db.TeamMemberships.Any(m => m.UserId == u.Id && m.TeamId == teamId) })
            .AsNoTracking().ToListAsync(ct);
        var chosen = all.Any(p => p.InTeam) ? all.Where(p => p.InTeam) : all;
        return chosen.Select(p => new Person(p.Id, p.Email)).Distinct().ToList();
    }
}
