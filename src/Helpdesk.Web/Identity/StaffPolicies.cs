using System.Security.Claims;
using Helpdesk.Core.Tickets;
using Helpdesk.Data.Identity;

namespace Helpdesk.Web.Identity;

public static class StaffPolicies
{
    public const string Staff = "staff";
    public const string Supervisor = "supervisor";
    public const string Admin = "admin";

    public const string DisplayNameClaim = "display_name";

    public static Guid? StaffId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static Actor ToActor(this ClaimsPrincipal user) =>
        Actor.Staff(user.StaffId() ?? throw new InvalidOperationException("Not a staff user."),
            user.FindFirstValue(DisplayNameClaim) ?? user.Identity?.Name ?? "staff");

    internal static readonly string[] StaffRoleNames = [StaffRoles.Agent, StaffRoles.Supervisor, StaffRoles.Admin];
}
