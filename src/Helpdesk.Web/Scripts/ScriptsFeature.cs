using Helpdesk.Web.Data;

namespace Helpdesk.Web.Scripts;

public static class ScriptsFeature
{
    public static void AddScripts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScriptOptions>().Bind(builder.Configuration.GetSection(ScriptOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.CompanyNames.Keys.All(k => Core.Scripts.ScriptLanguages.IsKnown(k)), "Scripts:CompanyNames has a language other than zh-CN and en.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ForbiddenPhraseGuard>();
        builder.Services.AddScoped<ScriptRenderer>();
        builder.Services.AddScoped<ScriptLibrary>();
        builder.Services.AddScoped<ChatScripts>();
        builder.Services.AddScoped<IDatabaseSeeder, ScriptSeeder>();
        builder.Services.AddSingleton<ChatIdleProtocol>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChatIdleProtocol>());
    }

    public static void MapScripts(this WebApplication app)
    {
        app.MapScriptsApi();
        app.MapForbiddenPhrasesApi();
    }
}
