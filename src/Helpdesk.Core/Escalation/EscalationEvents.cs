using Helpdesk.Core.Sla;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Escalation;

/// <summary>A target of the ticket reached its warning time while its clock ran (design §3.3).</summary>
public sealed record SlaWarning(Ticket Ticket, SlaTarget Target, DateTimeOffset? DueAt) : TicketEvent(Ticket);

/// <summary>A target of the ticket passed its deadline while its clock ran.</summary>
public sealed record SlaBreached(Ticket Ticket, SlaTarget Target, DateTimeOffset? DueAt) : TicketEvent(Ticket);

/// <summary>The ticket climbed the ladder, or a new reason was noted at its level (From == To).</summary>
public sealed record Escalated(Ticket Ticket, EscalationLevel From, EscalationLevel To, string Reason, string? Detail) : TicketEvent(Ticket);

/// <summary>The escalation was cleared (resolved, or by a supervisor).</summary>
public sealed record Deescalated(Ticket Ticket, EscalationLevel From, string Reason, string? Detail) : TicketEvent(Ticket);
