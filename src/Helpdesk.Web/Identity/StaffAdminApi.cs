using System.Security.Claims;
using Helpdesk.Data;
using Helpdesk.Data.Identity;
using Helpdesk.Web.Audit;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Identity;

public sealed record StaffAccount(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<int> TeamIds, bool IsDisabled, DateTimeOffset? LockedOutUntil);

public sealed record CreateStaffRequest(string? Email, string? DisplayName, string? Password, List<string>? Roles, List<int>? TeamIds);

public sealed record UpdateStaffRequest(string? DisplayName, List<string>? Roles, List<int>? TeamIds, bool? Disabled);

/// <summary>/api/admin/staff: admins create staff users, disable them, set their roles and teams.</summary>
public static class StaffAdminApi
{
    public static RouteGroupBuilder MapStaffAdminApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/admin/staff").WithTags("Staff administration")
            .RequireAuthorization(StaffPolicies.Admin)
            .AddEndpointFilter<AntiforgeryFilter>()
            .Audited()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/", List).WithName("ListStaff");
        api.MapPost("/", Create).WithName("CreateStaff").ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/{id}", Update).WithName("UpdateStaff").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Ok<List<StaffAccount>>> List(UserManager<StaffUser> users, HelpdeskDbContext db, CancellationToken ct)
    {
        var all = await users.Users.Include(u => u.Teams).OrderBy(u => u.Email).ToListAsync(ct);
        var roleNames = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(ct);
        return TypedResults.Ok(all.Select(u => Describe(u, roleNames.Where(r => r.UserId == u.Id).Select(r => r.Name!).ToList())).ToList());
    }

    private static async Task<Results<Created<StaffAccount>, ValidationProblem, ProblemHttpResult>> Create(CreateStaffRequest body,
        UserManager<StaffUser> users, HelpdeskDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken ct)
    {
        var v = new RequestValidation().Text("email", body.Email, 256).Text("displayName", body.DisplayName, 100).Text("password", body.Password, 200);
        if (!string.IsNullOrWhiteSpace(body.Email) && !System.Net.Mail.MailAddress.TryCreate(body.Email, out _))
            v.Add("email", "'email' is not an email address.");
        await ValidateRolesAndTeams(v, body.Roles, body.TeamIds, db, ct, rolesRequired: true);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        if (await users.FindByEmailAsync(body.Email!.Trim()) is not null)
            return TypedResults.Problem($"A staff user with the email {body.Email} exists.", statusCode: 409, title: "Duplicate email");

        var user = new StaffUser
        {
            UserName = body.Email.Trim(), Email = body.Email.Trim(), EmailConfirmed = true, DisplayName = body.DisplayName!.Trim(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Teams = (body.TeamIds ?? []).Distinct().Select(t => new StaffTeamMembership { TeamId = t }).ToList(),
        };
        var created = await users.CreateAsync(user, body.Password!);
        if (!created.Succeeded)
            return TypedResults.ValidationProblem(IdentityErrors(created, "password"));
        // Saved with the roles below; never the password.
        audit.Record("staff.created", "staff", user.Id, new { email = user.Email, displayName = user.DisplayName,
            roles = body.Roles!.Distinct().Order(), teamIds = user.Teams.Select(t => t.TeamId).Order() });
        await users.AddToRolesAsync(user, body.Roles!.Distinct());
        return TypedResults.Created($"/api/admin/staff/{user.Id}", Describe(user, body.Roles!.Distinct().ToList()));
    }

    private static async Task<Results<Ok<StaffAccount>, ValidationProblem, ProblemHttpResult>> Update(string id,
        UpdateStaffRequest body, ClaimsPrincipal me, UserManager<StaffUser> users, HelpdeskDbContext db, AuditTrail audit, CancellationToken ct)
    {
        var v = new RequestValidation().Text("displayName", body.DisplayName, 100, required: false);
        var userId = v.Guid("id", id);
        if (string.IsNullOrWhiteSpace(id)) v.Add("id", "'id' is required.");
        await ValidateRolesAndTeams(v, body.Roles, body.TeamIds, db, ct, rolesRequired: false);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var user = await users.Users.Include(u => u.Teams).SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
            return TypedResults.Problem($"No staff user {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        var isMe = user.Id == me.StaffId();
        if (isMe && (body.Disabled == true || (body.Roles is not null && !body.Roles.Contains(StaffRoles.Admin))))
            return TypedResults.Problem("You cannot disable yourself or take away your own admin role.", statusCode: 409, title: "Refused");

        RecordChanges(audit, user, body, await users.GetRolesAsync(user));
        if (body.DisplayName is not null) user.DisplayName = body.DisplayName.Trim();
        if (body.TeamIds is not null)
        {
            user.Teams.RemoveAll(t => !body.TeamIds.Contains(t.TeamId));
            foreach (var team in body.TeamIds.Distinct().Where(t => user.Teams.All(m => m.TeamId != t)))
                user.Teams.Add(new StaffTeamMembership { UserId = user.Id, TeamId = team });
        }
        if (body.Disabled is { } disabled && disabled != user.IsDisabled)
        {
            user.IsDisabled = disabled;
            // A new stamp ends the sessions the user already has.
            await users.UpdateSecurityStampAsync(user);
        }
        await users.UpdateAsync(user);
        if (body.Roles is not null)
        {
            var current = await users.GetRolesAsync(user);
            await users.RemoveFromRolesAsync(user, current.Except(body.Roles));
            await users.AddToRolesAsync(user, body.Roles.Distinct().Except(current));
        }
        return TypedResults.Ok(Describe(user, (await users.GetRolesAsync(user)).ToList()));
    }

    /// <summary>One entry per kind of change, recorded before the user is saved so each goes out in the same save.</summary>
    private static void RecordChanges(AuditTrail audit, StaffUser user, UpdateStaffRequest body, IList<string> roles)
    {
        var changed = false;
        if (body.DisplayName is not null && body.DisplayName.Trim() != user.DisplayName)
        {
            audit.Record("staff.renamed", "staff", user.Id, new { email = user.Email, from = user.DisplayName, to = body.DisplayName.Trim() });
            changed = true;
        }
        var teamsBefore = user.Teams.Select(t => t.TeamId).Order().ToList();
        if (body.TeamIds is not null && !teamsBefore.SequenceEqual(body.TeamIds.Distinct().Order()))
        {
            audit.Record("staff.teams_changed", "staff", user.Id, new { email = user.Email, from = teamsBefore, to = body.TeamIds.Distinct().Order() });
            changed = true;
        }
        if (body.Roles is not null && !roles.Order().SequenceEqual(body.Roles.Distinct().Order()))
        {
            audit.Record("staff.roles_changed", "staff", user.Id, new { email = user.Email, from = roles.Order(), to = body.Roles.Distinct().Order() });
            changed = true;
        }
        if (body.Disabled is { } disabled && disabled != user.IsDisabled)
        {
            audit.Record(disabled ? "staff.disabled" : "staff.enabled", "staff", user.Id, new { email = user.Email });
            changed = true;
        }
        if (!changed) audit.Unchanged();
    }

    private static async Task ValidateRolesAndTeams(RequestValidation v, List<string>? roles, List<int>? teamIds, HelpdeskDbContext db, CancellationToken ct, bool rolesRequired)
    {
        if (roles is null || roles.Count == 0)
        {
            if (rolesRequired || roles is not null) v.Add("roles", $"Give at least one role of {string.Join(", ", StaffRoles.All)}.");
        }
        else if (roles.FirstOrDefault(r => !StaffRoles.All.Contains(r)) is { } unknown)
        {
            v.Add("roles", $"'{unknown}' is not one of {string.Join(", ", StaffRoles.All)}.");
        }
        if (teamIds is { Count: > 0 })
        {
            var known = await db.Teams.Where(t => teamIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(ct);
            // Not FirstOrDefault: team 0 would read as "none missing" and fail later as a 500.
            if (teamIds.Where(t => !known.Contains(t)).Select(t => (int?)t).FirstOrDefault() is { } missing)
                v.Add("teamIds", $"Team {missing} does not exist.");
        }
    }

    private static IDictionary<string, string[]> IdentityErrors(IdentityResult result, string field) =>
        new Dictionary<string, string[]> { [field] = result.Errors.Select(e => e.Description).ToArray() };

    private static StaffAccount Describe(StaffUser u, IReadOnlyList<string> roles) =>
        new(u.Id, u.Email!, u.DisplayName, roles, u.Teams.Select(t => t.TeamId).ToList(), u.IsDisabled,
            u.LockoutEnd is { } end && end > DateTimeOffset.UtcNow ? end : null);
}
