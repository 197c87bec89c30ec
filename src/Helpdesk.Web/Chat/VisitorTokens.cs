using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Helpdesk.Web.Chat;

/// <summary>Who a widget visitor is: their random id, the site, and the host site's user id if verified.</summary>
public sealed record VisitorTicket(string VisitorId, string SiteKey, string? ExternalUserId);

/// <summary>
/// Signed, time-limited visitor tokens (ASP.NET Data Protection): the widget keeps one in
/// localStorage so the visitor's identity survives reloads; nobody can forge or alter one.
/// </summary>
public sealed class VisitorTokens(IDataProtectionProvider provider, TimeProvider clock)
{
    private readonly ITimeLimitedDataProtector _protector =
        provider.CreateProtector("Helpdesk.Chat.VisitorToken.v1").ToTimeLimitedDataProtector();

    public string Issue(VisitorTicket visitor, TimeSpan lifetime) =>
        _protector.Protect(JsonSerializer.Serialize(visitor), clock.GetUtcNow() + lifetime);

    public VisitorTicket? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token)) return null;
        try
        {
            var json = _protector.Unprotect(token, out var expires);
            return expires < clock.GetUtcNow() ? null : JsonSerializer.Deserialize<VisitorTicket>(json);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}
