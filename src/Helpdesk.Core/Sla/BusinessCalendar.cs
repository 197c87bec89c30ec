namespace Helpdesk.Core.Sla;

/// <summary>
/// When the company works: weekly hours in a time zone, minus holidays, plus make-up working days
/// (调休). Answers the SLA questions "when is N business minutes after this instant?" and "how much
/// business time lies between these two instants?".
/// <para>
/// Time rules. Working intervals are wall-clock times in <see cref="Zone"/>; each is turned into a
/// real span of instants and business time is the real time elapsed inside those spans. So a
/// 09:00–17:00 day is 8 hours on a DST change day too, and an interval that contains the skipped
/// or repeated hour counts the hours that really pass (00:00–24:00 is 23 hours on the
/// spring-forward day, 25 on the fall-back day; the 24/7 calendar is plain elapsed time). A
/// boundary that falls in the skipped hour moves to the instant the clock jumps; a boundary in the
/// repeated hour means its first occurrence.
/// </para>
/// <para>
/// Speed. The math walks interval by interval, and whole weeks at once when a week has no holiday,
/// no make-up day and no offset change (a week's business time is then the weekly total). It
/// assumes no zone changes its offset twice within seven days, which holds for every real zone.
/// </para>
/// </summary>
public sealed class BusinessCalendar
{
    public const string DefaultTimeZoneId = "Asia/Shanghai";

    /// <summary>How far the math looks for working time before it calls the calendar empty.</summary>
    private const int HorizonYears = 20;

    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);
    private static readonly long WeekTicks = TimeSpan.FromDays(7).Ticks;

    private readonly HashSet<DateOnly> _oneOffHolidays = [];
    private readonly HashSet<int> _yearlyHolidays = [];
    private readonly Dictionary<DateOnly, ExtraWorkingDay> _extraDays = [];
    private readonly bool _hasSpecialDays;
    /// <summary>From this local date on the zone's offset never changes (DateOnly.MaxValue: it keeps changing).</summary>
    private readonly DateOnly _steadyFrom;
    private readonly TimeSpan _steadyOffset;

    public BusinessCalendar(string key, TimeZoneInfo zone, WeeklyHours hours,
        IEnumerable<Holiday>? holidays = null, IEnumerable<ExtraWorkingDay>? extraWorkingDays = null)
        : this(key, zone, hours, holidays, extraWorkingDays, alwaysOpen: false)
    {
    }

    private BusinessCalendar(string key, TimeZoneInfo zone, WeeklyHours hours,
        IEnumerable<Holiday>? holidays, IEnumerable<ExtraWorkingDay>? extraWorkingDays, bool alwaysOpen)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(hours);
        Key = key;
        Zone = zone;
        Hours = hours;
        IsAlwaysOpen = alwaysOpen;
        Holidays = holidays?.ToArray() ?? [];
        ExtraWorkingDays = extraWorkingDays?.ToArray() ?? [];

        foreach (var holiday in Holidays)
            foreach (var date in holiday.Dates())
                if (holiday.Yearly) _yearlyHolidays.Add(MonthDay(date));
                else _oneOffHolidays.Add(date);
        foreach (var extra in ExtraWorkingDays)
            if (!_extraDays.TryAdd(extra.Date, extra))
                throw new ArgumentException($"Calendar '{key}' lists {extra.Date:yyyy-MM-dd} as an extra working day twice.");
        _hasSpecialDays = Holidays.Count > 0 || ExtraWorkingDays.Count > 0;
        (_steadyFrom, _steadyOffset) = SteadyOffset(zone);

        if (hours.WeeklyTotal == TimeSpan.Zero && !ExtraWorkingDays.Any(e => hours.IntervalsOn(e.WorksLike).Length > 0))
            throw new ArgumentException($"Calendar '{key}' has no working hours at all.");
    }

    /// <summary>Every instant counts: calendar (wall-clock) time, no holidays.</summary>
    public static BusinessCalendar TwentyFourSeven { get; } =
        new("24x7", TimeZoneInfo.Utc, WeeklyHours.AllDay, null, null, alwaysOpen: true);

    public string Key { get; }
    public TimeZoneInfo Zone { get; }
    public WeeklyHours Hours { get; }
    public IReadOnlyList<Holiday> Holidays { get; }
    public IReadOnlyList<ExtraWorkingDay> ExtraWorkingDays { get; }
    public bool IsAlwaysOpen { get; }

    /// <summary>An IANA time zone (Asia/Shanghai when none is given), with a clear error for a wrong id.</summary>
    public static TimeZoneInfo FindZone(string? ianaId)
    {
        var id = string.IsNullOrWhiteSpace(ianaId) ? DefaultTimeZoneId : ianaId.Trim();
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"Unknown time zone '{id}'; use an IANA id such as Asia/Shanghai or Europe/Berlin.", nameof(ianaId), e);
        }
    }

    public bool IsHoliday(DateOnly date) =>
        _oneOffHolidays.Contains(date) || _yearlyHolidays.Contains(MonthDay(date));

    /// <summary>The working intervals of one local date, after holidays and make-up days.</summary>
    public IReadOnlyList<WorkingInterval> HoursOn(DateOnly date) => PlanFor(date);

    public bool IsWorkingTime(DateTimeOffset at)
    {
        if (IsAlwaysOpen) return true;
        var t = at.UtcDateTime;
        var today = LocalDate(t);
        for (var day = today.AddDays(-1); day <= today; day = day.AddDays(1))
            foreach (var interval in PlanFor(day))
                if (ToInstant(day, interval.From) <= t && t < ToInstant(day, interval.To))
                    return true;
        return false;
    }

    /// <summary>The instant itself when it is working time, otherwise the next opening.</summary>
    public DateTimeOffset NextWorkingTime(DateTimeOffset at)
    {
        if (IsAlwaysOpen) return at;
        var t = at.UtcDateTime;
        var first = LocalDate(t).AddDays(-1);
        for (var day = first; day < first.AddYears(HorizonYears); day = day.AddDays(1))
            foreach (var interval in PlanFor(day))
            {
                var end = ToInstant(day, interval.To);
                if (end <= t) continue;
                var start = ToInstant(day, interval.From);
                if (end <= start) continue; // wholly inside a skipped DST hour
                return Present(start > t ? start : t);
            }
        throw NoWorkingTime(at);
    }

    /// <summary>
    /// The earliest instant by which <paramref name="duration"/> of business time has passed since
    /// <paramref name="start"/>. A zero duration is due at the start itself; a duration that ends
    /// exactly at closing time is due at the closing time, not at the next opening.
    /// </summary>
    public DateTimeOffset AddBusinessTime(DateTimeOffset start, TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "Business time to add cannot be negative.");
        if (duration == TimeSpan.Zero || IsAlwaysOpen)
            return IsAlwaysOpen ? start + duration : Present(start.UtcDateTime);

        var s = start.UtcDateTime;
        var remaining = duration.Ticks;
        var first = LocalDate(s).AddDays(-1);
        var limit = first.AddYears(HorizonYears);
        for (var day = first; day < limit;)
        {
            var dayStart = ToInstant(day, TimeSpan.Zero);
            if (dayStart >= s && PlainWeekFrom(day, dayStart) && Hours.WeeklyTotal.Ticks < remaining)
            {
                remaining -= Hours.WeeklyTotal.Ticks;
                day = day.AddDays(7);
                continue;
            }
            foreach (var interval in PlanFor(day))
            {
                var a = ToInstant(day, interval.From);
                var b = ToInstant(day, interval.To);
                if (b <= s || b <= a) continue;
                if (a < s) a = s;
                var length = (b - a).Ticks;
                if (length >= remaining) return Present(a.AddTicks(remaining));
                remaining -= length;
            }
            day = day.AddDays(1);
        }
        throw NoWorkingTime(start);
    }

    /// <summary>Business time inside [from, to); negative when <paramref name="to"/> is earlier.</summary>
    public TimeSpan BusinessTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from) return -BusinessTimeBetween(to, from);
        if (IsAlwaysOpen) return to - from;

        var a = from.UtcDateTime;
        var b = to.UtcDateTime;
        long total = 0;
        var last = LocalDate(b).AddDays(1);
        for (var day = LocalDate(a).AddDays(-1); day <= last;)
        {
            var dayStart = ToInstant(day, TimeSpan.Zero);
            if (dayStart >= a && dayStart.Ticks + WeekTicks <= b.Ticks && PlainWeekFrom(day, dayStart))
            {
                total += Hours.WeeklyTotal.Ticks;
                day = day.AddDays(7);
                continue;
            }
            foreach (var interval in PlanFor(day))
            {
                var x = ToInstant(day, interval.From);
                var y = ToInstant(day, interval.To);
                if (x < a) x = a;
                if (y > b) y = b;
                if (y > x) total += (y - x).Ticks;
            }
            day = day.AddDays(1);
        }
        return TimeSpan.FromTicks(total);
    }

    public override string ToString() => $"{Key} ({Zone.Id})";

    private WorkingInterval[] PlanFor(DateOnly date)
    {
        if (_hasSpecialDays)
        {
            if (_extraDays.TryGetValue(date, out var extra)) return Hours.IntervalsOn(extra.WorksLike);
            if (IsHoliday(date)) return [];
        }
        return Hours.IntervalsOn(date.DayOfWeek);
    }

    /// <summary>
    /// True when the seven days from <paramref name="day"/> hold no holiday, no make-up day and no
    /// offset change, so their business time is exactly the weekly total.
    /// </summary>
    private bool PlainWeekFrom(DateOnly day, DateTime dayStartUtc)
    {
        if (_hasSpecialDays)
            for (var i = 0; i < 7; i++)
            {
                var d = day.AddDays(i);
                if (_extraDays.ContainsKey(d) || IsHoliday(d)) return false;
            }
        return day >= _steadyFrom
            || Zone.GetUtcOffset(dayStartUtc) == Zone.GetUtcOffset(new DateTime(dayStartUtc.Ticks + WeekTicks, DateTimeKind.Utc));
    }

    /// <summary>
    /// Zones such as Asia/Shanghai kept daylight saving only in the past (1986–1991): after their last
    /// adjustment rule the offset is fixed and the math needs no zone lookups at all.
    /// </summary>
    private static (DateOnly From, TimeSpan Offset) SteadyOffset(TimeZoneInfo zone)
    {
        var rules = zone.GetAdjustmentRules();
        if (rules.Length == 0) return (DateOnly.MinValue, zone.BaseUtcOffset);
        var lastEnd = rules.Max(r => r.DateEnd);
        if (lastEnd >= DateTime.MaxValue.Date.AddYears(-1)) return (DateOnly.MaxValue, TimeSpan.Zero);
        // Two days of margin: rule dates are local and a transition may sit at their edge.
        var from = DateOnly.FromDateTime(lastEnd).AddDays(2);
        return (from, zone.GetUtcOffset(from.ToDateTime(new TimeOnly(12, 0))));
    }

    private DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, Zone));

    /// <summary>The real instant (UTC) of a wall-clock time on a local date; 24:00 is the next midnight.</summary>
    private DateTime ToInstant(DateOnly date, TimeSpan timeOfDay)
    {
        var local = date.ToDateTime(TimeOnly.MinValue).Add(timeOfDay);
        if (date >= _steadyFrom)
            return DateTime.SpecifyKind(local - _steadyOffset, DateTimeKind.Utc);
        if (Zone.IsInvalidTime(local))
            return ClockJumpInstant(local);
        if (Zone.IsAmbiguousTime(local))
            return DateTime.SpecifyKind(local - Zone.GetAmbiguousTimeOffsets(local).Max(), DateTimeKind.Utc);
        return DateTime.SpecifyKind(local - Zone.GetUtcOffset(local), DateTimeKind.Utc);
    }

    /// <summary>
    /// For a wall-clock time skipped by a spring-forward: the instant the clock jumped. It lies
    /// between the readings of the local time under the offsets after and before the change.
    /// </summary>
    private DateTime ClockJumpInstant(DateTime local)
    {
        var before = Zone.GetUtcOffset(local.AddHours(-12));
        var after = Zone.GetUtcOffset(local.AddHours(12));
        long low = (local - after).Ticks;  // still under the old offset
        long high = (local - before).Ticks; // already under the new one
        while (high - low > 1)
        {
            var mid = low + (high - low) / 2;
            if (Zone.GetUtcOffset(new DateTime(mid, DateTimeKind.Utc)) == after) high = mid;
            else low = mid;
        }
        return new DateTime(high, DateTimeKind.Utc);
    }

    private DateTimeOffset Present(DateTime utc) => TimeZoneInfo.ConvertTime(new DateTimeOffset(utc, TimeSpan.Zero), Zone);

    private static int MonthDay(DateOnly date) => date.Month * 100 + date.Day;

    private InvalidOperationException NoWorkingTime(DateTimeOffset from) =>
        new($"Calendar '{Key}' has no working time within {HorizonYears} years of {from:u}.");
}
