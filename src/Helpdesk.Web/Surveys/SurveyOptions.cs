using System.ComponentModel.DataAnnotations;

namespace Helpdesk.Web.Surveys;

/// <summary>Bound from "Surveys".</summary>
public sealed class SurveyOptions
{
    public const string Section = "Surveys";

    /// <summary>Resolved tickets without an answer, and tickets with feedback, are archived after this many days.</summary>
    [Range(1, 365)]
    public int ArchiveAfterDays { get; set; } = 7;

    /// <summary>
    /// The address customers reach this app at, for the link in the survey mail
    /// (https://support.example.com). Unset: the address the server listens on.
    /// </summary>
    [Url]
    public string? PublicBaseUrl { get; set; }
}
