using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;

namespace Helpdesk.Web.Surveys;

/// <summary>What a survey link carries: which survey of which ticket, its nonce, when it was issued.</summary>
public sealed record SurveyTokenPayload(
    [property: JsonPropertyName("s")] long SurveyId,
    [property: JsonPropertyName("t")] long TicketId,
    [property: JsonPropertyName("n")] string Nonce,
    [property: JsonPropertyName("i")] long IssuedAtUnix)
{
    public DateTime IssuedAt => DateTimeOffset.FromUnixTimeSeconds(IssuedAtUnix).UtcDateTime;
}

/// <summary>
/// Survey links signed and encrypted with ASP.NET Core Data Protection (keys in the database, so
/// every node reads every link). The expiry is checked against the app's <see cref="TimeProvider"/>
/// from the issue time inside the payload, not by <see cref="ITimeLimitedDataProtector"/>, whose own
/// check reads the machine clock: with it a FakeTimeProvider could not expire a link, and a clock
/// set in the past would expire them all. The 14-day rule itself is <c>SurveyRules.WindowAt</c>.
/// </summary>
public sealed class SurveyTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Helpdesk.Surveys.Token.v1");

    public string Issue(SurveyTokenPayload payload) => _protector.Protect(JsonSerializer.Serialize(payload));

    /// <summary>The payload of a genuine token; null for anything forged, altered or truncated.</summary>
    public SurveyTokenPayload? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 1000) return null;
        try
        {
            return JsonSerializer.Deserialize<SurveyTokenPayload>(_protector.Unprotect(token));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}
