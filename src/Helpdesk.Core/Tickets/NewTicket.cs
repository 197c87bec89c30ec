namespace Helpdesk.Core.Tickets;

/// <summary>What is needed to open a ticket. <see cref="Description"/> becomes the first customer message.</summary>
public sealed record NewTicket(
    string Subject,
    TicketType Type,
    TicketChannel Channel,
    TicketPriority Priority = TicketPriority.Normal,
    AfterSalesCategory Category = AfterSalesCategory.None,
    string? Description = null,
    long? CustomerId = null,
    int? TeamId = null,
    int? QueueId = null,
    Guid? AssigneeId = null,
    IReadOnlyList<string>? Tags = null,
    long? FollowUpOfTicketId = null,
    string? ClientMessageId = null,
    string? Language = null);
