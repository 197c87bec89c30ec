using System.Security.Claims;
using Helpdesk.Core.Chat;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Audit;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Helpdesk.Web.Supervisor;

public sealed record ReassignRequest(Guid? AssigneeId, int? TeamId);
public sealed record WhisperRequest(string? Text, string? ClientMessageId);
public sealed record PresenceRequest(PresenceStatus? Status);
/// <param name="Capacity">1 to 50 chats; null puts the agent back on the installation's capacity.</param>
public sealed record CapacityRequest(int? Capacity);

/// <summary>What an intervention left on the ticket: its state after it, and the timeline entry recorded.</summary>
public sealed record InterventionResult(long TicketNumber, TicketStatus Status, Guid? AssigneeId, int? TeamId, int Version,
    int? Sequence, string Recorded);

public sealed record AgentSetting(Guid AgentId, PresenceStatus Status, int Connections, int? Capacity);

/// <summary>
/// /api/supervisor: the dashboard's snapshot (the same cached one the hub pushes) and the
/// interventions, for supervisors and admins only; agents get 403, bad input a 400 problem naming
/// the field, a refusal by the ticket rules a 409 problem with its code.
/// </summary>
public static class SupervisorApi
{
    public const int WhisperMax = TicketLimits.BodyMax;
    public const int CapacityMax = 50;

    public static RouteGroupBuilder MapSupervisorApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/supervisor").WithTags("Supervisor")
            .RequireAuthorization(StaffPolicies.Supervisor)
            .AddEndpointFilter<AntiforgeryFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/dashboard", Dashboard).WithName("GetSupervisorDashboard");
        api.MapPost("/tickets/{number}/reassign", Reassign).WithName("SupervisorReassign")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/chats/{number}/takeover", TakeOver).WithName("SupervisorTakeOverChat")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/tickets/{number}/whisper", Whisper).WithName("SupervisorWhisper")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/tickets/{number}/escalation/acknowledge", Acknowledge).WithName("SupervisorAcknowledgeEscalation")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/agents/{agentId}/presence", SetPresence).WithName("SupervisorSetAgentPresence").Audited()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/agents/{agentId}/capacity", SetCapacity).WithName("SupervisorSetAgentCapacity").Audited()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Ok<DashboardSnapshot>> Dashboard(DashboardState state, CancellationToken ct) =>
        TypedResults.Ok(await state.CurrentAsync(ct));

    private static async Task<Results<Ok<InterventionResult>, ValidationProblem>> Reassign(string number, ReassignRequest? body,
        ClaimsPrincipal user, SupervisorInterventions interventions, CancellationToken ct)
    {
        var v = new RequestValidation();
        var n = Number(v, number);
        if (body is null || (body.AssigneeId is null && body.TeamId is null))
            v.Add("assigneeId", "Name the agent ('assigneeId') or the team ('teamId') to reassign to.");
        if (body?.TeamId is <= 0) v.Add("teamId", "'teamId' must be a positive number.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var ticket = await interventions.ReassignAsync(n, body!.AssigneeId, body.TeamId, user.ToActor(), ct);
        return TypedResults.Ok(Result(ticket, "assigned"));
    }

    private static async Task<Results<Ok<InterventionResult>, ValidationProblem>> TakeOver(string number, ClaimsPrincipal user,
        SupervisorInterventions interventions, CancellationToken ct)
    {
        var v = new RequestValidation();
        var n = Number(v, number);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var ticket = await interventions.TakeOverAsync(n, user.StaffId()!.Value, user.ToActor(), ct);
        return TypedResults.Ok(Result(ticket, "assigned"));
    }

    private static async Task<Results<Ok<InterventionResult>, ValidationProblem>> Whisper(string number, WhisperRequest? body,
        ClaimsPrincipal user, SupervisorInterventions interventions, CancellationToken ct)
    {
        var v = new RequestValidation();
        var n = Number(v, number);
        v.Text("text", body?.Text, WhisperMax);
        if (body?.ClientMessageId is { Length: > TicketLimits.ClientMessageIdMax })
            v.Add("clientMessageId", $"'clientMessageId' is longer than {TicketLimits.ClientMessageIdMax} characters.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var result = await interventions.WhisperAsync(n, body!.Text!, body.ClientMessageId, user.ToActor(), ct);
        return TypedResults.Ok(Result(result.Ticket, "whisper", result.Message.Sequence));
    }

    private static async Task<Results<Ok<InterventionResult>, ValidationProblem>> Acknowledge(string number, ClaimsPrincipal user,
        SupervisorInterventions interventions, CancellationToken ct)
    {
        var v = new RequestValidation();
        var n = Number(v, number);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var ticket = await interventions.AcknowledgeEscalationAsync(n, user.ToActor(), ct);
        return TypedResults.Ok(Result(ticket, DashboardQueries.AcknowledgedCode, ticket.LastSequence));
    }

    private static async Task<Results<Ok<AgentSetting>, ValidationProblem>> SetPresence(string agentId, PresenceRequest? body,
        ClaimsPrincipal user, SupervisorInterventions interventions, AuditTrail audit, CancellationToken ct)
    {
        var v = new RequestValidation();
        var id = Agent(v, agentId);
        v.Required("status", body?.Status).Defined("status", body?.Status);
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var row = await interventions.SetPresenceAsync(id, body!.Status!.Value, user.ToActor(), ct);
        audit.Record("staff.presence_set", "staff", id, new { status = row.Status });
        return TypedResults.Ok(new AgentSetting(row.AgentId, row.Status, row.Connections, row.Capacity));
    }

    private static async Task<Results<Ok<AgentSetting>, ValidationProblem>> SetCapacity(string agentId, CapacityRequest? body,
        ClaimsPrincipal user, SupervisorInterventions interventions, AuditTrail audit, CancellationToken ct)
    {
        var v = new RequestValidation();
        var id = Agent(v, agentId);
        if (body is null) v.Add("capacity", "Send {\"capacity\": 1 to 50} or {\"capacity\": null} for the default.");
        else if (body.Capacity is < 1 or > CapacityMax) v.Add("capacity", $"'capacity' must be 1 to {CapacityMax} chats (null: the default).");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var row = await interventions.SetCapacityAsync(id, body!.Capacity, user.ToActor(), ct);
        audit.Record("staff.capacity_changed", "staff", id, new { capacity = row.Capacity });
        return TypedResults.Ok(new AgentSetting(row.AgentId, row.Status, row.Connections, row.Capacity));
    }

    private static long Number(RequestValidation v, string number)
    {
        if (long.TryParse(number, out var n) && n > 0) return n;
        v.Add("number", $"'{number}' is not a ticket number.");
        return 0;
    }

    private static Guid Agent(RequestValidation v, string agentId)
    {
        if (Guid.TryParse(agentId, out var id)) return id;
        v.Add("agentId", $"'{agentId}' is not a staff id.");
        return Guid.Empty;
    }

    private static InterventionResult Result(Ticket t, string recorded, int? sequence = null) =>
        new(t.Number, t.Status, t.AssigneeId, t.TeamId, t.Version, sequence ?? t.LastSequence, recorded);
}
