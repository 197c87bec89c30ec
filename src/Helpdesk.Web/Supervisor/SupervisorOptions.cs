using System.ComponentModel.DataAnnotations;

namespace Helpdesk.Web.Supervisor;

/// <summary>Settings of the dashboard (section "Supervisor"); the zone is that of its "today".</summary>
public sealed class SupervisorOptions : Infrastructure.LocalZoneOptions
{
    public const string Section = "Supervisor";

    /// <summary>Least time between two recomputations: a burst of events costs one (figures still move within a second).</summary>
    [Range(0, 900)] public int CoalesceMilliseconds { get; set; } = 250;

    /// <summary>While supervisors watch, the figures are recomputed at least this often (waits, due times, a new day).</summary>
    [Range(1, 3600)] public int RefreshSeconds { get; set; } = 30;
}
