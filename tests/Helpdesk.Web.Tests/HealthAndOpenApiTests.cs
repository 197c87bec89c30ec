using System.Net;
using System.Text.Json;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.Web.Tests;

/// <summary>/healthz and /openapi/v1.json, both open to anyone.</summary>
public sealed class HealthAndOpenApiTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    [Fact]
    public async Task Health_reports_the_database_healthy_as_JSON()
    {
        using var anonymous = server.CreateClient();

        var response = await anonymous.Http.GetAsync("/healthz");

        var health = await response.ShouldBeAsync(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        health.GetProperty("status").GetString().Should().Be("Healthy");
        health.GetProperty("checks").GetProperty("database").GetProperty("status").GetString().Should().Be("Healthy");
    }

    [Fact]
    public async Task Health_reports_the_database_unhealthy_when_its_file_is_gone()
    {
        // A server of its own: this one loses its database.
        await using var broken = new HelpdeskServer();
        await broken.InitializeAsync();
        await broken.LoseDatabaseAsync();

        using var anonymous = broken.CreateClient();
        var response = await anonymous.Http.GetAsync("/healthz");

        var health = await response.ShouldBeAsync(HttpStatusCode.ServiceUnavailable);
        health.GetProperty("status").GetString().Should().Be("Unhealthy");
        health.GetProperty("checks").GetProperty("database").GetProperty("status").GetString().Should().Be("Unhealthy");
    }

    public static TheoryData<string, string, string> TicketOperations => new()
    {
        { "/api/tickets", "get", "ListTickets" },
        { "/api/tickets", "post", "CreateTicket" },
        { "/api/tickets/{number}", "get", "GetTicket" },
        { "/api/tickets/{number}", "patch", "UpdateTicket" },
        { "/api/tickets/{number}/timeline", "get", "GetTicketTimeline" },
        { "/api/tickets/{number}/replies", "post", "ReplyToTicket" },
        { "/api/tickets/{number}/notes", "post", "AddInternalNote" },
        { "/api/tickets/{number}/customer-messages", "post", "LogCustomerMessage" },
        { "/api/tickets/{number}/assignment", "post", "AssignTicket" },
        { "/api/tickets/{number}/status", "post", "ChangeTicketStatus" },
        { "/api/tickets/{number}/merge", "post", "MergeTicket" },
        { "/api/public/tickets", "post", "SubmitWebForm" },
        { "/api/auth/sign-in", "post", "SignIn" },
        { "/api/auth/session", "get", "GetSession" },
        { "/api/teams", "get", "ListTeams" },
        { "/api/staff", "get", "ListActiveStaff" },
        { "/api/admin/staff", "post", "CreateStaff" },
    };

    private async Task<JsonElement> OpenApiAsync()
    {
        using var anonymous = server.CreateClient();
        var response = await anonymous.Http.GetAsync("/openapi/v1.json");
        return await response.ShouldBeAsync(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TicketOperations))]
    public async Task OpenApi_describes_every_endpoint(string path, string method, string operationId)
    {
        var document = await OpenApiAsync();

        document.GetProperty("paths").TryGetProperty(path, out var item).Should().BeTrue("{0} is described", path);
        item.TryGetProperty(method, out var operation).Should().BeTrue("{0} {1} is described", method, path);
        operation.GetProperty("operationId").GetString().Should().Be(operationId);
    }

    [Fact]
    public async Task OpenApi_names_the_outcomes_of_creating_and_changing_a_ticket()
    {
        var paths = (await OpenApiAsync()).GetProperty("paths");

        Codes(paths.GetProperty("/api/tickets").GetProperty("post")).Should().Contain(["201", "400", "401", "403", "409"]);
        Codes(paths.GetProperty("/api/tickets/{number}/replies").GetProperty("post")).Should().Contain(["200", "201", "400", "404", "409"]);
        Codes(paths.GetProperty("/api/tickets/{number}/status").GetProperty("post")).Should().Contain(["200", "400", "404", "409"]);

        static IEnumerable<string> Codes(JsonElement operation) => operation.GetProperty("responses").EnumerateObject().Select(r => r.Name);
    }
}
