using Helpdesk.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Identity;

public sealed record QueueInfo(int Id, string Key, string Name, string NameZh, bool IsComplaintQueue);
public sealed record TeamInfo(int Id, string Key, string Name, string NameZh, IReadOnlyList<QueueInfo> Queues);
public sealed record StaffMember(Guid Id, string DisplayName, IReadOnlyList<int> TeamIds);

/// <summary>/api/teams and /api/staff: who and what a ticket can be assigned to.</summary>
public static class StaffDirectoryApi
{
    public static void MapStaffDirectoryApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").WithTags("Directory").RequireAuthorization(StaffPolicies.Staff);
        api.MapGet("/teams", Teams).WithName("ListTeams");
        api.MapGet("/staff", Staff).WithName("ListActiveStaff");
    }

    private static async Task<Ok<List<TeamInfo>>> Teams(HelpdeskDbContext db, CancellationToken ct)
    {
        var teams = await db.Teams.AsNoTracking().Include(t => t.Queues).OrderBy(t => t.Id).ToListAsync(ct);
        return TypedResults.Ok(teams.Select(t => new TeamInfo(t.Id, t.Key, t.Name, t.NameZh,
            t.Queues.OrderBy(q => q.Id).Select(q => new QueueInfo(q.Id, q.Key, q.Name, q.NameZh, q.IsComplaintQueue)).ToList())).ToList());
    }

    private static async Task<Ok<List<StaffMember>>> Staff(HelpdeskDbContext db, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().Include(u => u.Teams).Where(u => !u.IsDisabled).OrderBy(u => u.DisplayName).ToListAsync(ct);
        return TypedResults.Ok(users.Select(u => new StaffMember(u.Id, u.DisplayName, u.Teams.Select(t => t.TeamId).ToList())).ToList());
    }
}
