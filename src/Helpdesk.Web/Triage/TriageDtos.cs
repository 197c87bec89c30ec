using Helpdesk.Core.Tickets;
using Helpdesk.Core.Triage;

namespace Helpdesk.Web.Triage;

/// <summary>The explanation stored with each result.</summary>
public sealed record TriageExplanation(TypeScores Scores, double SeverityPoints, TicketPriority Priority, string? QueueKey, IReadOnlyList<FiredRule> Fired);

public sealed record TriageResultView(
    long Id, long? MessageId, int RuleSetVersion, DateTime At, TicketType Type, AfterSalesCategory Category, TriageSeverity Severity,
    HandlingMode Handling, IReadOnlyList<string> Flags, double Sentiment, IReadOnlyList<string> Applied, TriageExplanation Explanation);

public sealed record TriageCorrectionView(long Id, long TriageResultId, DateTime At, Guid StaffId, string StaffName,
    TicketType FromType, TicketType ToType, AfterSalesCategory FromCategory, AfterSalesCategory ToCategory,
    TriageSeverity FromSeverity, TriageSeverity ToSeverity);

/// <summary>GET /api/tickets/{number}/triage: the latest result first, then the earlier ones, and the corrections.</summary>
public sealed record TicketTriageView(long TicketNumber, int TicketVersion, HandlingMode? HandlingMode, IReadOnlyList<string> Flags,
    IReadOnlyList<string> ManualFields, TriageResultView? Latest, IReadOnlyList<TriageResultView> Results, IReadOnlyList<TriageCorrectionView> Corrections);

public sealed record TriageCorrectionRequest(TicketType? Type, AfterSalesCategory? Category, TriageSeverity? Severity, int? ExpectedVersion);

public sealed record AccuracyBucket(DateOnly Start, int Triaged, int Corrected, double Accuracy, double TypeAccuracy, double CategoryAccuracy, double SeverityAccuracy);

public sealed record TriageAccuracy(string Period, DateOnly From, DateOnly To, int Triaged, int Corrected, double Accuracy,
    double TypeAccuracy, double CategoryAccuracy, double SeverityAccuracy, IReadOnlyList<AccuracyBucket> Buckets);

public sealed record RuleSetSummary(int Version, RuleSetStatus Status, string? Note, int? BasedOnVersion, int RuleCount,
    DateTime CreatedAt, string CreatedBy, DateTime UpdatedAt, DateTime? PublishedAt, string? PublishedBy);

public sealed record RuleSetDetail(RuleSetSummary Summary, TriageRuleSet Rules, bool IsCurrent);

public sealed record EditRulesRequest(TriageRuleSet? Rules, string? Note);

public sealed record NewDraftRequest(int? FromVersion, string? Note);

public sealed record TryRulesRequest(string? Text);

public static class TriageViews
{
    public static IReadOnlyList<string> Names<T>(T flags) where T : struct, Enum =>
        Enum.GetValues<T>().Where(f => Convert.ToInt32(f) != 0 && flags.HasFlag(f)).Select(f => f.ToString()).ToList();

    public static RuleSetSummary Summary(TriageRuleSetVersion v) =>
        new(v.Version, v.Status, v.Note, v.BasedOnVersion, v.Rules().Rules.Count, v.CreatedAt, v.CreatedBy, v.UpdatedAt, v.PublishedAt, v.PublishedBy);
}
