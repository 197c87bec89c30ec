using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helpdesk.Data;
using Helpdesk.Data.Audit;
using Helpdesk.Web.Identity;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Audit;

/// <summary>
/// The audit entries of one request. A handler records what it changed just before it saves, so the
/// entry is written in the same SaveChanges (the same transaction) as the change; the
/// <see cref="AuditFilter"/> around the endpoint saves whatever is still pending once the handler
/// succeeded, and drops it when the handler refused or failed.
/// </summary>
public sealed class AuditTrail(HelpdeskDbContext db, TimeProvider clock, IHttpContextAccessor accessor)
{
    private readonly List<AuditEntry> _entries = [];

    private bool _unchanged;

    /// <summary>Something was recorded, or the handler said the request changed nothing (see <see cref="Unchanged"/>).</summary>
    public bool HasRecorded => _entries.Count > 0 || _unchanged;

    /// <summary>The request succeeded but changed nothing (the same values sent again): no entry, and no catch-all entry either.</summary>
    public void Unchanged() => _unchanged = true;

    /// <summary>Adds an entry to the request's unit of work. <paramref name="changes"/> is serialised to JSON with secrets redacted.</summary>
    public AuditEntry Record(string action, string targetType, object? targetId, object? changes = null)
    {
        var http = accessor.HttpContext;
        var user = http?.User;
        var entry = new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            ActorId = user?.StaffId(),
            ActorName = Clip(user?.Identity?.IsAuthenticated == true ? user.ToActor().Name : "anonymous", 200),
            Action = action,
            TargetType = targetType,
            TargetId = targetId is null ? null : Clip(Convert.ToString(targetId, System.Globalization.CultureInfo.InvariantCulture)!, 100),
            Changes = AuditDetails.ToJson(changes),
            RemoteIp = ClientAddress(http),
            Method = http?.Request.Method ?? "",
            Route = Clip("/" + ((http?.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http?.Request.Path.Value ?? "").TrimStart('/'), 300),
        };
        db.AuditEntries.Add(entry);
        _entries.Add(entry);
        return entry;
    }

    /// <summary>Saves the entries the handler's own save did not take with it (recorded after it, or cleared from the tracker by a retry).</summary>
    internal async Task FlushAsync(CancellationToken ct)
    {
        var pending = false;
        foreach (var entry in _entries.Where(e => e.Id == 0))
        {
            if (db.Entry(entry).State == EntityState.Detached) db.AuditEntries.Add(entry);
            pending = true;
        }
        if (pending) await db.SaveChangesAsync(ct);
    }

    /// <summary>The change did not happen: its entries must not be saved by a later SaveChanges of this request.</summary>
    internal void Discard()
    {
        foreach (var entry in _entries)
            if (db.Entry(entry).State == EntityState.Added) db.Entry(entry).State = EntityState.Detached;
        _entries.Clear();
    }

    /// <summary>The client's address as the app sees it (after a trusted proxy's X-Forwarded-For, see ForwardedHeadersSetup).</summary>
    internal static string? ClientAddress(HttpContext? http)
    {
        var address = http?.Connection.RemoteIpAddress;
        if (address is null) return null;
        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}

/// <summary>
/// The "what changed" JSON: camelCase, compact, and with the value of any property whose name says
/// it holds a secret (password, secret, token, key, hash) replaced by "[redacted]", so a handler
/// that passes a whole request by mistake still stores no secret.
/// </summary>
public static class AuditDetails
{
    public const string Redacted = "[redacted]";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
    private static readonly string[] SecretWords = ["password", "secret", "token", "apikey", "hash"];

    public static bool IsSecretName(string name)
    {
        var n = name.Replace("_", "").Replace("-", "");
        return n.Equals("key", StringComparison.OrdinalIgnoreCase) || SecretWords.Any(w => n.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A URL without user info, query or fragment: webhook receivers often carry a token there.</summary>
    public static string? SafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : null;

    public static string? ToJson(object? changes)
    {
        if (changes is null) return null;
        var node = JsonSerializer.SerializeToNode(changes, Json);
        Redact(node);
        var text = node?.ToJsonString(Json);
        if (text is null || text.Length <= Helpdesk.Data.Configuration.AuditLimits.ChangesMax) return text;
        // Still JSON, still readable: the start of it as one string.
        return JsonSerializer.Serialize(new { truncated = text[..(Helpdesk.Data.Configuration.AuditLimits.ChangesMax - 100)] }, Json);
    }

    private static void Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (IsSecretName(name) && o[name] is not null) o[name] = Redacted;
                    else Redact(o[name]);
                }
                break;
            case JsonArray a:
                foreach (var item in a) Redact(item);
                break;
        }
    }
}
