namespace Helpdesk.Core.Surveys;

/// <summary>One answered or unanswered survey as the reports see it.</summary>
public readonly record struct SurveyFact(DateTime IssuedAt, int? Score);

/// <summary>The satisfaction figures of a set of surveys.</summary>
/// <param name="Csat">Share of answers with 4–5 stars (0 … 1); null without answers.</param>
/// <param name="ResponseRate">Answered surveys over issued ones; null when none was issued.</param>
public sealed record CsatFigures(int Issued, int Answered, int Satisfied, double? Csat, double? AverageScore, double? ResponseRate, bool? MeetsTarget);

/// <summary>CSAT arithmetic (design §5: target 95 % of answers at 4–5 stars).</summary>
public static class CsatMath
{
    public const double Target = 0.95;

    public static CsatFigures Compute(IEnumerable<SurveyFact> surveys)
    {
        int issued = 0, answered = 0, satisfied = 0, sum = 0;
        foreach (var s in surveys)
        {
            issued++;
            if (s.Score is not { } score) continue;
            answered++;
            sum += score;
            if (SurveyRules.IsSatisfied(score)) satisfied++;
        }
        double? csat = answered == 0 ? null : Math.Round((double)satisfied / answered, 4);
        return new CsatFigures(issued, answered, satisfied, csat,
            answered == 0 ? null : Math.Round((double)sum / answered, 2, MidpointRounding.AwayFromZero),
            issued == 0 ? null : Math.Round((double)answered / issued, 4),
            csat is null ? null : csat >= Target);
    }
}

/// <summary>
/// The agent's performance grade (业务等级) from rolling CSAT: the answers to surveys of the agent's
/// tickets issued in the last 90 days. A: CSAT ≥ 95 % (the target), B: ≥ 85 %, C: ≥ 70 %, D below;
/// fewer than 5 answers is "unrated" (one unhappy customer should not brand a new agent).
/// </summary>
public static class AgentGrading
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(90);
    public const int MinAnswers = 5;
    public const string Unrated = "unrated";

    public static string Grade(int answers, double? csat) => answers < MinAnswers || csat is null ? Unrated : csat switch
    {
        >= CsatMath.Target => "A",
        >= 0.85 => "B",
        >= 0.70 => "C",
        _ => "D",
    };
}
