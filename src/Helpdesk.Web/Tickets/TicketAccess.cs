using System.Security.Claims;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Data.Identity;
using Helpdesk.Web.Identity;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Tickets;

/// <summary>
/// Who may see a conversation: supervisors and admins all; an agent the tickets they hold and
/// those of their teams. A widget visitor only their own chats (checked by the chat feature).
/// </summary>
public sealed class TicketAccess(HelpdeskDbContext db)
{
    public static bool SeesEverything(ClaimsPrincipal user) =>
        user.IsInRole(StaffRoles.Supervisor) || user.IsInRole(StaffRoles.Admin);

    public async Task<bool> StaffMayAccessAsync(ClaimsPrincipal user, Ticket ticket, CancellationToken ct)
    {
        if (SeesEverything(user)) return true;
        if (!user.IsInRole(StaffRoles.Agent) || user.StaffId() is not { } agentId) return false;
        if (ticket.AssigneeId == agentId) return true;
        return ticket.TeamId is { } team && await db.TeamMemberships.AnyAsync(m => m.UserId == agentId && m.TeamId == team, ct);
    }
}
