using Helpdesk.Core.Email;
using MimeKit;

namespace Helpdesk.Web.Email;

/// <summary>A file of an inbound mail, with the attachment id it will be stored under (so the HTML can point at it).</summary>
public sealed record InboundFile(Guid Id, string FileName, string DeclaredType, byte[] Content, string? ContentId, bool Inline);

/// <summary>An inbound mail as the helpdesk needs it: threading headers, sender, decoded text and HTML, files.</summary>
public sealed record InboundMail(
    string MessageId,
    IReadOnlyList<string> InReplyTo,
    IReadOnlyList<string> References,
    string FromAddress,
    string? FromName,
    string To,
    string Subject,
    SplitText Text,
    SplitHtml? Html,
    MailFacts Facts,
    IReadOnlyList<InboundFile> Files,
    IReadOnlyList<string> SkippedFiles);

/// <summary>The mail cannot become a ticket whatever we retry (no sender, not MIME): it goes to quarantine.</summary>
public sealed class UnusableMailException(string reason) : Exception(reason);

/// <summary>Turns raw RFC 5322 bytes into an <see cref="InboundMail"/> with MimeKit (charsets, RFC 2047 words, MIME trees).</summary>
public static class MailReader
{
    public static InboundMail Read(byte[] raw, long maxAttachmentBytes)
    {
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            message = MimeMessage.Load(stream);
        }
        catch (FormatException e)
        {
            throw new UnusableMailException("Not a MIME message: " + e.Message);
        }
        return Read(message, raw, maxAttachmentBytes);
    }

    public static InboundMail Read(MimeMessage message, byte[] raw, long maxAttachmentBytes)
    {
        var from = message.From.Mailboxes.FirstOrDefault() ?? message.Sender ?? message.ReplyTo.Mailboxes.FirstOrDefault();
        if (from is null || string.IsNullOrWhiteSpace(from.Address) || !from.Address.Contains('@'))
            throw new UnusableMailException("The mail has no sender address (From).");

        var messageId = MessageIds.Normalise(message.MessageId) ?? MessageIds.FromRawBytes(raw);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in message.Headers)
            headers.TryAdd(h.Field, h.Value);
        var facts = new MailFacts(from.Address, headers, message.Body?.ContentType.MimeType ?? "text/plain",
            message.Body?.ContentType.Parameters["report-type"]);

        // The body parts the client meant as the mail's text; everything else is a file.
        var textPart = FirstBody(message, "plain");
        var htmlPart = FirstBody(message, "html");
        var files = new List<InboundFile>();
        var skipped = new List<string>();
        foreach (var entity in message.BodyParts)
        {
            if (entity == textPart || entity == htmlPart) continue;
            var file = ToFile(entity, maxAttachmentBytes, skipped);
            if (file is not null) files.Add(file);
        }

        var cidUrls = files.Where(f => f.ContentId is not null)
            .GroupBy(f => f.ContentId!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => MailHtml.AttachmentUrlPrefix + g.First().Id, StringComparer.OrdinalIgnoreCase);
        var html = htmlPart is null ? null : MailHtml.Prepare(htmlPart.Text, cidUrls);
        SplitText text;
        if (textPart is not null)
            text = QuotedHistory.Split(textPart.Text);
        else if (html is not null)
            text = new SplitText(MailHtml.ToText(html.Fresh), html.Quoted is null ? null : MailHtml.ToText(html.Quoted));
        else
            text = new SplitText("", null);

        return new InboundMail(
            NoNul(messageId),
            MessageIds.ParseList(message.Headers[HeaderId.InReplyTo]).Select(NoNul).ToList(),
            message.References.Select(r => MessageIds.Normalise(r)!).Where(r => r is not null).Select(NoNul).ToList(),
            NoNul(from.Address.Trim()),
            string.IsNullOrWhiteSpace(from.Name) ? null : NoNul(from.Name.Trim()),
            NoNul(string.Join(", ", message.To.Mailboxes.Select(m => m.Address))),
            NoNul(message.Subject ?? ""),
            new SplitText(NoNul(text.Fresh), text.Quoted is null ? null : NoNul(text.Quoted)),
            html is null ? null : new SplitHtml(NoNul(html.Fresh), html.Quoted is null ? null : NoNul(html.Quoted)),
            facts, files, skipped);
    }

    /// <summary>
    /// NUL decodes out of base64 or an encoded word as easily as any byte, means nothing in text, and
    /// PostgreSQL refuses it in a text column: kept, it would fail the mail's insert on every try.
    /// </summary>
    private static string NoNul(string text) => text.Contains('\0') ? text.Replace("\0", "") : text;

    private static TextPart? FirstBody(MimeMessage message, string subtype)
    {
        // MimeKit's own choice of text and HTML body follows multipart/alternative and related.
        bool Wanted(TextPart p) => !p.IsAttachment && (subtype == "html" ? p.IsHtml : p.IsPlain);
        if (message.Body is TextPart single)
            return Wanted(single) ? single : null;
        return message.BodyParts.OfType<TextPart>().FirstOrDefault(Wanted);
    }

    private static InboundFile? ToFile(MimeEntity entity, long maxBytes, List<string> skipped)
    {
        using var content = new MemoryStream();
        string name;
        string type = entity.ContentType.MimeType;
        switch (entity)
        {
            case MimePart part:
                part.Content?.DecodeTo(content);
                name = part.FileName ?? entity.ContentType.Name ?? DefaultName(entity);
                break;
            case MessagePart attached:
                attached.Message?.WriteTo(content);
                name = (attached.Message?.Subject is { Length: > 0 } s ? s : "message") + ".eml";
                break;
            default:
                return null;
        }
        if (content.Length == 0) return null;
        if (content.Length > maxBytes)
        {
            skipped.Add($"{name} ({content.Length / 1024} KB)");
            return null;
        }
        var contentId = string.IsNullOrWhiteSpace(entity.ContentId) ? null : entity.ContentId.Trim('<', '>');
        var inline = contentId is not null && entity.ContentDisposition?.Disposition != ContentDisposition.Attachment;
        return new InboundFile(Guid.NewGuid(), name, type, content.ToArray(), contentId, inline);
    }

    private static string DefaultName(MimeEntity entity) => entity.ContentType.MimeType switch
    {
        "message/delivery-status" => "delivery-status.txt",
        "text/plain" => "text.txt",
        "text/html" => "part.html",
        var t when t.StartsWith("image/", StringComparison.Ordinal) => "image." + t[6..],
        _ => "attachment.bin",
    };
}
