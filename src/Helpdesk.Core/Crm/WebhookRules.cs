using System.Security.Cryptography;
using System.Text;

namespace Helpdesk.Core.Crm;

/// <summary>
/// X-Helpdesk-Signature: "sha256=" + hex HMAC-SHA256 over "{timestamp}.{deliveryId}.{body}", so a
/// captured body cannot be replayed under another delivery id or time.
/// </summary>
public static class WebhookSignature
{
    public static string Sign(string secret, long timestamp, Guid deliveryId, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{deliveryId}.{body}"));
        return "sha256=" + Convert.ToHexStringLower(mac);
    }

    public static bool Verify(string secret, long timestamp, Guid deliveryId, string body, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Sign(secret, timestamp, deliveryId, body)), Encoding.ASCII.GetBytes(header));
}

/// <summary>When a failed delivery is tried again: exponential backoff, given up once the window (24 h) is spent.</summary>
public static class WebhookRetry
{
    /// <summary>The time of the next try after <paramref name="attempts"/> failed ones, or null when the window is spent.</summary>
    public static DateTime? NextAttempt(int attempts, DateTime createdAt, DateTime now, TimeSpan first, TimeSpan max, TimeSpan window)
    {
        var next = now + Email.Backoff.Delay(attempts, first, max);
        return next - createdAt > window ? null : next;
    }
}

/// <summary>流失风险: raised by 2 or more complaints in 30 days or a survey score of 2 or less.</summary>
public static class ChurnRules
{
    public static readonly TimeSpan ComplaintWindow = TimeSpan.FromDays(30);
    public const int ComplaintThreshold = 2;
    public const int LowSurveyScore = 2;

    /// <summary>The reason to flag, or null when nothing calls for it.</summary>
    public static string? ReasonFromComplaints(int complaintsInWindow) =>
        complaintsInWindow >= ComplaintThreshold ? $"{complaintsInWindow} complaints in 30 days" : null;

    public static string? ReasonFromSurvey(int score) =>
        score <= LowSurveyScore ? $"survey score {score}" : null;
}
