using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Helpdesk.Web.Crm;

/// <summary>
/// Customer records shared with the CRM (issue 9): the full record and its log in the console,
/// the API-key CRM API with its changes feed, webhooks through an outbox, CSV, merging, churn risk.
/// </summary>
public static class CrmFeature
{
    public static void AddCrm(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CrmOptions>().Bind(builder.Configuration.GetSection(CrmOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.RetryFirstDelay > TimeSpan.Zero && o.RetryMaxDelay >= o.RetryFirstDelay && o.RetryWindow > TimeSpan.Zero && o.SweepInterval > TimeSpan.Zero
                           && o.SendLease > o.SendTimeout && o.SendTimeout > TimeSpan.Zero,
                "Crm: retry delays, window, sweep interval and send timeout must be positive, the max delay at least the first, the lease longer than the send timeout.")
            .ValidateOnStart();
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CrmApi.ReadPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, "Read", "ReadWrite"))
            .AddPolicy(CrmApi.WritePolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, "ReadWrite"));
        builder.Services.AddScoped<CrmChangeInterceptor>();
        builder.Services.AddScoped<IInterceptor>(sp => sp.GetRequiredService<CrmChangeInterceptor>());
        builder.Services.AddScoped<CustomerCsv>();
        builder.Services.AddScoped<CustomerMerge>();
        builder.Services.AddScoped<ChurnRiskService>();
        builder.Services.AddScoped<ITicketEventListener, ChurnRiskListener>();
        builder.Services.AddScoped<WebhookDeliveryJob>();
        builder.Services.AddHttpClient(WebhookDeliveryJob.HttpClientName, c => c.DefaultRequestHeaders.UserAgent.ParseAdd("Helpdesk-Webhooks/1.0"));
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
    }

    public static void MapCrm(this WebApplication app)
    {
        app.MapCustomersApi();
        app.MapCrmApi();
        app.MapApiKeysApi();
        app.MapWebhooksApi();
    }
}
