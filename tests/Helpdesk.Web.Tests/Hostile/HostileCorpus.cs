using System.Text;

namespace Helpdesk.Web.Tests.Hostile;

/// <summary>
/// The hostile-input corpus in tests/corpus (copied beside the test binaries of every test
/// project): XSS payloads, malformed mails, invalid UTF-8 sequences. Oversize payloads are made
/// in code (<see cref="Oversize"/>): nobody wants megabytes in the repository.
/// </summary>
public static class HostileCorpus
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "corpus");

    /// <summary>Every XSS payload (xss.txt without its comment lines). Each would set window.__xss or open a dialog if it ran.</summary>
    public static IReadOnlyList<string> Xss { get; } = File.ReadAllLines(Path.Combine(Folder, "xss.txt"), Encoding.UTF8)
        .Where(l => l.Length > 0 && !l.StartsWith("# ", StringComparison.Ordinal)).ToList();

    /// <summary>The payloads that fit a field of <paramref name="max"/> characters.</summary>
    public static IEnumerable<string> XssUpTo(int max) => Xss.Where(p => p.Length <= max);

    /// <summary>Every malformed mail (mime/*.eml), by file name without extension, in name order.</summary>
    public static IReadOnlyList<(string Name, byte[] Raw)> Mails { get; } = Directory.GetFiles(Path.Combine(Folder, "mime"), "*.eml")
        .Order(StringComparer.Ordinal).Select(f => (Path.GetFileNameWithoutExtension(f), File.ReadAllBytes(f))).ToList();

    /// <summary>The Message-ID a corpus mail carries (hostile-NN@corpus.test), or null for the one without headers.</summary>
    public static string? MessageIdOf(string name) => name.StartsWith("01-", StringComparison.Ordinal) ? null : $"hostile-{name[..2]}@corpus.test";

    /// <summary>The marker word every corpus mail has in its subject or body (HOSTILE-NN).</summary>
    public static string MarkerOf(string name) => "HOSTILE-" + name[..2];

    /// <summary>Invalid UTF-8 byte sequences (invalid-utf8.hex), each with what it is.</summary>
    public static IReadOnlyList<(string What, byte[] Bytes)> InvalidUtf8 { get; } = File.ReadAllLines(Path.Combine(Folder, "invalid-utf8.hex"))
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => l.Split(" # ", 2))
        .Select(p => (p[1], Convert.FromHexString(p[0].Trim()))).ToList();

    /// <summary>The JSON text with every <paramref name="placeholder"/> replaced by raw bytes (invalid UTF-8, say).</summary>
    public static byte[] JsonWithBytes(string json, string placeholder, byte[] bad)
    {
        var parts = json.Split(placeholder);
        if (parts.Length < 2) throw new ArgumentException($"'{placeholder}' is not in the JSON.");
        var result = new List<byte>(Encoding.UTF8.GetBytes(parts[0]));
        foreach (var part in parts.Skip(1))
        {
            result.AddRange(bad);
            result.AddRange(Encoding.UTF8.GetBytes(part));
        }
        return [.. result];
    }

    public static class Oversize
    {
        /// <summary>A string of <paramref name="chars"/> characters (mixed Chinese and ASCII, so bytes exceed characters).</summary>
        public static string Text(int chars)
        {
            var sb = new StringBuilder(chars);
            while (sb.Length < chars) sb.Append("超长内容 oversize ");
            return sb.ToString(0, chars);
        }
    }
}
