using System.Globalization;

namespace Helpdesk.Core.Sla;

/// <summary>
/// One stretch of working time within a day, in the calendar's wall-clock time: from
/// <see cref="From"/> (inclusive) to <see cref="To"/> (exclusive). <see cref="To"/> may be 24:00,
/// so that a night shift is written as 22:00–24:00 on one day and 00:00–06:00 on the next.
/// </summary>
public readonly record struct WorkingInterval
{
    private static readonly TimeSpan EndOfDay = TimeSpan.FromHours(24);

    public WorkingInterval(TimeSpan from, TimeSpan to)
    {
        if (from < TimeSpan.Zero || to > EndOfDay || from >= to)
            throw new ArgumentException($"A working interval runs forward within one day (00:00–24:00); {Format(from)}–{Format(to)} does not.");
        From = from;
        To = to;
    }

    public TimeSpan From { get; }
    public TimeSpan To { get; }
    public TimeSpan Length => To - From;

    /// <summary>Reads "09:00-12:00" (an en dash works too; "24:00" ends the day).</summary>
    public static WorkingInterval Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(['-', '–', '—'], StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || ParseTime(parts[0]) is not { } from || ParseTime(parts[1]) is not { } to)
            throw new FormatException($"'{text}' is not a working interval; write it as HH:mm-HH:mm, e.g. 09:00-12:00.");
        return new WorkingInterval(from, to);
    }

    public override string ToString() => $"{Format(From)}-{Format(To)}";

    private static TimeSpan? ParseTime(string text)
    {
        var bits = text.Split(':');
        if (bits.Length != 2
            || !int.TryParse(bits[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(bits[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || bits[1].Length != 2 || h > 24 || m > 59 || (h == 24 && m != 0))
            return null;
        return new TimeSpan(h, m, 0);
    }

    private static string Format(TimeSpan t) => $"{(int)t.TotalHours:00}:{t.Minutes:00}";
}
