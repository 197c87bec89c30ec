namespace Helpdesk.Web.Handover;

/// <summary>Shift handover (交班日记, issue 10 point 4): a generated draft of the agent's open items, edited and submitted, read by the next shift and supervisors.</summary>
public static class HandoverFeature
{
    public static void AddHandover(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HandoverOptions>().Bind(builder.Configuration.GetSection(HandoverOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<HandoverDrafts>();
    }

    public static void MapHandover(this WebApplication app) => app.MapHandoverApi();
}
