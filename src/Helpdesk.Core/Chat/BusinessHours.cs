namespace Helpdesk.Core.Chat;

/// <summary>
/// Opening hours in a time zone: the same hours on the given days. A chat outside them is
/// offered leave-a-message (离线留言). Issue 6's business calendars (holidays) build on this.
/// </summary>
public sealed record BusinessHours(TimeZoneInfo Zone, TimeOnly Opens, TimeOnly Closes, IReadOnlySet<DayOfWeek> Days)
{
    public static BusinessHours AlwaysOpen { get; } =
        new(TimeZoneInfo.Utc, TimeOnly.MinValue, TimeOnly.MaxValue, Enum.GetValues<DayOfWeek>().ToHashSet());

    public bool IsOpen(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone);
        if (!Days.Contains(local.DayOfWeek)) return false;
        var time = TimeOnly.FromDateTime(local.DateTime);
        // Hours that cross midnight (20:00–02:00) are open before the close or after the opening.
        return Opens <= Closes ? time >= Opens && time <= Closes : time >= Opens || time <= Closes;
    }
}
