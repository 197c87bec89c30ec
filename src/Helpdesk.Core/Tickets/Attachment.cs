namespace Helpdesk.Core.Tickets;

/// <summary>A file sent in a conversation. The bytes live in the attachment store under <see cref="StorageKey"/>.</summary>
public sealed class Attachment
{
    public Guid Id { get; set; }
    public long TicketId { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string StorageKey { get; set; } = "";
    public ActorKind UploadedByKind { get; set; }
    public string? UploadedById { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>What kinds of file a conversation accepts, judged by their first bytes, never by name or header.</summary>
public static class AttachmentRules
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int FileNameMax = 200;

    /// <summary>The content type the bytes prove, or null for anything else (executables, HTML, SVG...).</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "image/jpeg";
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return "image/gif";
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
        if (head.StartsWith("%PDF-"u8)) return "application/pdf";
        return null;
    }

    public static bool IsImage(string contentType) => contentType.StartsWith("image/", StringComparison.Ordinal);

    /// <summary>
    /// A file name safe to store and show: no path, no control characters, no bidirectional
    /// overrides (which make "invoice\u202Egnp.exe" read as "invoiceexe.png"), not too long, and
    /// a long name keeps its extension.
    /// </summary>
    public static string CleanFileName(string? name, string contentType)
    {
        var baseName = Path.GetFileName((name ?? "").Replace('\\', '/'));
        var clean = new string(baseName.Where(c => !char.IsControl(c) && !IsBidiControl(c) && c is not ('"' or '<' or '>' or '|' or ':' or '*' or '?')).ToArray()).Trim();
        if (clean.Length == 0) clean = "file" + DefaultExtension(contentType);
        if (clean.Length <= FileNameMax) return clean;
        var extension = Path.GetExtension(clean);
        if (extension.Length is 0 or > 16) return clean[..FileNameMax];
        var stem = clean[..(FileNameMax - extension.Length)];
        // Never end the stem between the halves of a surrogate pair.
        if (char.IsHighSurrogate(stem[^1])) stem = stem[..^1];
        return stem + extension;
    }

    private static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static string DefaultExtension(string contentType) => contentType switch
    {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        "application/pdf" => ".pdf",
        _ => "",
    };
}
