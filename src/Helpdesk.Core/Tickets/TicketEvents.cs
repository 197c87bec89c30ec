namespace Helpdesk.Core.Tickets;

/// <summary>
/// What happened to a ticket (design §3.3). The aggregate records them as it changes; the host
/// publishes them only after the change is committed, so a listener never sees a write that
/// did not happen. They hold the entities, whose ids are known by then.
/// </summary>
public abstract record TicketEvent(Ticket Ticket);

public sealed record TicketCreated(Ticket Ticket) : TicketEvent(Ticket);

public sealed record MessageAdded(Ticket Ticket, TicketMessage Message) : TicketEvent(Ticket);

public sealed record TicketAssigned(Ticket Ticket, Guid? FromAssignee, Guid? ToAssignee, int? FromTeam, int? ToTeam) : TicketEvent(Ticket);

public sealed record StatusChanged(Ticket Ticket, TicketStatus From, TicketStatus To) : TicketEvent(Ticket);

public sealed record TicketMerged(Ticket Ticket, Ticket Target) : TicketEvent(Ticket);

/// <summary>The priority changed (by staff or by the escalation ladder): it can change the SLA policy.</summary>
public sealed record PriorityChanged(Ticket Ticket, TicketPriority From, TicketPriority To) : TicketEvent(Ticket);
