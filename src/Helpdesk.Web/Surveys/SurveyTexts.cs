namespace Helpdesk.Web.Surveys;

/// <summary>
/// The survey's own words in zh-CN and en: the mail's subject and link lines, and the survey page
/// (server-rendered, so it works without scripts). The invitation itself comes from the script
/// library (ScriptKind.SurveyInvitation); <see cref="InvitationFallback"/> only when none is approved.
/// </summary>
public static class SurveyTexts
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    public static string Normalise(string? language) =>
        language is not null && language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese
        : language is not null && language.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English
        : Chinese;

    /// <summary>The first of Accept-Language's languages we speak (by quality), else zh-CN.</summary>
    public static string FromAcceptLanguage(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return Chinese;
        var ranked = header.Split(',')
            .Select(part => part.Split(';'))
            .Select(p => (Tag: p[0].Trim(), Q: p.Skip(1).Select(x => x.Trim()).FirstOrDefault(x => x.StartsWith("q=")) is { } q
                && double.TryParse(q[2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 1.0))
            .OrderByDescending(x => x.Q);
        foreach (var (tag, _) in ranked)
        {
            if (tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase)) return Chinese;
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase)) return English;
        }
        return Chinese;
    }

    public static string InvitationFallback(string lang) => lang == English
        ? "Thank you for contacting us! Please take a moment to rate how we handled your request."
        : "感谢您的咨询！请您对本次服务进行评价。";

    public static string MailSubject(string lang, long number, bool reminder) => (lang, reminder) switch
    {
        (English, false) => $"How did we do? [#{number}]",
        (English, true) => $"Reminder: how did we do? [#{number}]",
        (_, false) => $"请评价我们的服务 [#{number}]",
        (_, true) => $"提醒：请评价我们的服务 [#{number}]",
    };

    public static string MailBody(string lang, string invitation, string link, bool reminder) => lang == English
        ? (reminder ? "We have not heard from you yet, so here is the survey once more.\n\n" : "") + invitation
          + $"\n\nRate us (1–5 stars, takes a minute): {link}\n\nThe link is valid for 14 days. You can change your answer within 24 hours."
        : (reminder ? "您还没有评价本次服务，再次打扰。\n\n" : "") + invitation
          + $"\n\n点此评价（1–5 星，一分钟即可）：{link}\n\n链接 14 天内有效；提交后 24 小时内可以修改。";

    private static readonly Dictionary<string, Dictionary<string, string>> Page = new()
    {
        [Chinese] = new()
        {
            ["title"] = "服务满意度评价",
            ["ticket"] = "工单 {0}",
            ["score"] = "您对本次服务满意吗？",
            ["star1"] = "1 星：非常不满意", ["star2"] = "2 星：不满意", ["star3"] = "3 星：一般", ["star4"] = "4 星：满意", ["star5"] = "5 星：非常满意",
            ["solved"] = "您的问题解决了吗？",
            ["yes"] = "已解决", ["no"] = "未解决",
            ["comment"] = "意见或建议（选填）",
            ["submit"] = "提交评价",
            ["sending"] = "正在提交…",
            ["thanks"] = "感谢您的评价！",
            ["thanksDetail"] = "您的意见已记录。24 小时内您仍可以通过同一链接修改评价。",
            ["changeHint"] = "您已评价过，可在 {0} 前修改。",
            ["change"] = "修改评价",
            ["problem"] = "无法提交",
            ["expired"] = "此评价链接已过期（有效期 14 天）。感谢您的关注！",
            ["locked"] = "此评价已提交超过 24 小时，不能再修改。感谢您的反馈！",
            ["invalid"] = "此评价链接无效，可能被修改过或不完整。请使用邮件中的完整链接。",
            ["superseded"] = "此工单有更新的评价邀请，请使用最新邮件中的链接。",
            ["closed"] = "此工单目前无法评价（已重新处理或已归档）。",
            ["scoreError"] = "请选择 1 到 5 星。",
            ["solvedError"] = "请选择问题是否已解决。",
            ["commentError"] = "意见最多 2000 字。",
            ["error"] = "提交失败，请稍后再试。",
            ["language"] = "English",
        },
        [English] = new()
        {
            ["title"] = "How did we do?",
            ["ticket"] = "Ticket {0}",
            ["score"] = "How satisfied are you with our service?",
            ["star1"] = "1 star: very dissatisfied", ["star2"] = "2 stars: dissatisfied", ["star3"] = "3 stars: neutral", ["star4"] = "4 stars: satisfied", ["star5"] = "5 stars: very satisfied",
            ["solved"] = "Was your problem solved?",
            ["yes"] = "Yes", ["no"] = "No",
            ["comment"] = "Comment (optional)",
            ["submit"] = "Send my rating",
            ["sending"] = "Sending…",
            ["thanks"] = "Thank you for your feedback!",
            ["thanksDetail"] = "Your answer is recorded. You can change it with the same link within 24 hours.",
            ["changeHint"] = "You have already answered; you can change it until {0}.",
            ["change"] = "Change my rating",
            ["problem"] = "Cannot send",
            ["expired"] = "This survey link has expired (links are valid for 14 days). Thank you all the same!",
            ["locked"] = "This survey was answered more than 24 hours ago and can no longer be changed. Thank you for your feedback!",
            ["invalid"] = "This survey link is not valid: it may have been altered or cut short. Please use the complete link from the mail.",
            ["superseded"] = "There is a newer survey for this ticket; please use the link in the latest mail.",
            ["closed"] = "This ticket cannot be rated at the moment (it was reopened or archived).",
            ["scoreError"] = "Choose 1 to 5 stars.",
            ["solvedError"] = "Say whether your problem was solved.",
            ["commentError"] = "The comment may have at most 2000 characters.",
            ["error"] = "Sending failed; please try again in a moment.",
            ["language"] = "中文",
        },
    };

    public static string T(string lang, string key) => Page[Normalise(lang)][key];
}
