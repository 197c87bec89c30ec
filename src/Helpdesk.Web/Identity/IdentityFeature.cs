using Helpdesk.Data;
using Helpdesk.Data.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Helpdesk.Web.Identity;

/// <summary>Staff identity: ASP.NET Core Identity with cookies, roles, lockout and antiforgery.</summary>
public static class IdentityFeature
{
    public const string AntiforgeryCookie = "XSRF-TOKEN";
    public const string AntiforgeryHeader = "X-XSRF-TOKEN";

    public static void AddStaffIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddIdentity<StaffUser, StaffRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.Password.RequiredLength = 8;
            })
            .AddEntityFrameworkStores<HelpdeskDbContext>()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>()
            .AddDefaultTokenProviders();

        // A disabled user's cookie stops working within a minute (the stamp changes on disable).
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "helpdesk.staff";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.LoginPath = "/signin/";
            o.AccessDeniedPath = "/signin/";
            // The API answers with status codes; only pages are redirected to the sign-in page.
            o.Events.OnRedirectToLogin = ctx => Deny(ctx, StatusCodes.Status401Unauthorized, "Sign in first.");
            o.Events.OnRedirectToAccessDenied = ctx => Deny(ctx, StatusCodes.Status403Forbidden, "Your role does not allow this.");
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.Staff, p => p.RequireRole(StaffRoles.Agent, StaffRoles.Supervisor, StaffRoles.Admin))
            .AddPolicy(StaffPolicies.Supervisor, p => p.RequireRole(StaffRoles.Supervisor, StaffRoles.Admin))
            .AddPolicy(StaffPolicies.Admin, p => p.RequireRole(StaffRoles.Admin));

        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryHeader;
            o.Cookie.Name = "helpdesk.af";
        });
        builder.Services.AddScoped<AntiforgeryFilter>();
    }

    public static void MapStaffIdentity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAuthApi();
        app.MapStaffAdminApi();
        app.MapStaffDirectoryApi();
    }

    private static Task Deny(RedirectContext<CookieAuthenticationOptions> ctx, int status, string detail)
    {
        if (!ctx.Request.Path.StartsWithSegments("/api") && !ctx.Request.Path.StartsWithSegments("/hubs") && !ctx.Request.Path.StartsWithSegments("/hangfire"))
        {
            ctx.Response.Redirect(ctx.RedirectUri);
            return Task.CompletedTask;
        }
        ctx.Response.StatusCode = status;
        var problems = ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = ctx.HttpContext,
            ProblemDetails = new ProblemDetails { Status = status, Title = status == 401 ? "Unauthorized" : "Forbidden", Detail = detail },
        }).AsTask();
    }
}
