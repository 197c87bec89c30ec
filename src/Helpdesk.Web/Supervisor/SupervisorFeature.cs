using Helpdesk.Web.Infrastructure;

namespace Helpdesk.Web.Supervisor;

/// <summary>The supervisor's live dashboard (issue 10): cached figures, /hubs/supervisor pushes, interventions.</summary>
public static class SupervisorFeature
{
    public static void AddSupervisor(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SupervisorOptions>().Bind(builder.Configuration.GetSection(SupervisorOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DashboardState>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DashboardState>());
        builder.Services.AddHostedService<DashboardNodeSignal>();
        builder.Services.AddSingleton<IChatStateListener>(sp => sp.GetRequiredService<DashboardState>());
        builder.Services.AddScoped<ITicketEventListener, DashboardEventListener>();
        builder.Services.AddScoped<SupervisorInterventions>();
    }

    public static void MapSupervisor(this WebApplication app)
    {
        app.MapHub<SupervisorHub>("/hubs/supervisor");
        app.MapSupervisorApi();
    }
}
