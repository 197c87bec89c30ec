using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Chat;

/// <summary>
/// Authenticates widget visitors by their visitor token: "Authorization: Bearer" on HTTP, the
/// access_token query value on the hub (browsers cannot set headers on WebSockets).
/// </summary>
public sealed class VisitorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, VisitorTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Visitor";
    public const string VisitorIdClaim = "visitor_id";
    public const string SiteKeyClaim = "site_key";
    public const string ExternalIdClaim = "external_user_id";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = null;
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal))
            token = header["Bearer ".Length..].Trim();
        else if (Request.Path.StartsWithSegments("/hubs"))
            token = Request.Query["access_token"];
        if (string.IsNullOrEmpty(token))
            return Task.FromResult(AuthenticateResult.NoResult());

        var visitor = tokens.Read(token);
        if (visitor is null)
            return Task.FromResult(AuthenticateResult.Fail("The visitor token is invalid or expired."));

        var claims = new List<Claim> { new(VisitorIdClaim, visitor.VisitorId), new(SiteKeyClaim, visitor.SiteKey) };
        if (visitor.ExternalUserId is not null) claims.Add(new Claim(ExternalIdClaim, visitor.ExternalUserId));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}

public static class VisitorPrincipal
{
    public static VisitorTicket? AsVisitor(this ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(VisitorAuthenticationHandler.VisitorIdClaim);
        var site = user.FindFirstValue(VisitorAuthenticationHandler.SiteKeyClaim);
        return id is null || site is null ? null : new VisitorTicket(id, site, user.FindFirstValue(VisitorAuthenticationHandler.ExternalIdClaim));
    }
}
