using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace Helpdesk.Web.Email;

/// <summary>A mail's HTML split into the new part and the quoted history, each sanitised.</summary>
public sealed record SplitHtml(string Fresh, string? Quoted);

/// <summary>
/// Mail HTML before any browser sees it: the quoted history cut off (kept apart), cid: pictures
/// pointed at our attachment URLs, then HtmlSanitizer over each part. Remote pictures are
/// removed (tracking pixels tell the sender when an agent reads); only our own attachment URLs stay.
/// </summary>
public static partial class MailHtml
{
    public const string AttachmentUrlPrefix = "/api/attachments/";

    // Where the common clients put the quoted history: Gmail, Apple/Thunderbird, Outlook, Yahoo, QQ/Foxmail.
    private const string QuoteSelectors =
        "div.gmail_quote, blockquote.gmail_quote, blockquote[type=cite], div#divRplyFwdMsg, div#appendonsend, " +
        "div.moz-cite-prefix, div.yahoo_quoted, div#origbody, div#original-content, blockquote#isReplyContent";

    [GeneratedRegex(@"^\s*(-{2,}\s*(Original Message|原始邮件|原始郵件)\s*-{2,}.*|在.{0,300}写道[:：]\s*|On\b.{0,300}\bwrote:\s*|(发件人|From)\s*[:：].{0,300}(发送时间|Sent)\s*[:：].*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex QuoteStartText();

    private static readonly HtmlParser Parser = new();

    private static HtmlSanitizer CreateSanitizer()
    {
        var s = new HtmlSanitizer();
        s.AllowedSchemes.Add("mailto");
        s.AllowedTags.Remove("form");
        s.AllowedAttributes.Remove("id");
        s.FilterUrl += (_, e) =>
        {
            if (e.Tag.NodeName is "IMG" && !e.OriginalUrl.StartsWith(AttachmentUrlPrefix, StringComparison.Ordinal))
                e.SanitizedUrl = null;
        };
        // Links open outside the console, without telling the target where they came from.
        s.PostProcessNode += (_, e) =>
        {
            // A picture whose source was removed (remote, script) would only leave an empty box.
            if (e.Node is IElement { NodeName: "IMG" } img && !img.HasAttribute("src"))
            {
                img.Remove();
                return;
            }
            if (e.Node is IElement { NodeName: "A" } a && a.HasAttribute("href"))
            {
                a.SetAttribute("target", "_blank");
                a.SetAttribute("rel", "noopener noreferrer nofollow");
            }
        };
        s.AllowedAttributes.Add("target");
        s.AllowedAttributes.Add("rel");
        return s;
    }

    // HtmlSanitizer is not documented as thread-safe for configuration; one per thread is cheap.
    [ThreadStatic] private static HtmlSanitizer? _sanitizer;
    private static HtmlSanitizer Sanitizer => _sanitizer ??= CreateSanitizer();

    public static string Sanitize(string html) => Sanitizer.Sanitize(html);

    /// <summary>Splits, rewrites cid: references through <paramref name="cidUrls"/>, sanitises.</summary>
    public static SplitHtml Prepare(string html, IReadOnlyDictionary<string, string> cidUrls)
    {
        var document = Parser.ParseDocument(html);
        foreach (var img in document.QuerySelectorAll("img[src]"))
        {
            var src = img.GetAttribute("src")!.Trim();
            if (src.StartsWith("cid:", StringComparison.OrdinalIgnoreCase) && cidUrls.TryGetValue(src[4..].Trim('<', '>'), out var url))
                img.SetAttribute("src", url);
        }
        var body = document.Body;
        if (body is null)
            return new SplitHtml(Sanitize(html), null);

        var marker = body.QuerySelector(QuoteSelectors) ?? FindTextMarker(body);
        if (marker is null)
            return new SplitHtml(Sanitize(body.InnerHtml), null);

        var quoted = document.CreateElement("div");
        // The marker and everything after it, at each level up to the body, is history.
        var levels = new List<INode>();
        for (INode? node = marker; node is not null && node != body; node = node.Parent) levels.Add(node);
        foreach (var node in levels)
        {
            var following = new List<INode>();
            for (var n = node.NextSibling; n is not null; n = n.NextSibling) following.Add(n);
            if (node == marker) quoted.AppendChild(node.Parent!.RemoveChild(node));
            foreach (var n in following) quoted.AppendChild(n.Parent!.RemoveChild(n));
        }
        var fresh = Sanitize(body.InnerHtml);
        if (ToText(fresh).Trim().Length == 0)
            return new SplitHtml(Sanitize(html), null);
        return new SplitHtml(fresh, Sanitize(quoted.InnerHtml));
    }

    private static IElement? FindTextMarker(IElement body) =>
        body.QuerySelectorAll("div, p").FirstOrDefault(e => e.TextContent.Length < 600 && QuoteStartText().IsMatch(e.TextContent));

    /// <summary>Plain text of HTML, with line breaks where blocks end (for search, triage and mail without a text part).</summary>
    public static string ToText(string html)
    {
        var document = Parser.ParseDocument(html);
        var text = new StringBuilder();
        Walk(document.Body ?? (INode)document.DocumentElement, text);
        var lines = text.ToString().Replace("\r", "").Split('\n').Select(l => Regex.Replace(l, @"[ \t\u00a0]+", " ").Trim());
        return Regex.Replace(string.Join('\n', lines), @"\n{3,}", "\n\n").Trim();
    }

    private static readonly HashSet<string> Blocks = ["P", "DIV", "TR", "LI", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "TABLE", "UL", "OL", "PRE", "HR"];

    private static void Walk(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    text.Append(t.Data.Replace('\n', ' '));
                    break;
                case IElement { NodeName: "BR" }:
                    text.Append('\n');
                    break;
                case IElement { NodeName: "SCRIPT" or "STYLE" or "HEAD" or "TITLE" }:
                    break;
                case IElement e:
                    var block = Blocks.Contains(e.NodeName);
                    if (block) text.Append('\n');
                    Walk(e, text);
                    if (e.NodeName is "TD" or "TH") text.Append('\t');
                    if (block) text.Append('\n');
                    break;
            }
        }
    }
}
