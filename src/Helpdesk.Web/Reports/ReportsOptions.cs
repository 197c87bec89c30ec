using System.ComponentModel.DataAnnotations;
using Helpdesk.Core.Sla;

namespace Helpdesk.Web.Reports;

/// <summary>Settings of the reports (section "Reports").</summary>
public sealed class ReportsOptions : IValidatableObject
{
    public const string Section = "Reports";

    /// <summary>IANA zone whose calendar days the reports count in.</summary>
    public string TimeZone { get; set; } = BusinessCalendar.DefaultTimeZoneId;

    public TimeZoneInfo Zone() => BusinessCalendar.FindZone(TimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        string? problem = null;
        try { Zone(); }
        catch (ArgumentException e) { problem = e.Message; }
        if (problem is not null) yield return new ValidationResult(problem, [nameof(TimeZone)]);
    }
}
