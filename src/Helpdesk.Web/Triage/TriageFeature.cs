using Helpdesk.Web.Infrastructure;

namespace Helpdesk.Web.Triage;

/// <summary>Complaint triage (issue 7): the listener that triages, the cached rules, the APIs.</summary>
public static class TriageFeature
{
    public static void AddTriage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TriageOptions>().Bind(builder.Configuration.GetSection(TriageOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TriageRuleStore>();
        builder.Services.AddScoped<TriageService>();
        builder.Services.AddScoped<ITicketEventListener, TriageListener>();
        builder.Services.AddSingleton<ChatTriageQueue>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChatTriageQueue>());
    }

    public static void MapTriage(this WebApplication app)
    {
        app.MapTriageApi();
        app.MapTriageRulesApi();
    }
}
