using System.Security.Claims;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Helpdesk.Web.Scripts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Helpdesk.Web.Tickets;

/// <summary>Query string of GET /api/tickets; parsed by hand so that each bad value is named in the 400.</summary>
public sealed record TicketListQuery(
    string? View, string? Sort, string? Status, string? Type, string? Category, string? Priority, string? Channel,
    string? TeamId, string? QueueId, string? AssigneeId, string? Unassigned, string? CustomerId, string? Q,
    string? CreatedFrom, string? CreatedTo, string? Cursor, string? Limit);

/// <summary>/api/tickets: the staff API of the ticketing core.</summary>
public static class TicketsApi
{
    public static RouteGroupBuilder MapTicketsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/tickets").WithTags("Tickets")
            .RequireAuthorization(StaffPolicies.Staff)
            .AddEndpointFilter<AntiforgeryFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/", List).WithName("ListTickets");
        api.MapPost("/", Create).WithName("CreateTicket").ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/{number}", Get).WithName("GetTicket").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{number}/timeline", Timeline).WithName("GetTicketTimeline").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPatch("/{number}", Update).WithName("UpdateTicket").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{number}/replies", Reply).WithName("ReplyToTicket").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/{number}/notes", Note).WithName("AddInternalNote").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{number}/customer-messages", CustomerMessage).WithName("LogCustomerMessage").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{number}/assignment", Assign).WithName("AssignTicket").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{number}/status", ChangeStatus).WithName("ChangeTicketStatus").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{number}/merge", Merge).WithName("MergeTicket").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Results<Ok<TicketPage>, ValidationProblem>> List([AsParameters] TicketListQuery q, ClaimsPrincipal user, TicketQueries queries, CancellationToken ct)
    {
        var v = new RequestValidation();
        TicketCursor? cursor = null;
        if (!string.IsNullOrEmpty(q.Cursor) && !TicketCursor.TryDecode(q.Cursor, out cursor))
            v.Add("cursor", "The cursor is not one this API gave out.");
        var filter = new TicketFilter
        {
            View = v.Enum<TicketView>("view", q.View) ?? TicketView.All,
            Sort = v.Enum<TicketSort>("sort", q.Sort) ?? TicketSort.Priority,
            Statuses = v.Enums<TicketStatus>("status", q.Status),
            Type = v.Enum<TicketType>("type", q.Type),
            Category = v.Enum<AfterSalesCategory>("category", q.Category),
            Priority = v.Enum<TicketPriority>("priority", q.Priority),
            Channel = v.Enum<TicketChannel>("channel", q.Channel),
            TeamId = v.Int("teamId", q.TeamId),
            QueueId = v.Int("queueId", q.QueueId),
            AssigneeId = v.Guid("assigneeId", q.AssigneeId),
            Unassigned = v.Bool("unassigned", q.Unassigned) ?? false,
            CustomerId = v.Long("customerId", q.CustomerId),
            Text = q.Q,
            CreatedFrom = v.Date("createdFrom", q.CreatedFrom),
            CreatedTo = v.Date("createdTo", q.CreatedTo),
            Limit = v.Int("limit", q.Limit, 1, 200) ?? 50,
            After = cursor,
        };
        if (q.Q is { Length: > 200 }) v.Add("q", "The search text is longer than 200 characters.");
        if (cursor is not null && cursor.Sort != filter.Sort) v.Add("cursor", "The cursor belongs to another sort order.");
        if (filter.CreatedFrom > filter.CreatedTo) v.Add("createdTo", "'createdTo' is before 'createdFrom'.");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return TypedResults.Ok(await queries.ListAsync(filter, user.StaffId(), ct));
    }

    private static async Task<Results<Created<TicketDetail>, ValidationProblem>> Create(CreateTicketRequest body, ClaimsPrincipal user,
        TicketService tickets, TicketQueries queries, CancellationToken ct)
    {
        var v = body.Validate();
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var ticket = await tickets.CreateAsync(new NewTicket(body.Subject!, body.Type!.Value, body.Channel ?? TicketChannel.Api,
            body.Priority ?? TicketPriority.Normal, body.Category ?? AfterSalesCategory.None, body.Description, body.CustomerId,
            body.TeamId, body.QueueId, body.AssigneeId, body.Tags, ClientMessageId: body.ClientMessageId), user.ToActor(), ct);
        return TypedResults.Created($"/api/tickets/{ticket.Number}", await queries.GetAsync(ticket.Number, ct));
    }

    private static async Task<Results<Ok<TicketDetail>, ValidationProblem>> Get(string number, TicketQueries queries, CancellationToken ct)
    {
        if (ParseNumber(number) is not { } n) return BadNumber();
        return TypedResults.Ok(await queries.GetAsync(n, ct));
    }

    private static async Task<Results<Ok<IReadOnlyList<TimelineEntry>>, ValidationProblem>> Timeline(string number, string? after, TicketQueries queries, CancellationToken ct)
    {
        var v = new RequestValidation();
        var afterSequence = v.Int("after", after, 0) ?? 0;
        if (ParseNumber(number) is not { } n) return BadNumber();
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        return TypedResults.Ok(await queries.TimelineAfterAsync(n, afterSequence, ct));
    }

    private static async Task<Results<Ok<TicketSummary>, ValidationProblem>> Update(string number, UpdateTicketRequest body, ClaimsPrincipal user,
        TicketService tickets, TicketQueries queries, CancellationToken ct)
    {
        if (ParseNumber(number) is not { } n) return BadNumber();
        var v = body.Validate();
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var ticket = await tickets.UpdateDetailsAsync(n, body.Priority, body.Tags, user.ToActor(), body.ExpectedVersion, ct);
        return TypedResults.Ok((await queries.SummariseAsync([ticket], ct))[0]);
    }

    /// <summary>A reply reaches the customer, so its wording passes the forbidden-phrase guard first (422 naming the phrase and the approved wording).</summary>
    private static async Task<Results<Created<MessageResult>, Ok<MessageResult>, ValidationProblem, ProblemHttpResult>> Reply(string number, MessageRequest body,
        ClaimsPrincipal user, TicketService tickets, ForbiddenPhraseGuard guard, CancellationToken ct)
    {
        if (await guard.CheckAsync(body.Body, ct) is { Count: > 0 } forbidden)
            return TypedResults.Problem(ForbiddenPhraseGuard.Problem(forbidden));
        return (await AddMessage(number, body, (n, b) => tickets.ReplyAsync(n, b.Body!, user.ToActor(), user.StaffId()!.Value, b.ClientMessageId, b.ExpectedVersion, ct))).Result switch
        {
            Created<MessageResult> created => created,
            Ok<MessageResult> ok => ok,
            ValidationProblem invalid => invalid,
            var other => throw new InvalidOperationException($"Unexpected result {other}"),
        };
    }

    private static Task<Results<Created<MessageResult>, Ok<MessageResult>, ValidationProblem>> Note(string number, MessageRequest body, ClaimsPrincipal user, TicketService tickets, CancellationToken ct) =>
        AddMessage(number, body, (n, b) => tickets.AddNoteAsync(n, b.Body!, user.ToActor(), b.ClientMessageId, b.ExpectedVersion, ct));

    /// <summary>Staff write down what a customer said elsewhere (a phone call); it counts as the customer's message.</summary>
    private static Task<Results<Created<MessageResult>, Ok<MessageResult>, ValidationProblem>> CustomerMessage(string number, MessageRequest body, TicketService tickets, CancellationToken ct) =>
        AddMessage(number, body, (n, b) => tickets.AddCustomerMessageAsync(n, b.Body!, Actor.Customer(null, "customer"), b.ClientMessageId, ct));

    private static async Task<Results<Created<MessageResult>, Ok<MessageResult>, ValidationProblem>> AddMessage(string number, MessageRequest body,
        Func<long, MessageRequest, Task<AppendResult>> add)
    {
        if (ParseNumber(number) is not { } n) return BadNumber();
        var v = body.Validate();
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var added = await add(n, body);
        var result = new MessageResult(added.Ticket.Number, added.Ticket.Version, added.Ticket.Status, TimelineEntry.From(added.Message), added.Duplicate);
        // A retry of a message already stored answers 200 with the stored one: nothing doubles.
        return added.Duplicate ? TypedResults.Ok(result) : TypedResults.Created($"/api/tickets/{added.Ticket.Number}", result);
    }

    private static async Task<Results<Ok<TicketSummary>, ValidationProblem>> Assign(string number, AssignRequest body, ClaimsPrincipal user,
        TicketService tickets, TicketQueries queries, CancellationToken ct)
    {
        if (ParseNumber(number) is not { } n) return BadNumber();
        var v = body.Validate();
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var current = await queries.GetSummaryAsync(n, ct);
        var ticket = await tickets.AssignAsync(n, body.Unassign ? null : body.AssigneeId ?? current.AssigneeId,
            body.TeamId ?? current.TeamId, body.QueueId, user.ToActor(), body.ExpectedVersion, ct);
        return TypedResults.Ok((await queries.SummariseAsync([ticket], ct))[0]);
    }

    private static async Task<Results<Ok<TicketSummary>, ValidationProblem>> ChangeStatus(string number, StatusRequest body, ClaimsPrincipal user,
        TicketService tickets, TicketQueries queries, CancellationToken ct)
    {
        if (ParseNumber(number) is not { } n) return BadNumber();
        var v = body.Validate();
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var ticket = await tickets.ChangeStatusAsync(n, body.Status!.Value, user.ToActor(), body.Reason, body.ExpectedVersion, ct);
        return TypedResults.Ok((await queries.SummariseAsync([ticket], ct))[0]);
    }

    public sealed record MergeResult(TicketSummary Source, TicketSummary Target);

    private static async Task<Results<Ok<MergeResult>, ValidationProblem>> Merge(string number, MergeRequest body, ClaimsPrincipal user,
        TicketService tickets, TicketQueries queries, CancellationToken ct)
    {
        if (ParseNumber(number) is not { } n) return BadNumber();
        var v = body.Validate();
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        var (source, target) = await tickets.MergeAsync(n, body.TargetNumber!.Value, user.ToActor(), body.ExpectedVersion, ct);
        var summaries = await queries.SummariseAsync([source, target], ct);
        return TypedResults.Ok(new MergeResult(summaries[0], summaries[1]));
    }

    private static long? ParseNumber(string text) => long.TryParse(text, out var n) && n > 0 ? n : null;

    private static ValidationProblem BadNumber() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["number"] = ["A ticket number is a positive whole number, e.g. 100001."] });
}
