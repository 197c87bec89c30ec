using Helpdesk.Core.Chat;
using Helpdesk.Core.Supervision;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Web.Supervisor;

/// <summary>
/// What every supervisor's dashboard shows, computed once per change and pushed to all of them.
/// <see cref="Sequence"/> grows with every computation, so a client keeps only the newest;
/// <see cref="ServerTime"/> lets it count waits up between pushes with its own clock corrected.
/// </summary>
public sealed record DashboardSnapshot(
    long Sequence, DateTime ServerTime, DateOnly Today, string TimeZone,
    IReadOnlyList<TeamFigures> Teams, IReadOnlyList<AgentFigures> Agents, TodayFigures Day,
    IReadOnlyList<EscalatedTicket> Escalations);

/// <param name="OldestWaitingSince">When the longest-waiting chat of the team started; null when none waits.</param>
/// <param name="OpenByStatus">Open tickets of the team by status (New, Assigned, WaitingOnCustomer).</param>
public sealed record TeamFigures(int TeamId, string Key, string Name, string NameZh,
    int WaitingChats, DateTime? OldestWaitingSince, long? LongestWaitSeconds,
    IReadOnlyDictionary<TicketStatus, int> OpenByStatus, int SlaAtRisk, int SlaBreached);

/// <param name="CurrentChats">Open chats the agent holds plus chats offered to them (routing counts both as load).</param>
/// <param name="HandledToday">Tickets the agent resolved today.</param>
/// <param name="AverageFirstResponseSeconds">Over today's tickets the agent answered first.</param>
public sealed record AgentFigures(Guid AgentId, string Name, IReadOnlyList<int> TeamIds, PresenceStatus Presence,
    int CurrentChats, int Capacity, int HandledToday, double? AverageFirstResponseSeconds);

public sealed record ChannelResponse(TicketChannel Channel, ResponseTimeFigures FirstResponse);

/// <param name="ResolutionRate">Of today's tickets, the share already resolved (0 … 1).</param>
/// <param name="Csat">Surveys answered today against the 95 % target.</param>
/// <param name="Complaints">Today's tickets of type Complaint.</param>
/// <param name="Escalations">Tickets that entered the escalation ladder today.</param>
/// <param name="EscalatedNow">Open tickets escalated right now.</param>
public sealed record TodayFigures(int Created, IReadOnlyDictionary<TicketChannel, int> ByChannel, IReadOnlyDictionary<TicketType, int> ByType,
    IReadOnlyList<ChannelResponse> FirstResponse, int Resolved, double? ResolutionRate,
    Core.Surveys.CsatFigures Csat, double CsatTarget, int Complaints, int Escalations, int EscalatedNow);

/// <summary>An open escalated ticket, for the dashboard's acknowledge button.</summary>
public sealed record EscalatedTicket(long Number, string Subject, int? TeamId, int Level, DateTime? Since,
    DateTime? AcknowledgedAt, string? AcknowledgedBy);
