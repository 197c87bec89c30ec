using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Tickets;

namespace Helpdesk.Web.Tests.Fixtures;

/// <summary>The API's JSON: camelCase, enums by name.</summary>
public static class TestJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}

/// <summary>Reading answers and asserting on problem details.</summary>
public static class ResponseAssertions
{
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(TestJson.Options))!;

    /// <summary>Asserts the status, then returns the body as JSON.</summary>
    public static async Task<JsonElement> ShouldBeAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, "the answer was: {0}", text);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem of this status and returns it.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await response.ShouldBeAsync(status);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
        return problem;
    }

    /// <summary>Asserts a 409 problem with this stable code, and returns it.</summary>
    public static async Task<JsonElement> ShouldBeRefusedAsync(this HttpResponseMessage response, string code)
    {
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Code().Should().Be(code);
        problem.GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace("a refusal says why");
        return problem;
    }

    /// <summary>Asserts a 400 validation problem whose errors name exactly these fields.</summary>
    public static async Task<JsonElement> ShouldBeInvalidAsync(this HttpResponseMessage response, params string[] fields)
    {
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.TryGetProperty("errors", out var errors).Should().BeTrue("a 400 names the fields: {0}", problem);
        errors.EnumerateObject().Select(e => e.Name).Should().BeEquivalentTo(fields);
        foreach (var field in errors.EnumerateObject())
            field.Value.EnumerateArray().Should().NotBeEmpty().And.OnlyContain(m => m.GetString()!.Length > 0);
        return problem;
    }

    public static string? Code(this JsonElement problem) =>
        problem.TryGetProperty("code", out var code) ? code.GetString() : null;
}

/// <summary>The tickets API as the agent console calls it.</summary>
public static class TicketsClient
{
    private static int _counter;

    /// <summary>A word no other ticket contains, to find a test's own tickets by text search.</summary>
    public static string UniqueWord(string prefix = "w") => $"{prefix}{Guid.NewGuid():N}"[..16];

    public static Task<HttpResponseMessage> PostJsonAsync(this StaffClient client, string url, object body) =>
        client.Http.PostAsJsonAsync(url, body);

    public static async Task<TicketDetail> CreateTicketAsync(this StaffClient client, object body)
    {
        var response = await client.Http.PostAsJsonAsync("/api/tickets", body);
        await response.ShouldBeAsync(HttpStatusCode.Created);
        return await response.ReadAsync<TicketDetail>();
    }

    /// <summary>A plain inquiry with a first customer message.</summary>
    public static Task<TicketDetail> NewTicketAsync(this StaffClient client, string? subject = null, string type = "Inquiry",
        string priority = "Normal", string category = "None", string? description = null, long? customerId = null, int? teamId = null,
        Guid? assigneeId = null, string[]? tags = null) =>
        client.CreateTicketAsync(new
        {
            subject = subject ?? $"Test ticket {Interlocked.Increment(ref _counter)}",
            type, priority, category,
            description = description ?? "The customer's first message.",
            customerId, teamId, assigneeId, tags,
        });

    public static async Task<TicketDetail> GetTicketAsync(this StaffClient client, long number)
    {
        var response = await client.Http.GetAsync($"/api/tickets/{number}");
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadAsync<TicketDetail>();
    }

    public static async Task<TicketSummary> AssignAsync(this StaffClient client, long number, object body)
    {
        var response = await client.Http.PostAsJsonAsync($"/api/tickets/{number}/assignment", body);
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadAsync<TicketSummary>();
    }

    public static async Task<TicketSummary> SetStatusAsync(this StaffClient client, long number, TicketStatus status, string? reason = null)
    {
        var response = await client.Http.PostAsJsonAsync($"/api/tickets/{number}/status", new { status = status.ToString(), reason });
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadAsync<TicketSummary>();
    }

    /// <summary>Creates a ticket assigned to the caller and walks it to <paramref name="status"/> by legal steps.</summary>
    public static async Task<TicketDetail> TicketInStatusAsync(this StaffClient client, TicketStatus status, string? subject = null)
    {
        var ticket = await client.NewTicketAsync(subject);
        var number = ticket.Ticket.Number;
        if (status == TicketStatus.New) return ticket;
        await client.AssignAsync(number, new { assigneeId = client.Id });
        TicketStatus[] path = status switch
        {
            TicketStatus.Assigned => [],
            TicketStatus.WaitingOnCustomer => [TicketStatus.WaitingOnCustomer],
            TicketStatus.Resolved => [TicketStatus.Resolved],
            TicketStatus.FeedbackReceived => [TicketStatus.Resolved, TicketStatus.FeedbackReceived],
            TicketStatus.Archived => [TicketStatus.Resolved, TicketStatus.Archived],
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };
        foreach (var step in path)
            await client.SetStatusAsync(number, step);
        return await client.GetTicketAsync(number);
    }

    public static async Task<MessageResult> PostMessageAsync(this StaffClient client, long number, string kind, string body,
        string? clientMessageId = null, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.Http.PostAsJsonAsync($"/api/tickets/{number}/{kind}", new { body, clientMessageId });
        await response.ShouldBeAsync(expected);
        return await response.ReadAsync<MessageResult>();
    }

    /// <summary>Asserts that a refused write left the ticket exactly as it was.</summary>
    public static async Task ShouldBeUnchangedAsync(this StaffClient client, TicketDetail before)
    {
        var after = await client.GetTicketAsync(before.Ticket.Number);
        after.Ticket.Version.Should().Be(before.Ticket.Version, "a refused write changes nothing");
        after.Ticket.Status.Should().Be(before.Ticket.Status);
        after.Ticket.AssigneeId.Should().Be(before.Ticket.AssigneeId);
        after.Ticket.TeamId.Should().Be(before.Ticket.TeamId);
        after.Ticket.Priority.Should().Be(before.Ticket.Priority);
        after.Ticket.Tags.Should().Equal(before.Ticket.Tags);
        after.Timeline.Select(m => (m.Sequence, m.Body)).Should().Equal(before.Timeline.Select(m => (m.Sequence, m.Body)));
        after.History.Should().HaveCount(before.History.Count);
        after.FollowUpNumbers.Should().Equal(before.FollowUpNumbers);
    }
}

/// <summary>The demo sign-ins.</summary>
public static class Demo
{
    public const string Admin = "admin@demo.local";
    public const string Supervisor = "supervisor@demo.local";
    public const string Agent1 = "agent1@demo.local";
    public const string Agent2 = "agent2@demo.local";
}
