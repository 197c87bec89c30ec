using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Email;

/// <summary>The words of an acknowledgement in one language.</summary>
public sealed record AcknowledgementText(string Subject, string Body);

/// <summary>What an acknowledgement may mention.</summary>
public sealed record AcknowledgementContext(long TicketNumber, string Subject, string CustomerName, string CompanyName, long? CustomerId = null, int? TeamId = null);

/// <summary>
/// The wording of the acknowledgement of a new email ticket. One small seam: the script library
/// (issue 5) replaces this implementation without touching intake or sending.
/// </summary>
public interface IEmailAcknowledgementText
{
    Task<AcknowledgementText> ComposeAsync(string language, AcknowledgementContext context, CancellationToken ct);
}

/// <summary>
/// Wording from Email:Acknowledgement:Texts, else the built-in one. {number} {subject} {name}
/// {company} are filled in. The script library's approved acknowledgement (Scripts feature) takes
/// precedence for the body; this stays the fallback and the source of the subject line.
/// </summary>
public sealed class ConfiguredAcknowledgementText(IOptions<EmailOptions> options) : IEmailAcknowledgementText
{
    public Task<AcknowledgementText> ComposeAsync(string language, AcknowledgementContext context, CancellationToken ct) =>
        Task.FromResult(Compose(language, context));

    private static readonly Dictionary<string, AcknowledgementText> BuiltIn = new()
    {
        ["zh-CN"] = new("我们已收到您的邮件：{subject}",
            "{name}，您好：\n\n我们已收到您的来信，工单编号为 {number}。客服代表会尽快回复您。\n如需补充信息，直接回复本邮件即可，请保留主题中的编号 [#{number}]。\n\n{company}"),
        ["en"] = new("We received your message: {subject}",
            "Dear {name},\n\nThank you for writing to us. Your request has ticket number {number}, and an agent will answer soon.\nTo add anything, simply reply to this mail and keep [#{number}] in the subject.\n\n{company}"),
    };

    public AcknowledgementText Compose(string language, AcknowledgementContext context)
    {
        var lang = language == "zh-CN" ? "zh-CN" : "en";
        var configured = options.Value.Acknowledgement.Texts.GetValueOrDefault(lang);
        var subject = Fill(string.IsNullOrWhiteSpace(configured?.Subject) ? BuiltIn[lang].Subject : configured.Subject, context);
        var body = Fill(string.IsNullOrWhiteSpace(configured?.Body) ? BuiltIn[lang].Body : configured.Body, context);
        return new AcknowledgementText(subject, body);
    }

    private static string Fill(string template, AcknowledgementContext c) => template
        .Replace("{number}", c.TicketNumber.ToString())
        .Replace("{subject}", c.Subject)
        .Replace("{name}", c.CustomerName)
        .Replace("{company}", c.CompanyName);
}
