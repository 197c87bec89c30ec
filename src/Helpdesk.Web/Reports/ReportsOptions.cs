namespace Helpdesk.Web.Reports;

/// <summary>Settings of the reports (section "Reports"): the zone whose calendar days they count in.</summary>
public sealed class ReportsOptions : Infrastructure.LocalZoneOptions
{
    public const string Section = "Reports";
}
