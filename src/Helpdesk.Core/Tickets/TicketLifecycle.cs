namespace Helpdesk.Core.Tickets;

/// <summary>The answer to "may a ticket move from one status to another?", with the reason when not.</summary>
public readonly record struct TransitionCheck(bool Allowed, string? Reason)
{
    public static TransitionCheck Ok { get; } = new(true, null);
    public static TransitionCheck Refused(string reason) => new(false, reason);
}

/// <summary>
/// The ticket lifecycle of design §5 as an explicit state machine:
/// New → Assigned ⇄ Waiting on customer → Resolved → Feedback received → Archived.
/// A customer reply reopens Resolved (→ Assigned); after Feedback received or Archived it opens
/// a linked follow-up instead. Merged ends a duplicate and is reached only by merging.
/// </summary>
public static class TicketLifecycle
{
    private static readonly Dictionary<TicketStatus, TicketStatus[]> Next = new()
    {
        [TicketStatus.New] = [TicketStatus.Assigned, TicketStatus.Merged],
        // Assigned → New is an unassignment: the ticket goes back to its team's queue.
        [TicketStatus.Assigned] = [TicketStatus.New, TicketStatus.WaitingOnCustomer, TicketStatus.Resolved, TicketStatus.Merged],
        [TicketStatus.WaitingOnCustomer] = [TicketStatus.New, TicketStatus.Assigned, TicketStatus.Resolved, TicketStatus.Merged],
        // Resolved → Assigned/New: the customer replied (New when nobody holds the ticket any more).
        // Resolved → Archived: closed when no feedback comes.
        [TicketStatus.Resolved] = [TicketStatus.New, TicketStatus.Assigned, TicketStatus.FeedbackReceived, TicketStatus.Archived, TicketStatus.Merged],
        [TicketStatus.FeedbackReceived] = [TicketStatus.Archived],
        [TicketStatus.Archived] = [],
        [TicketStatus.Merged] = [],
    };

    public static IReadOnlyList<TicketStatus> AllowedFrom(TicketStatus from) => Next[from];

    public static TransitionCheck Check(TicketStatus from, TicketStatus to)
    {
        if (from == to)
            return TransitionCheck.Refused($"The ticket is already {from}.");
        if (Next[from].Contains(to))
            return TransitionCheck.Ok;
        return TransitionCheck.Refused(ReasonFor(from, to));
    }

    /// <summary>Open tickets are the ones somebody still has to act on.</summary>
    public static bool IsOpen(TicketStatus status) =>
        status is TicketStatus.New or TicketStatus.Assigned or TicketStatus.WaitingOnCustomer;

    public static IReadOnlyList<TicketStatus> OpenStatuses { get; } =
        [TicketStatus.New, TicketStatus.Assigned, TicketStatus.WaitingOnCustomer];

    private static string ReasonFor(TicketStatus from, TicketStatus to) => (from, to) switch
    {
        (TicketStatus.Merged, _) => "The ticket was merged into another ticket and can no longer change.",
        (TicketStatus.Archived, _) => "The ticket is archived; a new contact opens a linked follow-up ticket.",
        (_, TicketStatus.Merged) => "A ticket becomes Merged only by merging it into another ticket.",
        (_, TicketStatus.New) => "Only an open or resolved ticket can go back to the queue.",
        (TicketStatus.New, _) => "A new ticket must be assigned before it can move on.",
        (TicketStatus.FeedbackReceived, _) => "After feedback the ticket can only be archived; a new contact opens a linked follow-up ticket.",
        (_, TicketStatus.FeedbackReceived) => "Feedback can be recorded only on a resolved ticket.",
        (_, TicketStatus.Archived) => "Only a resolved ticket, or one with feedback, can be archived.",
        (TicketStatus.Resolved, TicketStatus.WaitingOnCustomer) => "A resolved ticket must be reopened (Assigned) before it can wait on the customer.",
        _ => $"A ticket cannot move from {from} to {to}.",
    };
}
