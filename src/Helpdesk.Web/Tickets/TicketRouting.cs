using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Tickets;

/// <summary>Bound from "Tickets".</summary>
public sealed class TicketOptions
{
    public const string Section = "Tickets";
    /// <summary>Team key for tickets that arrive without one; complaints and after-sales matters go to the after-sales team.</summary>
    public string DefaultTeamKey { get; set; } = "pre-sales";
    public string AfterSalesTeamKey { get; set; } = "after-sales";
}

/// <summary>
/// Puts a new ticket in a team and queue when its creator did not: after-sales categories and
/// complaints go to after-sales, the rest to the default team; complaints to the complaint queue.
/// </summary>
public sealed class TicketRouting(HelpdeskDbContext db, IOptions<TicketOptions> options)
{
    public async Task<NewTicket> RouteAsync(NewTicket spec, CancellationToken ct)
    {
        var teamId = spec.TeamId;
        if (teamId is null)
        {
            var key = spec.Type == TicketType.Complaint || spec.Category != AfterSalesCategory.None
                ? options.Value.AfterSalesTeamKey
                : options.Value.DefaultTeamKey;
            teamId = await db.Teams.Where(t => t.Key == key).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct);
        }
        else if (!await db.Teams.AnyAsync(t => t.Id == teamId, ct))
        {
            throw new TicketRuleException("unknown_team", $"Team {teamId} does not exist.");
        }

        var queueId = await QueueForAsync(teamId, spec.QueueId, spec.Type, ct);
        return spec with { TeamId = teamId, QueueId = queueId };
    }

    /// <summary>The given queue if it belongs to the team, else the team's queue for this type of ticket.</summary>
    public async Task<int?> QueueForAsync(int? teamId, int? queueId, TicketType type, CancellationToken ct)
    {
        if (teamId is null)
            return null;
        if (queueId is not null)
        {
            if (!await db.Queues.AnyAsync(q => q.Id == queueId && q.TeamId == teamId, ct))
                throw new TicketRuleException("unknown_queue", $"Queue {queueId} does not belong to team {teamId}.");
            return queueId;
        }
        var complaint = type == TicketType.Complaint;
        return await db.Queues.Where(q => q.TeamId == teamId && q.IsComplaintQueue == complaint)
            .OrderBy(q => q.Id).Select(q => (int?)q.Id).FirstOrDefaultAsync(ct);
    }
}
