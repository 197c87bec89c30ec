using System.Security.Cryptography;
using System.Text;

namespace Helpdesk.Core.Chat;

/// <summary>
/// A host site that knows its signed-in user proves it with HMAC-SHA256(secret, userId) in hex
/// (Intercom/Chatwoot "identity verification"), so a visitor cannot claim another user's id.
/// </summary>
public static class VisitorIdentity
{
    public static string ComputeUserHash(string userId, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(userId)));

    public static bool VerifyUserHash(string userId, string secret, string? hash)
    {
        if (string.IsNullOrEmpty(hash) || string.IsNullOrEmpty(secret)) return false;
        var expected = Encoding.ASCII.GetBytes(ComputeUserHash(userId, secret));
        var given = Encoding.ASCII.GetBytes(hash.Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
