using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Sla;

/// <summary>One fact the SLA clocks care about.</summary>
public abstract record SlaEvent(DateTimeOffset At);

/// <summary>The ticket was created (in <paramref name="Status"/>, normally New).</summary>
public sealed record SlaTicketOpened(DateTimeOffset At, TicketStatus Status = TicketStatus.New) : SlaEvent(At);

/// <summary>The customer wrote.</summary>
public sealed record SlaCustomerMessage(DateTimeOffset At) : SlaEvent(At);

/// <summary>An agent answered the customer publicly (an internal note is not an answer).</summary>
public sealed record SlaAgentReply(DateTimeOffset At) : SlaEvent(At);

/// <summary>The ticket moved to another status (resolution is the move to Resolved).</summary>
public sealed record SlaStatusChange(DateTimeOffset At, TicketStatus To) : SlaEvent(At);

/// <summary>
/// A ticket's SLA-relevant history as a small immutable list, in the order things happened. Events
/// at the same instant keep the order they were given in (a customer message that reopens a
/// resolved ticket comes before the status change it causes). The Web layer builds one from the
/// ticket (<see cref="FromTicket"/>) and evaluates it again after every change.
/// </summary>
public sealed class SlaTimeline
{
    private readonly SlaEvent[] _events;

    private SlaTimeline(SlaEvent[] events) => _events = events;

    public IReadOnlyList<SlaEvent> Events => _events;

    public DateTimeOffset OpenedAt => _events[0].At;

    public static SlaTimeline Of(IEnumerable<SlaEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var ordered = events.Select((e, i) => (e, i)).OrderBy(x => x.e.At).ThenBy(x => x.i).Select(x => x.e).ToArray();
        if (ordered.Length == 0 || ordered[0] is not SlaTicketOpened)
            throw new ArgumentException("An SLA timeline starts with the ticket's opening; nothing may come before it.");
        if (ordered.Skip(1).Any(e => e is SlaTicketOpened))
            throw new ArgumentException("An SLA timeline has one opening.");
        return new SlaTimeline(ordered);
    }

    public SlaTimeline With(SlaEvent next) => Of([.. _events, next]);

    /// <summary>
    /// From the aggregate: its creation, then its timeline in sequence order (customer messages,
    /// agent replies, status changes). Needs <see cref="Ticket.Messages"/> loaded.
    /// </summary>
    public static SlaTimeline FromTicket(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var opened = Utc(ticket.CreatedAt);
        var events = new List<SlaEvent> { new SlaTicketOpened(opened) };
        foreach (var message in ticket.Messages.OrderBy(m => m.Sequence))
        {
            // Messages merged in from an older duplicate count from this ticket's opening.
            var at = Utc(message.CreatedAt) is var written && written > opened ? written : opened;
            switch (message.Kind)
            {
                case MessageKind.Customer:
                    events.Add(new SlaCustomerMessage(at));
                    break;
                case MessageKind.Agent:
                    events.Add(new SlaAgentReply(at));
                    break;
                case MessageKind.System when message.EventCode == "status_changed"
                                             && Enum.TryParse<TicketStatus>(message.EventTo, out var to):
                    events.Add(new SlaStatusChange(at, to));
                    break;
            }
        }
        return Of(events);
    }

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
