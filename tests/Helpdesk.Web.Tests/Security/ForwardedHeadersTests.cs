using System.Net;
using Helpdesk.Web.Audit;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Tests.Security;

/// <summary>
/// Behind a load balancer the app must see the client: per-address rate limits and the audit log's
/// address come from X-Forwarded-For, but only when the request comes from a proxy the configuration
/// names (ForwardedHeaders:KnownProxies / KnownNetworks). Without that setting the header is
/// ignored, so a forged one cannot buy a fresh budget. The survey page (3 a minute here) is the
/// per-address limited door used; each test has its own server, so no other test spends its budget.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static async Task<HttpStatusCode> LookAsync(HelpdeskServer server, string? forwardedFor)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/survey/not-a-real-token");
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Behind_a_known_proxy_each_forwarded_client_has_its_own_budget_and_is_the_address_audited()
    {
        await using var server = new HelpdeskServer { Settings = { "RateLimits:SurveyPagePerMinute=3", "ForwardedHeaders:KnownProxies:0=127.0.0.1" } };
        await server.InitializeAsync();

        for (var i = 1; i <= 3; i++)
            (await LookAsync(server, "203.0.113.7")).Should().Be(HttpStatusCode.BadRequest, "look {0} of 203.0.113.7 is let through", i);
        (await LookAsync(server, "203.0.113.7")).Should().Be(HttpStatusCode.TooManyRequests, "203.0.113.7 has spent its budget");
        (await LookAsync(server, "198.51.100.20")).Should().Be(HttpStatusCode.BadRequest, "another client behind the same balancer has its own budget");
        (await LookAsync(server, null)).Should().Be(HttpStatusCode.BadRequest, "the balancer's own address is a third budget");

        var admin = await server.StaffAsync(Demo.Admin);
        admin.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        await (await admin.PostJsonAsync("/api/admin/api-keys", new { name = "from far away", scope = "Read" })).ShouldBeAsync(HttpStatusCode.Created);
        var page = await (await admin.Http.GetAsync("/api/admin/audit?action=api_key.issued")).ReadAsync<AuditPage>();
        page.Items.Should().ContainSingle().Which.RemoteIp.Should().Be("203.0.113.9", "the audit log names the client, not the balancer");
    }

    [Fact]
    public async Task Without_a_configured_proxy_a_forged_header_is_ignored_and_cannot_dodge_the_limit()
    {
        await using var server = new HelpdeskServer { Settings = { "RateLimits:SurveyPagePerMinute=3" } };
        await server.InitializeAsync();

        for (var i = 1; i <= 3; i++)
            (await LookAsync(server, $"203.0.113.{i}")).Should().Be(HttpStatusCode.BadRequest, "look {0} is let through", i);
        (await LookAsync(server, "203.0.113.99")).Should().Be(HttpStatusCode.TooManyRequests, "a new forged address is still the same client");

        var admin = await server.StaffAsync(Demo.Admin);
        admin.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        await (await admin.PostJsonAsync("/api/admin/api-keys", new { name = "forged", scope = "Read" })).ShouldBeAsync(HttpStatusCode.Created);
        var page = await (await admin.Http.GetAsync("/api/admin/audit?action=api_key.issued")).ReadAsync<AuditPage>();
        page.Items.Should().ContainSingle().Which.RemoteIp.Should().Be("127.0.0.1", "the TCP peer, not what the client claims");
    }

    [Fact]
    public async Task A_request_from_an_unlisted_peer_keeps_its_own_address_even_when_a_network_is_configured()
    {
        // 127.0.0.1 is not in 10.0.0.0/8: the header from it is not believed.
        await using var server = new HelpdeskServer { Settings = { "RateLimits:SurveyPagePerMinute=2", "ForwardedHeaders:KnownNetworks:0=10.0.0.0/8" } };
        await server.InitializeAsync();

        (await LookAsync(server, "203.0.113.1")).Should().Be(HttpStatusCode.BadRequest);
        (await LookAsync(server, "203.0.113.2")).Should().Be(HttpStatusCode.BadRequest);
        (await LookAsync(server, "203.0.113.3")).Should().Be(HttpStatusCode.TooManyRequests);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0=not-an-address", "'not-an-address' is not an IP address")]
    [InlineData("ForwardedHeaders:KnownNetworks:0=10.0.0.0/99", "'10.0.0.0/99' is not a network")]
    [InlineData("ForwardedHeaders:ForwardLimit=0", "ForwardLimit must be 1-10")]
    public async Task A_bad_proxy_setting_refuses_to_start_naming_it(string setting, string message)
    {
        await using var server = new HelpdeskServer { Settings = { setting } };

        var start = () => server.InitializeAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(message);
    }
}
