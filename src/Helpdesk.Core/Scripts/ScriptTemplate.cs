using System.Text;

namespace Helpdesk.Core.Scripts;

/// <summary>The placeholders a script may use, in one place (the admin page lists them from here too).</summary>
public static class ScriptPlaceholders
{
    public const string Company = "company";
    public const string AgentName = "agent.name";
    public const string CustomerSalutation = "customer.salutation";
    public const string TicketNumber = "ticket.number";
    public const string QueuePosition = "queue.position";
    public const string BusinessHours = "business.hours";

    public static IReadOnlyList<string> All { get; } = [Company, AgentName, CustomerSalutation, TicketNumber, QueuePosition, BusinessHours];
}

/// <summary>One problem in a template: an unknown placeholder (named) or a brace left open.</summary>
public sealed record TemplateError(string Code, string Message, int Position, string? Placeholder = null);

/// <summary>
/// A parsed script text: literal runs and {placeholders}. <c>{{</c> and <c>}}</c> write a literal
/// brace, so a script can still show one; a lone <c>}</c> is taken literally too.
/// </summary>
public sealed class ScriptTemplate
{
    private readonly IReadOnlyList<Segment> _segments;

    private ScriptTemplate(string text, IReadOnlyList<Segment> segments, IReadOnlyList<TemplateError> errors)
    {
        Text = text;
        _segments = segments;
        Errors = errors;
    }

    public string Text { get; }
    public IReadOnlyList<TemplateError> Errors { get; }
    public bool IsValid => Errors.Count == 0;

    /// <summary>The placeholders used, known ones only, in order of first use.</summary>
    public IReadOnlyList<string> Placeholders => _segments.Where(s => s.IsPlaceholder).Select(s => s.Value).Distinct().ToList();

    public IReadOnlyList<string> UnknownPlaceholders =>
        Errors.Where(e => e.Placeholder is not null).Select(e => e.Placeholder!).Distinct().ToList();

    public static ScriptTemplate Parse(string? text)
    {
        text ??= "";
        var segments = new List<Segment>();
        var errors = new List<TemplateError>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '{' && i + 1 < text.Length && text[i + 1] == '{') { literal.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < text.Length && text[i + 1] == '}') { literal.Append('}'); i++; continue; }
            if (c != '{') { literal.Append(c); continue; }

            var close = text.IndexOf('}', i + 1);
            var nextOpen = text.IndexOf('{', i + 1);
            if (close < 0 || (nextOpen >= 0 && nextOpen < close))
            {
                errors.Add(new TemplateError("unclosed_brace",
                    $"The brace at position {i + 1} is not closed; write {{{{ for a literal brace.", i));
                literal.Append(c);
                continue;
            }
            var name = text.Substring(i + 1, close - i - 1).Trim();
            if (ScriptPlaceholders.All.Contains(name))
            {
                if (literal.Length > 0) { segments.Add(new Segment(false, literal.ToString())); literal.Clear(); }
                segments.Add(new Segment(true, name));
            }
            else
            {
                errors.Add(new TemplateError("unknown_placeholder",
                    $"{{{name}}} is not a placeholder; use one of {string.Join(", ", ScriptPlaceholders.All.Select(p => "{" + p + "}"))}.", i, name));
                literal.Append(text, i, close - i + 1);
            }
            i = close;
        }
        if (literal.Length > 0) segments.Add(new Segment(false, literal.ToString()));
        return new ScriptTemplate(text, segments, errors);
    }

    /// <summary>Fills the placeholders; a value the context lacks gets the language's neutral wording.</summary>
    public string Render(string language, ScriptContext context)
    {
        var lang = ScriptLanguages.Normalise(language) ?? ScriptLanguages.Default;
        var result = new StringBuilder(Text.Length + 32);
        foreach (var s in _segments)
            result.Append(s.IsPlaceholder ? ValueOf(s.Value, lang, context) : s.Value);
        return result.ToString();
    }

    private static string ValueOf(string placeholder, string lang, ScriptContext c)
    {
        var zh = lang == ScriptLanguages.Chinese;
        return placeholder switch
        {
            ScriptPlaceholders.Company => NonEmpty(c.CompanyName) ?? (zh ? "本公司" : "our"),
            // 「客服代表很高兴为您服务」 still reads well in Chinese without a name.
            ScriptPlaceholders.AgentName => NonEmpty(c.AgentName) ?? (zh ? "" : "your agent"),
            ScriptPlaceholders.CustomerSalutation => Salutation.For(lang, c.Customer),
            ScriptPlaceholders.TicketNumber => c.TicketNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? (zh ? "（待生成）" : "(pending)"),
            ScriptPlaceholders.QueuePosition => c.QueuePosition is { } p ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : (zh ? "几" : "a few"),
            ScriptPlaceholders.BusinessHours => NonEmpty(c.BusinessHours) ?? (zh ? "工作时间" : "business hours"),
            _ => "",
        };
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private readonly record struct Segment(bool IsPlaceholder, string Value);
}

/// <summary>What a script is rendered with; anything unknown stays null and gets a neutral wording.</summary>
public sealed record ScriptContext(
    string? CompanyName = null,
    string? AgentName = null,
    CustomerName? Customer = null,
    long? TicketNumber = null,
    int? QueuePosition = null,
    string? BusinessHours = null);
