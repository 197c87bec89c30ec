using Helpdesk.Core.Tickets;
using Helpdesk.Web.Infrastructure;

namespace Helpdesk.Web.Tickets;

public sealed record CreateTicketRequest(
    string? Subject, TicketType? Type, TicketChannel? Channel, TicketPriority? Priority, AfterSalesCategory? Category,
    string? Description, long? CustomerId, int? TeamId, int? QueueId, Guid? AssigneeId, List<string>? Tags, string? ClientMessageId)
{
    public RequestValidation Validate()
    {
        var v = new RequestValidation()
            .Text("subject", Subject, TicketLimits.SubjectMax)
            .Required("type", Type).Defined("type", Type)
            .Defined("channel", Channel).Defined("priority", Priority).Defined("category", Category)
            .Text("description", Description, TicketLimits.BodyMax, required: false)
            .Text("clientMessageId", ClientMessageId, TicketLimits.ClientMessageIdMax, required: false)
            .Positive("customerId", CustomerId).Positive("teamId", TeamId).Positive("queueId", QueueId);
        if (Channel is TicketChannel.Chat or TicketChannel.Email)
            v.Add("channel", "Chat and email tickets come from their channels; use WebForm, Api or Phone here.");
        TagRules.Validate(v, Tags);
        return v;
    }
}

public sealed record MessageRequest(string? Body, string? ClientMessageId, int? ExpectedVersion)
{
    public RequestValidation Validate() => new RequestValidation()
        .Text("body", Body, TicketLimits.BodyMax)
        .Text("clientMessageId", ClientMessageId, TicketLimits.ClientMessageIdMax, required: false)
        .Positive("expectedVersion", ExpectedVersion);
}

/// <summary>Assignee and/or team. Leave a field out to keep it; <c>unassign</c> removes the assignee.</summary>
public sealed record AssignRequest(Guid? AssigneeId, int? TeamId, int? QueueId, bool Unassign, int? ExpectedVersion)
{
    public RequestValidation Validate()
    {
        var v = new RequestValidation().Positive("teamId", TeamId).Positive("queueId", QueueId).Positive("expectedVersion", ExpectedVersion);
        if (Unassign && AssigneeId is not null) v.Add("unassign", "Give an assignee or ask to unassign, not both.");
        if (!Unassign && AssigneeId is null && TeamId is null && QueueId is null) v.Add("assigneeId", "Give an assignee, a team or a queue.");
        if (AssigneeId == Guid.Empty) v.Add("assigneeId", "'assigneeId' is not a valid id.");
        return v;
    }
}

public sealed record StatusRequest(TicketStatus? Status, string? Reason, int? ExpectedVersion)
{
    public RequestValidation Validate() => new RequestValidation()
        .Required("status", Status).Defined("status", Status)
        .Text("reason", Reason, 500, required: false)
        .Positive("expectedVersion", ExpectedVersion);
}

public sealed record MergeRequest(long? TargetNumber, int? ExpectedVersion)
{
    public RequestValidation Validate() => new RequestValidation()
        .Required("targetNumber", TargetNumber).Positive("targetNumber", TargetNumber)
        .Positive("expectedVersion", ExpectedVersion);
}

public sealed record UpdateTicketRequest(TicketPriority? Priority, List<string>? Tags, int? ExpectedVersion)
{
    public RequestValidation Validate()
    {
        var v = new RequestValidation().Defined("priority", Priority).Positive("expectedVersion", ExpectedVersion);
        if (Priority is null && Tags is null) v.Add("priority", "Give a priority or tags to change.");
        TagRules.Validate(v, Tags);
        return v;
    }
}

internal static class TagRules
{
    public static void Validate(RequestValidation v, List<string>? tags)
    {
        if (tags is null) return;
        if (tags.Count > TicketLimits.TagsMax) v.Add("tags", $"At most {TicketLimits.TagsMax} tags.");
        if (tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > TicketLimits.TagMax))
            v.Add("tags", $"Each tag needs 1 to {TicketLimits.TagMax} characters.");
    }
}
