using System.Net;
using System.Text;
using Helpdesk.Core.Surveys;

namespace Helpdesk.Web.Surveys;

/// <summary>
/// /survey/{token}: a server-rendered HTML form, so it works with scripts disabled (a plain form
/// POST); /survey/survey.js enhances it (sends by fetch, shows progress). Phone-width layout, zh-CN
/// and en (Accept-Language, or ?lang= from the switch). A bad link gets a friendly page with a 4xx
/// status and records nothing.
/// </summary>
public static class SurveyPage
{
    public static void MapSurveyPage(this IEndpointRouteBuilder routes)
    {
        var page = routes.MapGroup("/survey").WithTags("Surveys").AllowAnonymous().ExcludeFromDescription()
            .RequireRateLimiting(Infrastructure.PlatformFeature.SurveyPageRateLimit);
        // A token is base64url (no dot), so /survey/survey.css and survey.js stay static files.
        page.MapGet(TokenRoute, Show).WithName("SurveyPage");
        page.MapPost(TokenRoute, Submit).WithName("SurveyPageSubmit").DisableAntiforgery();
    }

    private const string TokenRoute = "/{token:regex(^[A-Za-z0-9_-]+$)}";

    private static string Language(HttpContext http) =>
        http.Request.Query["lang"].ToString() is { Length: > 0 } chosen ? SurveyTexts.Normalise(chosen)
        : http.Request.HasFormContentType && http.Request.Form["lang"].ToString() is { Length: > 0 } posted ? SurveyTexts.Normalise(posted)
        : SurveyTexts.FromAcceptLanguage(http.Request.Headers.AcceptLanguage);

    private static async Task<IResult> Show(string token, HttpContext http, SurveyAnswers answers, CancellationToken ct)
    {
        var lang = Language(http);
        try
        {
            var opened = await answers.OpenAsync(token, ct);
            return Html(200, Form(lang, token, opened.Survey, opened.Window, error: null, posted: null));
        }
        catch (SurveyRefusedException e)
        {
            return Html(e.Status, Notice(lang, token, SurveyTexts.T(lang, "problem"), SurveyTexts.T(lang, e.Code), "refused", e.Code));
        }
    }

    private static async Task<IResult> Submit(string token, HttpContext http, SurveyAnswers answers, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var lang = Language(http);
        int? score = int.TryParse(form["score"], out var s) ? s : null;
        bool? solved = form["solved"].ToString() switch { "yes" => true, "no" => false, _ => null };
        var comment = form["comment"].ToString();
        try
        {
            await answers.SubmitAsync(token, score, solved, comment, ct);
            return Html(200, Notice(lang, token, SurveyTexts.T(lang, "thanks"), SurveyTexts.T(lang, "thanksDetail"), "thanks", null, change: true));
        }
        catch (SurveyRefusedException e)
        {
            return Html(e.Status, Notice(lang, token, SurveyTexts.T(lang, "problem"), SurveyTexts.T(lang, e.Code), "refused", e.Code));
        }
        catch (SurveyAnswerInvalidException e)
        {
            var opened = await answers.OpenAsync(token, ct);
            return Html(400, Form(lang, token, opened.Survey, opened.Window, ErrorKey(e.Refusal.Code), (score, solved, comment)));
        }
    }

    public static string ErrorKey(string code) => code switch
    {
        "solved_required" => "solvedError",
        "comment_too_long" => "commentError",
        _ => "scoreError",
    };

    private static IResult Html(int status, string body) => Results.Text(body, "text/html; charset=utf-8", Encoding.UTF8, status);

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string Head(string lang, string title) =>
        $"""
        <!DOCTYPE html>
        <html lang="{lang}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{E(title)}</title>
        <link rel="stylesheet" href="/survey/survey.css">
        </head>
        <body>
        """;

    private static string Switch(string lang, string token) =>
        $"""<nav class="lang"><a id="lang-switch" href="/survey/{E(Uri.EscapeDataString(token))}?lang={(lang == SurveyTexts.English ? "zh-CN" : "en")}" hreflang="{(lang == SurveyTexts.English ? "zh-CN" : "en")}">{E(SurveyTexts.T(lang, "language"))}</a></nav>""";

    private static string Form(string lang, string token, Survey survey, SurveyWindow window, string? error, (int? Score, bool? Solved, string? Comment)? posted)
    {
        string T(string key) => E(SurveyTexts.T(lang, key));
        var score = posted?.Score ?? survey.Score;
        var solved = posted is not null ? posted.Value.Solved : survey.Solved;
        var comment = posted?.Comment ?? survey.Comment ?? "";
        var action = $"/survey/{E(Uri.EscapeDataString(token))}?lang={lang}";
        var html = new StringBuilder(Head(lang, SurveyTexts.T(lang, "title")));
        html.Append("<main class=\"card\">").Append(Switch(lang, token));
        html.Append($"<h1>{T("title")}</h1><p class=\"muted\">{E(string.Format(SurveyTexts.T(lang, "ticket"), survey.TicketNumber))}</p>");
        if (window == SurveyWindow.Changeable && survey.AnsweredAt is { } answered)
            html.Append($"<p class=\"hint\" id=\"change-hint\">{E(string.Format(SurveyTexts.T(lang, "changeHint"), (answered + SurveyRules.ChangeWindow).ToString("yyyy-MM-dd HH:mm") + " UTC"))}</p>");
        html.Append($"<form id=\"survey-form\" method=\"post\" action=\"{action}\" data-token=\"{E(token)}\" data-lang=\"{lang}\" data-sending=\"{T("sending")}\" data-error=\"{T("error")}\" data-thanks=\"{T("thanks")}\" data-thanks-detail=\"{T("thanksDetail")}\" data-score-error=\"{T("scoreError")}\" data-solved-error=\"{T("solvedError")}\" data-comment-error=\"{T("commentError")}\" novalidate>");
        html.Append($"<input type=\"hidden\" name=\"lang\" value=\"{lang}\">");
        html.Append($"<p class=\"error\" id=\"survey-error\" role=\"alert\"{(error is null ? " hidden" : "")}>{(error is null ? "" : T(error))}</p>");
        html.Append($"<fieldset class=\"stars\"><legend>{T("score")}</legend><div class=\"star-row\">");
        // Highest first in the markup, shown reversed: the CSS lights a star and every star before it.
        for (var i = SurveyRules.MaxScore; i >= SurveyRules.MinScore; i--)
            html.Append($"<input type=\"radio\" id=\"score-{i}\" name=\"score\" value=\"{i}\"{(score == i ? " checked" : "")}><label for=\"score-{i}\" title=\"{T("star" + i)}\"><span aria-hidden=\"true\">★</span><span class=\"sr\">{T("star" + i)}</span></label>");
        html.Append("</div></fieldset>");
        html.Append($"<fieldset class=\"solved\"><legend>{T("solved")}</legend>");
        html.Append($"<label><input type=\"radio\" name=\"solved\" value=\"yes\" id=\"solved-yes\"{(solved == true ? " checked" : "")}> {T("yes")}</label>");
        html.Append($"<label><input type=\"radio\" name=\"solved\" value=\"no\" id=\"solved-no\"{(solved == false ? " checked" : "")}> {T("no")}</label></fieldset>");
        html.Append($"<label class=\"comment\" for=\"comment\">{T("comment")}</label><textarea id=\"comment\" name=\"comment\" rows=\"4\" maxlength=\"{SurveyRules.CommentMax}\">{E(comment)}</textarea>");
        html.Append($"<button type=\"submit\" id=\"survey-submit\">{T(window == SurveyWindow.Changeable ? "change" : "submit")}</button>");
        html.Append("<p class=\"progress\" id=\"survey-progress\" role=\"status\" hidden></p>");
        html.Append("</form></main><script type=\"module\" src=\"/survey/survey.js\"></script></body></html>");
        return html.ToString();
    }

    private static string Notice(string lang, string token, string title, string text, string kind, string? code, bool change = false)
    {
        var html = new StringBuilder(Head(lang, title));
        html.Append($"<main class=\"card {kind}\" id=\"survey-{kind}\"{(code is null ? "" : $" data-code=\"{code}\"")}>").Append(Switch(lang, token));
        html.Append($"<h1>{E(title)}</h1><p>{E(text)}</p>");
        if (change)
            html.Append($"<p><a id=\"survey-change\" href=\"/survey/{E(Uri.EscapeDataString(token))}?lang={lang}\">{E(SurveyTexts.T(lang, "change"))}</a></p>");
        html.Append("</main></body></html>");
        return html.ToString();
    }
}
