using System.Globalization;
using Helpdesk.Core.Customers;
using Helpdesk.Core.Escalation;
using Helpdesk.Core.Sla;
using Helpdesk.Core.Triage;
using Helpdesk.Core.Tickets;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Sla;

/// <summary>
/// Bound from "Sla": business calendars and SLA policies. Both lists empty (the default): the
/// policies of <see cref="DefaultSlaPolicies"/> on <see cref="DefaultBusinessCalendar"/>. The
/// default calendar stays available under its key "default" unless a calendar of that key replaces it.
/// </summary>
public sealed class SlaOptions
{
    public const string Section = "Sla";

    public List<CalendarOptions> Calendars { get; set; } = [];
    public List<PolicyOptions> Policies { get; set; } = [];

    public sealed class CalendarOptions
    {
        public string Key { get; set; } = "";
        /// <summary>IANA id; Asia/Shanghai when left out.</summary>
        public string? TimeZone { get; set; }
        /// <summary>Every hour of every day (the other settings are then ignored).</summary>
        public bool TwentyFourSeven { get; set; }
        /// <summary>Per weekday ("Monday") its intervals: ["09:00-12:00", "13:30-18:00"].</summary>
        public Dictionary<string, List<string>> Hours { get; set; } = [];
        /// <summary>"2027-10-01..2027-10-07 国庆节", "2027-05-03 劳动节", "01-01 元旦" (yearly when the year is left out).</summary>
        public List<string> Holidays { get; set; } = [];
        /// <summary>调休 make-up days: "2027-09-26", optionally followed by a name.</summary>
        public List<string> ExtraWorkingDays { get; set; } = [];
    }

    public sealed class PolicyOptions
    {
        public string Key { get; set; } = "";
        public string? Name { get; set; }
        public string? NameZh { get; set; }
        public int Order { get; set; }
        public string? Calendar { get; set; }
        public List<TicketChannel> Channels { get; set; } = [];
        public List<TicketType> Types { get; set; } = [];
        public List<TicketPriority> Priorities { get; set; } = [];
        public List<CustomerTier> CustomerTiers { get; set; } = [];
        public List<string> TeamKeys { get; set; } = [];
        /// <summary>Triage's handling modes ("Immediate"): the stricter policy for complaints to handle at once.</summary>
        public List<HandlingMode> HandlingModes { get; set; } = [];
        public GoalOptions? FirstResponse { get; set; }
        public GoalOptions? NextResponse { get; set; }
        public GoalOptions? Resolution { get; set; }
        public double WarningThreshold { get; set; } = SlaPolicy.DefaultWarningThreshold;
        /// <summary>Left out: Waiting on customer pauses.</summary>
        public List<TicketStatus>? PausingStatuses { get; set; }
        public LadderOptions Escalation { get; set; } = new();
    }

    public sealed class GoalOptions
    {
        /// <summary>The target in minutes (0.5 = 30 seconds).</summary>
        public double Minutes { get; set; }
        public SlaTimeMode Mode { get; set; } = SlaTimeMode.Business;
    }

    public sealed class LadderOptions
    {
        public bool NotifyAssignee { get; set; } = true;
        public bool NotifySupervisorsLive { get; set; } = true;
        public bool EmailSupervisors { get; set; } = true;
        public string? SeniorQueueKey { get; set; }
        /// <summary>Minutes from level 2 to level 3; 0 stops the ladder at level 2.</summary>
        public double Level3AfterMinutes { get; set; } = 60;
        public bool RaisePriorityAtLevel3 { get; set; } = true;
    }
}

/// <summary>The calendars and policies in force, built once from <see cref="SlaOptions"/>.</summary>
public sealed class SlaRules
{
    private readonly Dictionary<string, BusinessCalendar> _calendars;

    public SlaRules(SlaPolicySet policies, IEnumerable<BusinessCalendar> calendars)
    {
        Policies = policies;
        _calendars = calendars.ToDictionary(c => c.Key, StringComparer.OrdinalIgnoreCase);
        var missing = policies.InOrder.Where(p => !_calendars.ContainsKey(p.CalendarKey)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException(string.Join(" ", missing.Select(p => $"Policy '{p.Key}' uses calendar '{p.CalendarKey}', which is not configured.")));
    }

    public SlaPolicySet Policies { get; }
    public IReadOnlyCollection<BusinessCalendar> Calendars => _calendars.Values;

    public BusinessCalendar CalendarOf(SlaPolicy policy) => _calendars[policy.CalendarKey];

    public static SlaRules Defaults() => new(DefaultSlaPolicies.CreateSet(), [DefaultBusinessCalendar.Create()]);

    /// <summary>Builds the rules; throws <see cref="ArgumentException"/> (or FormatException) with sentences naming what is wrong.</summary>
    public static SlaRules From(SlaOptions options)
    {
        var calendars = new Dictionary<string, BusinessCalendar>(StringComparer.OrdinalIgnoreCase)
        {
            [DefaultBusinessCalendar.Key] = DefaultBusinessCalendar.Create(),
        };
        var problems = new List<string>();
        foreach (var c in options.Calendars)
        {
            try
            {
                if (string.IsNullOrWhiteSpace(c.Key)) throw new ArgumentException("A calendar under Sla:Calendars needs a Key.");
                calendars[c.Key] = BuildCalendar(c);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                problems.Add(e.Message);
            }
        }
        var policies = new List<SlaPolicy>();
        foreach (var p in options.Policies)
        {
            try
            {
                policies.Add(BuildPolicy(p));
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                problems.Add($"Policy '{p.Key}': {e.Message}");
            }
        }
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        var set = policies.Count == 0 ? DefaultSlaPolicies.CreateSet() : new SlaPolicySet(policies);
        return new SlaRules(set, calendars.Values);
    }

    private static BusinessCalendar BuildCalendar(SlaOptions.CalendarOptions c)
    {
        var zone = BusinessCalendar.FindZone(c.TimeZone);
        if (c.TwentyFourSeven)
            return new BusinessCalendar(c.Key, zone, WeeklyHours.AllDay);
        var days = new Dictionary<DayOfWeek, IReadOnlyList<WorkingInterval>>();
        foreach (var (day, intervals) in c.Hours)
        {
            if (!Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out var weekday))
                throw new FormatException($"Calendar '{c.Key}': '{day}' is not a weekday; write Monday … Sunday.");
            days[weekday] = intervals.Select(WorkingInterval.Parse).ToArray();
        }
        var hours = days.Count == 0 ? DefaultBusinessCalendar.Hours : new WeeklyHours(days);
        return new BusinessCalendar(c.Key, zone, hours, c.Holidays.Select(h => ParseHoliday(c.Key, h)), c.ExtraWorkingDays.Select(d => ParseExtraDay(c.Key, d)));
    }

    /// <summary>"2027-10-01..2027-10-07 国庆节", "2027-05-03", "01-01 元旦", "10-01..10-03 国庆节".</summary>
    internal static Holiday ParseHoliday(string calendar, string text)
    {
        var (range, name) = SplitName(text);
        var parts = range.Split("..", StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2)
            throw new FormatException($"Calendar '{calendar}': holiday '{text}' is not a date or a range (2027-10-01..2027-10-07, or 01-01 for every year).");
        if (parts.All(p => DateOnly.TryParseExact(p, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)))
        {
            var from = DateOnly.ParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var to = parts.Length == 2 ? DateOnly.ParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture) : from;
            return Holiday.Range(from, to, name ?? range);
        }
        if (parts.All(p => DateOnly.TryParseExact("2000-" + p, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)))
        {
            var from = DateOnly.ParseExact("2000-" + parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var to = parts.Length == 2 ? DateOnly.ParseExact("2000-" + parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture) : from;
            var days = to.DayNumber - from.DayNumber + 1;
            if (days < 1) days += 366;
            return Holiday.EveryYear(from.Month, from.Day, name ?? range, days);
        }
        throw new FormatException($"Calendar '{calendar}': holiday '{text}' is not a date or a range (2027-10-01..2027-10-07, or 01-01 for every year).");
    }

    private static ExtraWorkingDay ParseExtraDay(string calendar, string text)
    {
        var (date, name) = SplitName(text);
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            throw new FormatException($"Calendar '{calendar}': extra working day '{text}' is not a date (2027-09-26).");
        return new ExtraWorkingDay(day, name ?? "调休");
    }

    private static (string Value, string? Name) SplitName(string text)
    {
        var trimmed = text.Trim();
        var space = trimmed.IndexOf(' ');
        return space < 0 ? (trimmed, null) : (trimmed[..space], trimmed[(space + 1)..].Trim());
    }

    private static SlaPolicy BuildPolicy(SlaOptions.PolicyOptions p)
    {
        var ladder = p.Escalation;
        return new SlaPolicy
        {
            Key = p.Key,
            Name = p.Name ?? p.Key,
            NameZh = p.NameZh ?? p.Name ?? p.Key,
            Order = p.Order,
            CalendarKey = string.IsNullOrWhiteSpace(p.Calendar) ? DefaultBusinessCalendar.Key : p.Calendar,
            Conditions = new SlaConditions
            {
                Channels = p.Channels.ToHashSet(),
                Types = p.Types.ToHashSet(),
                Priorities = p.Priorities.ToHashSet(),
                CustomerTiers = p.CustomerTiers.ToHashSet(),
                TeamKeys = p.TeamKeys.ToHashSet(StringComparer.OrdinalIgnoreCase),
                HandlingModes = p.HandlingModes.ToHashSet(),
            },
            FirstResponse = Goal(p.FirstResponse),
            NextResponse = Goal(p.NextResponse),
            Resolution = Goal(p.Resolution),
            WarningThreshold = p.WarningThreshold,
            PausingStatuses = p.PausingStatuses?.ToHashSet() ?? SlaPolicy.DefaultPausingStatuses,
            Escalation = EscalationLadder.Default with
            {
                NotifyAssignee = ladder.NotifyAssignee,
                NotifySupervisorsLive = ladder.NotifySupervisorsLive,
                EmailSupervisors = ladder.EmailSupervisors,
                SeniorQueueKey = string.IsNullOrEmpty(ladder.SeniorQueueKey) ? null : ladder.SeniorQueueKey,
                Level3After = ladder.Level3AfterMinutes == 0 ? null : TimeSpan.FromMinutes(ladder.Level3AfterMinutes),
                RaisePriorityAtLevel3 = ladder.RaisePriorityAtLevel3,
            },
        };
    }

    private static SlaGoal? Goal(SlaOptions.GoalOptions? goal) =>
        goal is null ? null
        : goal.Minutes > 0 && !double.IsNaN(goal.Minutes) ? new SlaGoal(TimeSpan.FromMinutes(goal.Minutes), goal.Mode)
        : throw new ArgumentException($"a target must be longer than zero minutes, not {goal.Minutes}.");
}

/// <summary>Bad SLA settings stop the start with Core's own sentences.</summary>
public sealed class SlaOptionsValidator : IValidateOptions<SlaOptions>
{
    public ValidateOptionsResult Validate(string? name, SlaOptions options)
    {
        try
        {
            SlaRules.From(options);
            return ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return ValidateOptionsResult.Fail("Sla: " + e.Message);
        }
    }
}
