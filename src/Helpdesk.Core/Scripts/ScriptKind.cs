namespace Helpdesk.Core.Scripts;

/// <summary>What a piece of standard wording (规范用语/话术) is for.</summary>
public enum ScriptKind
{
    Greeting = 0,              // 开场白: sent when an agent takes a chat
    Closing = 1,               // 结束语: offered before the agent ends a chat, sent by the idle protocol
    Holding = 2,               // 请稍等
    IdlePrompt = 3,            // the customer has gone quiet
    ComplaintOpening = 4,      // apology and empathy before handling a complaint
    SurveyInvitation = 5,      // 满意度评价邀请
    EmailAcknowledgement = 6,  // the automatic answer to a new email ticket
    Canned = 7,                // free canned responses (快捷回复)
    QueueGreeting = 8,         // shown to a customer waiting in the queue, with their position
}

/// <summary>Draft: the working text has changes nobody approved yet. Approved: the working text is the one in use.</summary>
public enum ScriptStatus
{
    Draft = 0,
    Approved = 1,
}

/// <summary>The two languages of design §5, and the loose spellings clients send for them.</summary>
public static class ScriptLanguages
{
    public const string Chinese = "zh-CN";
    public const string English = "en";
    public const string Default = Chinese;

    public static IReadOnlyList<string> All { get; } = [Chinese, English];

    /// <summary>"zh", "zh-cn", "zh-Hans-CN" → zh-CN; "en-GB" → en; anything else → null.</summary>
    public static string? Normalise(string? language)
    {
        if (string.IsNullOrWhiteSpace(language)) return null;
        var l = language.Trim().ToLowerInvariant();
        if (l == "zh" || l.StartsWith("zh-", StringComparison.Ordinal) || l.StartsWith("zh_", StringComparison.Ordinal)) return Chinese;
        if (l == "en" || l.StartsWith("en-", StringComparison.Ordinal) || l.StartsWith("en_", StringComparison.Ordinal)) return English;
        return null;
    }

    public static bool IsKnown(string? language) => language is Chinese or English;
}
