using System.ComponentModel.DataAnnotations;
using Helpdesk.Core.Handover;
using Helpdesk.Core.Sla;

namespace Helpdesk.Web.Handover;

/// <summary>Settings of the shift handover (section "Handover").</summary>
public sealed class HandoverOptions : IValidatableObject
{
    public const string Section = "Handover";

    /// <summary>IANA zone in which the draft shows times (the team's local time).</summary>
    public string TimeZone { get; set; } = BusinessCalendar.DefaultTimeZoneId;

    /// <summary>How far back a handover reaches when the author handed over no earlier shift.</summary>
    [Range(typeof(TimeSpan), "00:30:00", "1.00:00:00")]
    public TimeSpan ShiftLength { get; set; } = HandoverRules.DefaultShift;

    public TimeZoneInfo Zone() => BusinessCalendar.FindZone(TimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        string? problem = null;
        try { Zone(); }
        catch (ArgumentException e) { problem = e.Message; }
        if (problem is not null) yield return new ValidationResult(problem, [nameof(TimeZone)]);
    }
}
