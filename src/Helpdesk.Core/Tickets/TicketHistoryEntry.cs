namespace Helpdesk.Core.Tickets;

/// <summary>One recorded change of a ticket: who, when, which field, from what, to what.</summary>
public sealed class TicketHistoryEntry
{
    private TicketHistoryEntry() { }

    internal TicketHistoryEntry(Actor actor, DateTime at, string field, string? from, string? to, string? reason = null)
    {
        Reason = reason;
        ActorKind = actor.Kind;
        ActorId = actor.Id;
        ActorName = actor.Name;
        At = at;
        Field = field;
        From = from;
        To = to;
    }

    public long Id { get; private set; }
    public long TicketId { get; private set; }
    public DateTime At { get; private set; }
    public ActorKind ActorKind { get; private set; }
    public string? ActorId { get; private set; }
    public string ActorName { get; private set; } = "";
    public string Field { get; private set; } = "";
    public string? From { get; private set; }
    public string? To { get; private set; }
    /// <summary>Why, when the actor was not a person: "triage rule complaint.explicit (rules v3)".</summary>
    public string? Reason { get; private set; }
}
