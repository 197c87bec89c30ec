using Helpdesk.Core.Tickets;
using Helpdesk.Core.Triage;

namespace Helpdesk.Core.Tests.Triage.Evaluation;

/// <summary>One labelled message of the evaluation set.</summary>
public sealed record LabelledMessage(string Id, string Split, string Language, TicketType Type, AfterSalesCategory Category, TriageFlags Flags, string Text);

/// <summary>
/// The labelled set: tab-separated files (id, type, category, flags, text), one message a line,
/// "#" lines are comments. Files named tune-* were written while the rules were tuned; holdout-*
/// were written afterwards and are reported separately. Tabs never occur inside a message, so a
/// split on tabs is the whole format.
/// </summary>
public static class EvaluationSet
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Triage", "Evaluation");

    public static IReadOnlyList<LabelledMessage> Load(string? folder = null)
    {
        var result = new List<LabelledMessage>();
        foreach (var file in Directory.GetFiles(folder ?? Folder, "*.tsv").Order())
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var split = name.Split('-')[0];
            var language = name.Split('-')[1];
            foreach (var (line, number) in File.ReadLines(file).Select((l, i) => (l, i + 1)))
            {
                if (line.Length == 0 || line.StartsWith('#')) continue;
                var parts = line.Split('\t');
                if (parts.Length != 5)
                    throw new FormatException($"{name}.tsv line {number}: expected 5 tab-separated columns, found {parts.Length}.");
                var flags = parts[3].Split(';', StringSplitOptions.RemoveEmptyEntries)
                    .Aggregate(TriageFlags.None, (all, f) => all | Enum.Parse<TriageFlags>(f));
                result.Add(new LabelledMessage(parts[0], split, language, Enum.Parse<TicketType>(parts[1]),
                    Enum.Parse<AfterSalesCategory>(parts[2]), flags, parts[4]));
            }
        }
        return result;
    }
}
