using System.ComponentModel.DataAnnotations;
using Helpdesk.Core.Supervision;

namespace Helpdesk.Web.Supervisor;

public sealed class SupervisorOptions
{
    public const string Section = "Supervisor";

    /// <summary>IANA zone of the dashboard's "today".</summary>
    [Required] public string TimeZone { get; set; } = DayWindow.DefaultTimeZoneId;

    /// <summary>Least time between two recomputations: a burst of events costs one (figures still move within a second).</summary>
    [Range(0, 900)] public int CoalesceMilliseconds { get; set; } = 250;

    /// <summary>While supervisors watch, the figures are recomputed at least this often (waits, due times, a new day).</summary>
    [Range(1, 3600)] public int RefreshSeconds { get; set; } = 30;

    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
