using System.ComponentModel.DataAnnotations;
using Helpdesk.Core.Sla;

namespace Helpdesk.Web.Reports;

/// <summary>Settings of the reports and handovers (section "Reports").</summary>
public sealed class ReportsOptions : IValidatableObject
{
    public const string Section = "Reports";

    /// <summary>IANA zone whose calendar days the reports count in, and in which handover drafts show times.</summary>
    public string TimeZone { get; set; } = BusinessCalendar.DefaultTimeZoneId;

    /// <summary>How far back a handover reaches when the author handed over no earlier shift.</summary>
    [Range(typeof(TimeSpan), "00:30:00", "1.00:00:00")]
    public TimeSpan ShiftLength { get; set; } = Core.Handover.HandoverRules.DefaultShift;

    public TimeZoneInfo Zone() => BusinessCalendar.FindZone(TimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        string? problem = null;
        try { Zone(); }
        catch (ArgumentException e) { problem = e.Message; }
        if (problem is not null) yield return new ValidationResult(problem, [nameof(TimeZone)]);
    }
}
