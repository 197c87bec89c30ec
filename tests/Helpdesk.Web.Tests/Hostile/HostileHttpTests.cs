using System.Collections;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using Helpdesk.Data;
using Helpdesk.Web.Tests.Crm;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Helpdesk.Web.Tests.Hostile;

/// <summary>The real app with rate limits out of the way: this class sends hundreds of bad requests from one address on purpose.</summary>
public sealed class HostileHttpServer : IAsyncLifetime
{
    public HelpdeskServer App { get; } = new();

    public async Task InitializeAsync()
    {
        App.Settings.AddRange(["RateLimits:SignInPerMinute=100000", "RateLimits:PublicFormPerMinute=100000",
            "RateLimits:WidgetPerMinute=100000", "RateLimits:SurveyPagePerMinute=100000"]);
        await App.InitializeAsync();
    }

    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>
/// Issue 11 point 5, HTTP: every write endpoint that takes a JSON body, found in the app's own
/// endpoint list (so a new one is covered without editing this file), called with the right
/// credential (staff cookie, CRM API key or widget visitor token) and a hostile body: each invalid
/// UTF-8 sequence of the corpus inside a string, malformed JSON of several kinds, a body over the
/// size limit, and headers over Kestrel's limits. Every answer is a 4xx, the body ones problem
/// details, and no table of the database gains or loses a row.
/// </summary>
public sealed class HostileHttpTests(HostileHttpServer fixture, ITestOutputHelper output) : IClassFixture<HostileHttpServer>
{
    private HelpdeskServer Server => fixture.App;

    private sealed record WriteEndpoint(string Method, string Route, string Path, Type? BodyType = null);

    private List<WriteEndpoint> JsonWriteEndpoints() =>
        Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Contains("application/json") == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m is "POST" or "PUT" or "PATCH")
                .Select(m => new WriteEndpoint(m, "/" + e.RoutePattern.RawText!.TrimStart('/'), Fill("/" + e.RoutePattern.RawText!.TrimStart('/')),
                    e.Metadata.GetMetadata<IAcceptsMetadata>()!.RequestType)))
            .Distinct().OrderBy(e => e.Route).ThenBy(e => e.Method).ToList();

    /// <summary>Route values of things that exist in the demo data, so the body is what a request fails on.</summary>
    private static string Fill(string pattern) => System.Text.RegularExpressions.Regex.Replace(pattern, "\\{([^}:]+)(:[^}]*)?\\}", m => m.Groups[1].Value switch
    {
        "number" => "100001",
        "externalId" => "ext-1",
        "token" => "not-a-token",
        "deliveryId" => Guid.Empty.ToString(),
        "id" when pattern.Contains("staff") => Agent2Id,
        _ => "1",
    });

    /// <summary>A staff account that exists (the update endpoint looks it up only after the body is valid).</summary>
    private static string Agent2Id = "";

    /// <summary>
    /// A body of the endpoint's own request type with <paramref name="placeholder"/> in every text
    /// property (strings and lists of strings), so the value reaches what the endpoint reads; null
    /// when the type has no text property.
    /// </summary>
    private static string? TextBody(Type? type, string placeholder)
    {
        if (type is null || type == typeof(string) || type.IsPrimitive) return null;
        var fields = new Dictionary<string, object>();
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name);
            if (p.PropertyType == typeof(string)) fields[name] = placeholder;
            else if (p.PropertyType != typeof(string) && typeof(IEnumerable<string>).IsAssignableFrom(p.PropertyType)) fields[name] = new[] { placeholder };
        }
        return fields.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(fields);
    }

    private async Task<Func<WriteEndpoint, HttpClient>> ClientsAsync()
    {
        using (var scope = Server.Services.CreateScope())
            Agent2Id = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>().Users.Single(u => u.Email == Demo.Agent2).Id.ToString();
        var admin = await Server.StaffAsync(Demo.Admin);
        var key = await Server.IssueKeyAsync("ReadWrite", "hostile input");
        var crm = Server.CrmHttp(key.Secret);
        var widget = new HttpClient { BaseAddress = Server.BaseAddress };
        var session = await (await widget.PostAsJsonAsync("/api/widget/sessions", new { siteKey = "demo" })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        widget.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("visitorToken").GetString());
        return e => e.Route.StartsWith("/api/crm/", StringComparison.Ordinal) ? crm
            : e.Route.StartsWith("/api/widget/", StringComparison.Ordinal) ? widget
            : admin.Http;
    }

    /// <summary>Rows per table: a refused request must leave every count as it was.</summary>
    private Dictionary<string, int> Fingerprint()
    {
        using var scope = Server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        var set = typeof(DbContext).GetMethods().Single(m => m.Name == nameof(DbContext.Set) && m.GetParameters().Length == 0);
        var count = typeof(Queryable).GetMethods().Single(m => m.Name == nameof(Queryable.Count) && m.GetParameters().Length == 1);
        return db.Model.GetEntityTypes().Where(t => !t.IsOwned() && t.ClrType != typeof(Dictionary<string, object>) && t.FindPrimaryKey() != null)
            .ToDictionary(t => t.ClrType.Name, t => (int)count.MakeGenericMethod(t.ClrType).Invoke(null, [set.MakeGenericMethod(t.ClrType).Invoke(db, null)])!);
    }

    private static void ShouldBeUnchanged(Dictionary<string, int> before, Dictionary<string, int> after, string what) =>
        after.Where(kv => before[kv.Key] != kv.Value).Select(kv => $"{kv.Key}: {before[kv.Key]} → {kv.Value}")
            .Should().BeEmpty("nothing is stored when {0} is refused", what);

    private static async Task<string?> ProblemOfAsync(HttpResponseMessage response, params HttpStatusCode[] expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!expected.Contains(response.StatusCode))
            return $"{(int)response.StatusCode} (expected {string.Join("/", expected.Select(s => (int)s))}): {body[..Math.Min(body.Length, 200)]}";
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            return $"{(int)response.StatusCode} without problem details ({response.Content.Headers.ContentType}): {body[..Math.Min(body.Length, 200)]}";
        return null;
    }

    private static HttpRequestMessage Request(WriteEndpoint e, byte[] body, string contentType = "application/json; charset=utf-8") =>
        new(new HttpMethod(e.Method), e.Path) { Content = new ByteArrayContent(body) { Headers = { ContentType = MediaTypeHeaderValue.Parse(contentType) } } };

    /// <summary>
    /// A big body sent as careful clients send one: "Expect: 100-continue" first. The server
    /// answers 413 from the Content-Length alone and the megabytes never travel.
    /// </summary>
    private static HttpRequestMessage BigRequest(WriteEndpoint e, byte[] body)
    {
        var request = Request(e, body);
        request.Headers.ExpectContinue = true;
        return request;
    }

    [Fact]
    public async Task Invalid_utf8_in_any_json_string_is_a_400_problem_at_every_write_endpoint_and_stores_nothing()
    {
        var endpoints = JsonWriteEndpoints();
        endpoints.Should().HaveCountGreaterThan(40, "the app has many JSON write endpoints");
        var client = await ClientsAsync();
        var before = Fingerprint();
        var problems = new List<string>();
        var withText = 0;
        foreach (var e in endpoints)
        {
            if (TextBody(e.BodyType, "BAD") is not { } json)
                continue;
            withText++;
            foreach (var (what, bytes) in HostileCorpus.InvalidUtf8)
            {
                using var response = await client(e).SendAsync(Request(e, HostileCorpus.JsonWithBytes(json, "BAD", bytes)));
                if (await ProblemOfAsync(response, HttpStatusCode.BadRequest) is { } problem)
                    problems.Add($"{e.Method} {e.Route} with {what}: {problem}");
            }
        }
        output.WriteLine($"{withText} of {endpoints.Count} endpoints have text fields; × {HostileCorpus.InvalidUtf8.Count} sequences");
        foreach (var p in problems) output.WriteLine(p);
        withText.Should().BeGreaterThan(30);
        problems.Should().BeEmpty();
        ShouldBeUnchanged(before, Fingerprint(), "invalid UTF-8");
    }

    /// <summary>Text that is valid JSON but no text a person wrote: refused with a 400 naming the field, never a 500 from the database.</summary>
    public static TheoryData<string, string> HostileText => new()
    {
        { "a lone high surrogate escape", "\\ud800x" },
        { "a lone low surrogate escape", "x\\udc00" },
        { "an escaped NUL", "a\\u0000b" },
    };

    [Theory]
    [MemberData(nameof(HostileText))]
    public async Task Hostile_text_in_every_text_field_is_a_400_problem_and_stores_nothing(string tried, string escaped)
    {
        var client = await ClientsAsync();
        var before = Fingerprint();
        var problems = new List<string>();
        foreach (var e in JsonWriteEndpoints())
        {
            if (TextBody(e.BodyType, "BAD") is not { } json)
                continue;
            using var response = await client(e).SendAsync(Request(e, Encoding.UTF8.GetBytes(json.Replace("BAD", escaped))));
            if (await ProblemOfAsync(response, HttpStatusCode.BadRequest) is { } problem)
                problems.Add($"{e.Method} {e.Route}: {problem}");
        }
        foreach (var p in problems) output.WriteLine(p);
        problems.Should().BeEmpty("{0} is refused everywhere", tried);
        ShouldBeUnchanged(before, Fingerprint(), tried);
    }

    public static TheoryData<string, string> MalformedJson => new()
    {
        { "cut off inside a string", """{"subject":"Hel""" },
        { "a single quote string", "{'subject':'Hello'}" },
        { "NaN as a value", """{"subject":NaN}""" },
        { "a comment", """{"subject":"x" /* hi */}""" },
        { "nesting 10,000 deep", new string('[', 10_000) + new string(']', 10_000) },
        { "a UTF-16 body declared as UTF-8", "\uFEFF{\"subject\":\"x\"}" },
        { "an array where an object belongs", "[1,2,3]" },
        { "two objects", """{"subject":"a"}{"subject":"b"}""" },
    };

    [Theory]
    [MemberData(nameof(MalformedJson))]
    public async Task Malformed_json_is_a_problem_at_every_write_endpoint_and_stores_nothing(string tried, string json)
    {
        var client = await ClientsAsync();
        var before = Fingerprint();
        var bytes = tried.StartsWith("a UTF-16", StringComparison.Ordinal) ? Encoding.Unicode.GetBytes(json) : Encoding.UTF8.GetBytes(json);
        var problems = new List<string>();
        foreach (var e in JsonWriteEndpoints())
        {
            using var response = await client(e).SendAsync(Request(e, bytes));
            if (await ProblemOfAsync(response, HttpStatusCode.BadRequest) is { } problem)
                problems.Add($"{e.Method} {e.Route}: {problem}");
        }
        foreach (var p in problems) output.WriteLine(p);
        problems.Should().BeEmpty("{0} is refused everywhere", tried);
        ShouldBeUnchanged(before, Fingerprint(), tried);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem_at_every_write_endpoint_and_stores_nothing()
    {
        var client = await ClientsAsync();
        var before = Fingerprint();
        // Valid JSON with one huge string: only its size is wrong.
        var big = Encoding.UTF8.GetBytes("{\"subject\":\"x\",\"text\":\"x\",\"body\":\"x\",\"name\":\"x\",\"padding\":\"" + HostileCorpus.Oversize.Text(1_100_000) + "\"}");
        var problems = new List<string>();
        foreach (var e in JsonWriteEndpoints().Where(e => e.Route != "/api/crm/customers/bulk"))
        {
            using var response = await client(e).SendAsync(BigRequest(e, big));
            if (await ProblemOfAsync(response, HttpStatusCode.RequestEntityTooLarge) is { } problem)
                problems.Add($"{e.Method} {e.Route}: {problem}");
        }
        // The bulk import has room for 1,000 records (16 MB); past that it is refused the same way.
        var bulk = new WriteEndpoint("POST", "/api/crm/customers/bulk", "/api/crm/customers/bulk");
        var huge = Encoding.UTF8.GetBytes("{\"records\":[],\"padding\":\"" + new string('x', 17 * 1024 * 1024) + "\"}");
        using (var response = await client(bulk).SendAsync(BigRequest(bulk, huge)))
            if (await ProblemOfAsync(response, HttpStatusCode.RequestEntityTooLarge) is { } problem)
                problems.Add($"POST {bulk.Route}: {problem}");
        foreach (var p in problems) output.WriteLine(p);
        problems.Should().BeEmpty();
        ShouldBeUnchanged(before, Fingerprint(), "an oversize body");
    }

    [Fact]
    public async Task A_streamed_body_that_grows_over_the_limit_is_refused_too()
    {
        var client = await ClientsAsync();
        var before = Fingerprint();
        var e = new WriteEndpoint("POST", "/api/tickets", "/api/tickets");
        var big = Encoding.UTF8.GetBytes("{\"subject\":\"x\",\"type\":\"Inquiry\",\"description\":\"" + HostileCorpus.Oversize.Text(1_100_000) + "\"}");
        // No Content-Length: the server learns the size only while reading.
        using var request = new HttpRequestMessage(HttpMethod.Post, e.Path) { Content = new StreamContent(new MemoryStream(big)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        using var response = await client(e).SendAsync(request);
        (await ProblemOfAsync(response, HttpStatusCode.RequestEntityTooLarge)).Should().BeNull();
        ShouldBeUnchanged(before, Fingerprint(), "a chunked oversize body");
    }

    [Fact]
    public async Task Huge_or_too_many_headers_are_refused_by_the_server_and_it_keeps_answering()
    {
        var client = await ClientsAsync();
        var before = Fingerprint();
        var e = new WriteEndpoint("POST", "/api/tickets", "/api/tickets");
        var body = Encoding.UTF8.GetBytes("""{"subject":"must not be stored","type":"Inquiry"}""");

        using (var huge = Request(e, body))
        {
            huge.Headers.Add("X-Huge", new string('h', 64 * 1024));
            using var response = await client(e).SendAsync(huge);
            response.StatusCode.Should().Be(HttpStatusCode.RequestHeaderFieldsTooLarge, "one 64 KB header is over Kestrel's 32 KB");
        }
        using (var many = Request(e, body))
        {
            for (var i = 0; i < 150; i++) many.Headers.Add($"X-Many-{i}", "x");
            using var response = await client(e).SendAsync(many);
            response.StatusCode.Should().Be(HttpStatusCode.RequestHeaderFieldsTooLarge, "150 headers are over Kestrel's 100");
        }
        ShouldBeUnchanged(before, Fingerprint(), "oversize headers");
        (await client(e).GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK, "the server answers the next request");
    }
}
