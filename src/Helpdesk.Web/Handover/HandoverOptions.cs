using System.ComponentModel.DataAnnotations;
using Helpdesk.Core.Handover;

namespace Helpdesk.Web.Handover;

/// <summary>Settings of the shift handover (section "Handover"); the zone is the one the draft shows times in.</summary>
public sealed class HandoverOptions : Infrastructure.LocalZoneOptions
{
    public const string Section = "Handover";

    /// <summary>How far back a handover reaches when the author handed over no earlier shift.</summary>
    [Range(typeof(TimeSpan), "00:30:00", "1.00:00:00")]
    public TimeSpan ShiftLength { get; set; } = HandoverRules.DefaultShift;
}
