using System.ComponentModel.DataAnnotations;
using Helpdesk.Core.Sla;

namespace Helpdesk.Web.Infrastructure;

/// <summary>
/// Settings of a feature that counts in the company's local days (reports, the dashboard's
/// "today", handover times): one IANA zone, Asia/Shanghai unless set, refused at start when unknown.
/// </summary>
public abstract class LocalZoneOptions : IValidatableObject
{
    /// <summary>IANA zone of the local day.</summary>
    public string TimeZone { get; set; } = BusinessCalendar.DefaultTimeZoneId;

    public TimeZoneInfo Zone() => BusinessCalendar.FindZone(TimeZone);

    public virtual IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        string? problem = null;
        try { Zone(); }
        catch (ArgumentException e) { problem = e.Message; }
        if (problem is not null) yield return new ValidationResult(problem, [nameof(TimeZone)]);
    }
}
