namespace Helpdesk.Web.Reports;

/// <summary>Supervisor reports (issue 10 point 3): daily series per report, as JSON for the charts and as CSV.</summary>
public static class ReportsFeature
{
    public static void AddReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReportsOptions>().Bind(builder.Configuration.GetSection(ReportsOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
    }

    public static void MapReports(this WebApplication app) => app.MapReportsApi();
}
