using System.Net;
using System.Net.Http.Json;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.Web.Tests;

public sealed class SmokeTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    [Fact]
    public async Task Signed_in_agent_sees_seeded_tickets_over_a_real_port()
    {
        using var agent = await server.SignedInAsync("agent1@demo.local");
        var page = await agent.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/tickets?view=open");
        page.GetProperty("items").GetArrayLength().Should().BeGreaterThan(5);
        server.BaseAddress.Host.Should().Be("127.0.0.1");
    }

    [Fact]
    public async Task Anonymous_call_is_401()
    {
        using var anon = server.CreateClient();
        (await anon.Http.GetAsync("/api/tickets")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_signalr_browser_client_from_npm_is_served()
    {
        using var anon = server.CreateClient();
        var response = await anon.Http.GetAsync("/lib/signalr/signalr.min.js");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("HubConnectionBuilder");
    }
}
