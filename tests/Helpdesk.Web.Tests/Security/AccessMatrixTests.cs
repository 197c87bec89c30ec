using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Security;

/// <summary>
/// Issue 11 point 4: every HTTP endpoint the app maps, called by anonymous, an agent, a supervisor
/// and an admin. The table below says who may call what; an endpoint the table does not cover
/// fails the test, so a new endpoint needs a decision. "May call" means the answer is not 401 or
/// 403 (a dummy request may well be a 400 or 404); "may not" means exactly 401 (anonymous) or 403.
/// </summary>
public sealed class AccessMatrixTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    /// <summary>OtherCredential: a door for an API key (the CRM) or a visitor token (the widget), which no staff cookie opens.</summary>
    public enum Who { Anonymous = 0, Agent = 1, Supervisor = 2, Admin = 3, OtherCredential = 9 }

    /// <summary>First match wins: (method or *, route regex, least role).</summary>
    private static readonly (string Method, Regex Route, Who Least)[] Rules =
    [
        ("*", new("^/api/crm/"), Who.OtherCredential),
        // The audit log is read by admins only; it has no write endpoint (AuditLogTests).
        ("GET", new("^/api/admin/audit"), Who.Admin),
        ("*", new("^/api/admin/"), Who.Admin),
        ("*", new("^/hangfire"), Who.Supervisor),
        ("*", new("^/api/reports/"), Who.Supervisor),
        ("*", new("^/api/supervisor/"), Who.Supervisor),
        ("*", new("^/hubs/supervisor"), Who.Supervisor),
        ("*", new("^/api/surveys/(follow-ups|grades)"), Who.Supervisor),
        ("GET", new("^/api/(scripts|forbidden-phrases)"), Who.Agent),
        ("POST", new("^/api/scripts/(check|preview)$"), Who.Agent), // the composer checks wording as agents type
        ("*", new("^/api/(scripts|forbidden-phrases)"), Who.Supervisor),
        ("*", new("^/api/triage/rules"), Who.Admin),
        ("*", new("^/api/triage/accuracy"), Who.Supervisor),
        ("*", new("^/api/customers/(export.csv|import)"), Who.Supervisor),
        ("*", new("^/api/tickets/\\{number\\}/escalation/clear"), Who.Supervisor),
        // Files are for a conversation's customer (visitor token) and staff: the endpoint decides, and a stranger gets 404 (AttachmentTests).
        ("GET", new("^/api/attachments/\\{id\\}$"), Who.Anonymous),
        ("*", new("^/api/(tickets|customers|attachments|handovers|sla|directory|teams|staff)"), Who.Agent),
        ("*", new("^/api/auth/"), Who.Anonymous), // sign-in, sign-out and "who am I" answer anybody
        ("POST", new("^/api/widget/attachments"), Who.OtherCredential),
        ("*", new("^/api/(public|widget)/"), Who.Anonymous),
        ("*", new("^/api/surveys/answer"), Who.Anonymous),
        ("*", new("^/survey/"), Who.Anonymous),
        ("*", new("^/(healthz|openapi/)"), Who.Anonymous),
        // A shopper connects with the visitor token the widget API gave out (a test of its own); staff with their cookie.
        ("*", new("^/hubs/chat"), Who.Agent),
    ];

    private static string Fill(string pattern) => Regex.Replace(pattern, "\\{([^}:]+)(:[^}]*)?\\}", m => m.Groups[1].Value switch
    {
        "number" => "100001",
        "externalId" => "no-such-external-id",
        "token" => "not-a-token",
        "deliveryId" => Guid.Empty.ToString(),
        "version" => "1",
        _ => "1",
    });

    [Fact]
    public async Task Every_endpoint_answers_each_role_as_the_table_says()
    {
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (Method: m, Route: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Where(e => e.Method is not "OPTIONS" && !e.Route.Contains("{**"))
            // Signing out last: it would end the staff clients' sessions for the endpoints after it.
            .Distinct().OrderBy(e => e.Route.StartsWith("/api/auth/", StringComparison.Ordinal)).ThenBy(e => e.Route).ThenBy(e => e.Method).ToList();
        endpoints.Should().HaveCountGreaterThan(80, "the app maps its whole API");

        var clients = new Dictionary<Who, StaffClient>
        {
            [Who.Anonymous] = server.CreateClient(),
            [Who.Agent] = await server.SignedInAsync(Demo.Agent1),
            [Who.Supervisor] = await server.SignedInAsync(Demo.Supervisor),
            [Who.Admin] = await server.SignedInAsync("admin@demo.local"),
        };
        var problems = new StringBuilder();
        foreach (var (method, route) in endpoints)
        {
            var rule = Rules.FirstOrDefault(r => (r.Method == "*" || r.Method == method) && r.Route.IsMatch(route));
            if (rule.Route is null)
            {
                problems.AppendLine($"{method} {route}: no rule says who may call it");
                continue;
            }
            foreach (var (who, client) in clients)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), Fill(route));
                if (method is "POST" or "PUT" or "PATCH")
                    request.Content = route.EndsWith("/attachments", StringComparison.Ordinal)
                        ? new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "x.png" } }
                        : new StringContent("{}", Encoding.UTF8, "application/json");
                // Headers only: a streaming endpoint (server-sent events) would otherwise never end.
                using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                var status = response.StatusCode;
                var allowed = rule.Least != Who.OtherCredential && who >= rule.Least;
                // Refused means: who is not signed in (or the door takes API keys only) hears 401, a signed-in role without the right 403.
                var refusal = who == Who.Anonymous || rule.Least == Who.OtherCredential ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
                var ok = allowed ? status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) : status == refusal;
                if (!ok) problems.AppendLine($"{method} {route} as {who}: {(int)status}, expected {(allowed ? "allowed" : ((int)refusal).ToString())}");
            }
        }
        problems.ToString().Should().BeEmpty();
    }
}
