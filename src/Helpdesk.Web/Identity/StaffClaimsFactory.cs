using System.Security.Claims;
using Helpdesk.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Identity;

/// <summary>Adds the display name to the sign-in cookie, so messages and history name their author without a look-up.</summary>
internal sealed class StaffClaimsFactory(UserManager<StaffUser> users, RoleManager<StaffRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser, StaffRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(StaffPolicies.DisplayNameClaim, user.DisplayName));
        return identity;
    }
}
