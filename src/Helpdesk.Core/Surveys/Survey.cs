using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Surveys;

/// <summary>
/// One satisfaction survey (满意度调查) of a resolved ticket: issued once per resolution, answered by
/// the customer (1–5 stars, solved yes/no, an optional comment), changeable for a while, then locked.
/// The agent, team, channel and type are copied at issue so reports group by who handled it then.
/// </summary>
public sealed class Survey
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public long TicketNumber { get; set; }
    public Guid? AgentId { get; set; }
    public int? TeamId { get; set; }
    public TicketChannel Channel { get; set; }
    public TicketType Type { get; set; }
    public string Language { get; set; } = "zh-CN";
    /// <summary>Random nonce inside the token: a token of an earlier survey of the same ticket opens nothing.</summary>
    public string Nonce { get; set; } = "";
    public DateTime IssuedAt { get; set; }
    public DateTime? ReminderSentAt { get; set; }
    public DateTime? AnsweredAt { get; set; }
    public DateTime? ChangedAt { get; set; }
    public int? Score { get; set; }
    public bool? Solved { get; set; }
    public string? Comment { get; set; }
    /// <summary>Triage sentiment of the comment (−1 … 1); null without a comment.</summary>
    public double? CommentSentiment { get; set; }
    public int Version { get; set; }

    public bool IsAnswered => AnsweredAt is not null;
}

/// <summary>A follow-up call (回访) a supervisor owes an unhappy customer.</summary>
public sealed class FollowUpTask
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public long TicketNumber { get; set; }
    public long SurveyId { get; set; }
    public Guid? AgentId { get; set; }
    public int? TeamId { get; set; }
    public int Score { get; set; }
    public bool Solved { get; set; }
    public string Reason { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? DoneAt { get; set; }
    public string? DoneBy { get; set; }
    public string? DoneNote { get; set; }
}

/// <summary>An agent's performance grade (业务等级): rolling CSAT over <see cref="AgentGrading.Window"/>.</summary>
public sealed class AgentCsatGrade
{
    public Guid AgentId { get; set; }
    public int Answers { get; set; }
    public int Satisfied { get; set; }
    public double Csat { get; set; }
    public double AverageScore { get; set; }
    public string Grade { get; set; } = AgentGrading.Unrated;
    public DateTime UpdatedAt { get; set; }
}
