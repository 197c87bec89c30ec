namespace Helpdesk.Core.Surveys;

/// <summary>Where an issued survey stands at a moment.</summary>
public enum SurveyWindow
{
    /// <summary>Not answered yet and the link still valid.</summary>
    Open,
    /// <summary>Answered less than <see cref="SurveyRules.ChangeWindow"/> ago: the answer may still change.</summary>
    Changeable,
    /// <summary>Answered and the change window is over.</summary>
    Locked,
    /// <summary>Never answered and the link is older than <see cref="SurveyRules.TokenLifetime"/>.</summary>
    Expired,
}

/// <summary>Why an answer is refused (the code of the page or problem).</summary>
public sealed record SurveyRefusal(string Code, string Message);

/// <summary>The survey's timing and answer rules (issue 8). Pure: time comes in as an argument.</summary>
public static class SurveyRules
{
    public const int MinScore = 1;
    public const int MaxScore = 5;
    public const int CommentMax = 2000;
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromDays(14);
    public static readonly TimeSpan ChangeWindow = TimeSpan.FromHours(24);
    public static readonly TimeSpan ReminderAfter = TimeSpan.FromHours(48);

    /// <summary>
    /// The state of a survey at <paramref name="now"/>. The link expires 14 days after issue; an
    /// answer given in time is changeable for 24 hours after the first answer, even if that runs
    /// past the 14 days (the customer was told they could change it).
    /// </summary>
    public static SurveyWindow WindowAt(DateTime issuedAt, DateTime? answeredAt, DateTime now)
    {
        if (answeredAt is { } answered)
            return now < answered + ChangeWindow ? SurveyWindow.Changeable : SurveyWindow.Locked;
        return now < issuedAt + TokenLifetime ? SurveyWindow.Open : SurveyWindow.Expired;
    }

    /// <summary>The refusal for an answer at this moment, or null when it may be recorded.</summary>
    public static SurveyRefusal? CheckWindow(DateTime issuedAt, DateTime? answeredAt, DateTime now) => WindowAt(issuedAt, answeredAt, now) switch
    {
        SurveyWindow.Expired => new("survey_expired", "This survey link has expired."),
        SurveyWindow.Locked => new("survey_locked", "This survey was answered and can no longer be changed."),
        _ => null,
    };

    /// <summary>The refusal for the answer's content, or null when it is valid.</summary>
    public static SurveyRefusal? CheckAnswer(int? score, bool? solved, string? comment)
    {
        if (score is null || score < MinScore || score > MaxScore)
            return new("score_out_of_range", $"The score must be a whole number of stars from {MinScore} to {MaxScore}.");
        if (solved is null)
            return new("solved_required", "Say whether the problem was solved (yes or no).");
        if (comment is { Length: > CommentMax })
            return new("comment_too_long", $"The comment may have at most {CommentMax} characters.");
        return null;
    }

    /// <summary>A satisfied answer counts towards CSAT: 4 or 5 stars.</summary>
    public static bool IsSatisfied(int score) => score >= 4;

    /// <summary>An unhappy answer: 2 stars or fewer, or the problem not solved. It needs a follow-up (回访).</summary>
    public static bool NeedsFollowUp(int score, bool solved) => score <= 2 || !solved;

    /// <summary>Why a follow-up was created, for people.</summary>
    public static string FollowUpReason(int score, bool solved) => (score <= 2, !solved) switch
    {
        (true, true) => $"low_score_and_not_solved:{score}",
        (true, false) => $"low_score:{score}",
        _ => "not_solved",
    };

    /// <summary>Is a reminder due: never answered, none sent yet, 48 h passed, link still valid.</summary>
    public static bool ReminderDue(DateTime issuedAt, DateTime? answeredAt, DateTime? reminderSentAt, DateTime now) =>
        answeredAt is null && reminderSentAt is null && now >= issuedAt + ReminderAfter && now < issuedAt + TokenLifetime;

    /// <summary>May an untouched ticket be archived: resolved/answered at least <paramref name="afterDays"/> days ago.</summary>
    public static bool ArchiveDue(DateTime since, int afterDays, DateTime now) => now >= since.AddDays(afterDays);
}
