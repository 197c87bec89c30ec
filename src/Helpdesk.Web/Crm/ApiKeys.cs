using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Helpdesk.Core.Crm;
using Helpdesk.Data;
using Helpdesk.Web.Audit;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Crm;

/// <summary>
/// Keys look like "hdk_" + 8 characters (the prefix, stored in clear to find the row) + "_" + 43
/// characters of 256 random bits. Only SHA-256 of the whole key is stored; it is compared in
/// constant time.
/// </summary>
public static class ApiKeySecrets
{
    public static (string Key, string Prefix, byte[] Hash) Create()
    {
        var prefix = "hdk_" + Base64Url(RandomNumberGenerator.GetBytes(6));
        var key = prefix + "_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        return (key, prefix, Hash(key));
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string? PrefixOf(string key) => key.Length > 13 && key.StartsWith("hdk_", StringComparison.Ordinal) && key[12] == '_' ? key[..12] : null;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>X-Api-Key for /api/crm only: the key's scope becomes a claim the CRM policies check.</summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    HelpdeskDbContext db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string ScopeClaim = "crm_scope";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(key))
            return AuthenticateResult.NoResult();
        var prefix = ApiKeySecrets.PrefixOf(key);
        var row = prefix is null ? null : await db.ApiKeys.SingleOrDefaultAsync(k => k.Prefix == prefix, Context.RequestAborted);
        if (row is null || !CryptographicOperations.FixedTimeEquals(row.SecretHash, ApiKeySecrets.Hash(key)))
            return AuthenticateResult.Fail("The API key is not valid.");
        if (row.RevokedAt is not null)
            return AuthenticateResult.Fail("The API key was revoked.");
        var now = clock.GetUtcNow().UtcDateTime;
        // Written at most once a minute: a busy integration should not turn every read into a write.
        if (row.LastUsedAt is null || now - row.LastUsedAt > TimeSpan.FromMinutes(1))
            await db.ApiKeys.Where(k => k.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, row.Name), new Claim(ScopeClaim, row.Scope.ToString()), new Claim("api_key_id", row.Id.ToString())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
        await Results.Problem(statusCode: 401, title: "API key required", detail: "Send a valid, unrevoked API key in the X-Api-Key header.").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Results.Problem(statusCode: 403, title: "Read-only key", detail: "This API key may read only; writes need a read-write key.").ExecuteAsync(Context);
}

public sealed record IssueApiKeyRequest(string? Name, string? Scope);
public sealed record ApiKeyView(int Id, string Name, string Prefix, ApiKeyScope Scope, DateTime CreatedAt, DateTime? RevokedAt, DateTime? LastUsedAt);
public sealed record IssuedApiKey(ApiKeyView Key, string Secret);

/// <summary>/api/admin/api-keys: admins issue keys (the secret is answered once), list and revoke them.</summary>
public static class ApiKeysApi
{
    public static void MapApiKeysApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/admin/api-keys").WithTags("CRM admin").RequireAuthorization(StaffPolicies.Admin).AddEndpointFilter<AntiforgeryFilter>().Audited();
        api.MapGet("/", async (HelpdeskDbContext db, CancellationToken ct) =>
            TypedResults.Ok(await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.Id).Select(k => View(k)).ToListAsync(ct)));
        api.MapPost("/", Issue);
        api.MapDelete("/{id:int}", Revoke);
    }

    private static ApiKeyView View(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.Scope, k.CreatedAt, k.RevokedAt, k.LastUsedAt);

    private static async Task<Results<Created<IssuedApiKey>, ValidationProblem>> Issue(IssueApiKeyRequest request, HelpdeskDbContext db, TimeProvider clock,
        HttpContext http, AuditTrail audit, CancellationToken ct)
    {
        var v = new RequestValidation().Text("name", request.Name, 100);
        var scope = v.Enum<ApiKeyScope>("scope", request.Scope);
        if (string.IsNullOrWhiteSpace(request.Scope)) v.Add("scope", "Choose Read or ReadWrite.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var (key, prefix, hash) = ApiKeySecrets.Create();
        var row = new ApiKey { Name = request.Name!.Trim(), Prefix = prefix, SecretHash = hash, Scope = scope!.Value, CreatedAt = clock.GetUtcNow().UtcDateTime, CreatedBy = http.User.StaffId() };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(ct);
        // The id exists only now; the filter saves this entry right after. The prefix names the key; the secret is never recorded.
        audit.Record("api_key.issued", "api_key", row.Id, new { name = row.Name, prefix = row.Prefix, scope = row.Scope });
        return TypedResults.Created($"/api/admin/api-keys/{row.Id}", new IssuedApiKey(View(row), key));
    }

    private static async Task<Results<NoContent, NotFound>> Revoke(int id, HelpdeskDbContext db, TimeProvider clock, AuditTrail audit, CancellationToken ct)
    {
        var row = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct);
        if (row is null) return TypedResults.NotFound();
        if (row.RevokedAt is null) audit.Record("api_key.revoked", "api_key", row.Id, new { name = row.Name, prefix = row.Prefix });
        else audit.Unchanged();
        row.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
