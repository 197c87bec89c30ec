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

/// <summary>
/// Automatic triage changed the ticket (type, category, priority, queue or handling mode). The SLA
/// feature re-matches its policy on it: an immediate-mode complaint gets the stricter one.
/// </summary>
public sealed record TicketTriaged(Ticket Ticket, int RuleSetVersion, IReadOnlyList<string> Changed) : TicketEvent(Ticket);

/// <summary>
/// Triage raised flags the ticket did not have yet (each flag is raised once per ticket). The
/// escalation feature consumes it: a RegulatorOrMediaThreat enters the escalation ladder at once.
/// </summary>
public sealed record TriageFlagRaised(Ticket Ticket, Triage.TriageFlags Raised, Triage.TriageFlags All, int RuleSetVersion, IReadOnlyList<string> RuleIds) : TicketEvent(Ticket);

/// <summary>The priority changed (by staff or by the escalation ladder): it can change the SLA policy.</summary>
public sealed record PriorityChanged(Ticket Ticket, TicketPriority From, TicketPriority To) : TicketEvent(Ticket);

/// <summary>
/// The customer answered (or changed the answer of) the satisfaction survey (design §3.3). Reports,
/// the agent's grade and the follow-up feature listen.
/// </summary>
public sealed record SurveyAnswered(Ticket Ticket, long SurveyId, int Score, bool Solved, bool Changed) : TicketEvent(Ticket);

/// <summary>
/// A survey answer with 2 stars or fewer, or "not solved". The escalation feature enters the
/// ladder on it (EscalationTrigger.LowSurveyScore); raised once per survey (a change to another low answer does not raise it again).
/// </summary>
public sealed record LowSurveyScoreReceived(Ticket Ticket, long SurveyId, int Score, bool Solved) : TicketEvent(Ticket);
