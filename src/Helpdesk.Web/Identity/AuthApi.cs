using System.Security.Claims;
using Helpdesk.Data.Identity;
using Helpdesk.Web.Data;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Identity;

public sealed record SignInRequest(string? Email, string? Password, bool RememberMe);

public sealed record SessionInfo(bool SignedIn, Guid? Id, string? Email, string? DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<int> TeamIds);

/// <summary>/api/auth: sign in, sign out, and who am I (which also hands out the antiforgery token).</summary>
public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/auth").WithTags("Sign-in").AllowAnonymous();
        api.MapGet("/session", Session).WithName("GetSession");
        api.MapPost("/sign-in", SignIn).WithName("SignIn").AddEndpointFilter<AntiforgeryFilter>()
            .RequireRateLimiting(PlatformFeature.SignInRateLimit)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("/sign-out", SignOut).WithName("SignOut").AddEndpointFilter<AntiforgeryFilter>();
        return api;
    }

    private static async Task<Ok<SessionInfo>> Session(HttpContext http, UserManager<StaffUser> users, IAntiforgery antiforgery)
    {
        IssueAntiforgeryToken(http, antiforgery);
        return TypedResults.Ok(await DescribeAsync(http.User, users));
    }

    private static async Task<Results<Ok<SessionInfo>, ValidationProblem, ProblemHttpResult>> SignIn(SignInRequest body, HttpContext http,
        SignInManager<StaffUser> signIn, UserManager<StaffUser> users, IAntiforgery antiforgery, IOptions<DemoOptions> demo)
    {
        var v = new RequestValidation().Text("email", body.Email, 256).Text("password", body.Password, 200);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);

        var user = await users.FindByEmailAsync(body.Email!.Trim());
        if (user is null || (!demo.Value.Enabled && DemoSeeder.IsDemoAccount(user.Email)))
            return Refused("invalid_credentials", "The email or password is wrong.");
        if (user.IsDisabled)
            return Refused("disabled", "This account is disabled. Ask an administrator.");

        var result = await signIn.PasswordSignInAsync(user, body.Password!, body.RememberMe, lockoutOnFailure: true);
        if (result.IsLockedOut)
            return Refused("locked_out", "Too many failed attempts: the account is locked for 15 minutes.");
        if (!result.Succeeded)
            return Refused("invalid_credentials", "The email or password is wrong.");

        // The antiforgery token is bound to the user: hand out the signed-in one at once.
        http.User = await signIn.CreateUserPrincipalAsync(user);
        IssueAntiforgeryToken(http, antiforgery);
        return TypedResults.Ok(await DescribeAsync(http.User, users));
    }

    private static async Task<NoContent> SignOut(HttpContext http, SignInManager<StaffUser> signIn, IAntiforgery antiforgery)
    {
        await signIn.SignOutAsync();
        http.User = new ClaimsPrincipal(new ClaimsIdentity());
        IssueAntiforgeryToken(http, antiforgery);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult Refused(string code, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in refused",
            extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>Puts the request token in a cookie the page's script can read and echo in X-XSRF-TOKEN.</summary>
    internal static void IssueAntiforgeryToken(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        http.Response.Cookies.Append(IdentityFeature.AntiforgeryCookie, tokens.RequestToken!,
            new CookieOptions { HttpOnly = false, SameSite = SameSiteMode.Strict, Path = "/" });
    }

    private static async Task<SessionInfo> DescribeAsync(ClaimsPrincipal principal, UserManager<StaffUser> users)
    {
        if (principal.StaffId() is not { } id)
            return new SessionInfo(false, null, null, null, [], []);
        var user = await users.Users.Include(u => u.Teams).SingleOrDefaultAsync(u => u.Id == id);
        if (user is null)
            return new SessionInfo(false, null, null, null, [], []);
        var roles = await users.GetRolesAsync(user);
        return new SessionInfo(true, user.Id, user.Email, user.DisplayName, roles.ToList(), user.Teams.Select(t => t.TeamId).ToList());
    }
}
