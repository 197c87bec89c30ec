using Hangfire;
using Helpdesk.Web.Escalation;
using Helpdesk.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Sla;

/// <summary>SLA clocks and the escalation ladder (issue 6; docs/sla-design.md).</summary>
public static class SlaFeature
{
    public const string ReconcilerJobId = "sla-reconciler";

    public static void AddSla(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SlaOptions>().Bind(builder.Configuration.GetSection(SlaOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SlaOptions>, SlaOptionsValidator>();
        builder.Services.AddOptions<SlaTimerOptions>().Bind(builder.Configuration.GetSection(SlaTimerOptions.Section))
            .Validate(o => o.ReconcileLookAhead >= TimeSpan.Zero && !string.IsNullOrWhiteSpace(o.ReconcileCron), "Sla:Timers:ReconcileLookAhead must not be negative and ReconcileCron must be set.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => SlaRules.From(sp.GetRequiredService<IOptions<SlaOptions>>().Value));

        builder.Services.AddScoped<SlaStore>();
        builder.Services.AddScoped<SlaJobs>();
        builder.Services.AddScoped<SlaProcessor>();
        builder.Services.AddScoped<SlaTimerJob>();
        builder.Services.AddScoped<SlaReconciler>();
        builder.Services.AddScoped<EscalationActions>();
        builder.Services.AddScoped<EscalationService>();
        builder.Services.AddScoped<StaffNotificationMailJob>();
        builder.Services.AddSingleton<SlaDueTimers>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SlaDueTimers>());
        builder.Services.AddSingleton<SlaWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SlaWorker>());
        builder.Services.AddScoped<ITicketEventListener, SlaScheduler>();
        builder.Services.AddScoped<ITicketEventListener, SupervisorRequestListener>();
        builder.Services.AddScoped<ITicketEventListener, TriageThreatListener>();
    }

    public static void MapSla(this WebApplication app)
    {
        app.MapSlaApi();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
            var cron = app.Services.GetRequiredService<IOptions<SlaTimerOptions>>().Value.ReconcileCron;
            jobs.AddOrUpdate<SlaReconciler>(ReconcilerJobId, r => r.RunAsync(CancellationToken.None), cron);
            // The start-up pass runs as a job too: with many open tickets it must not hold up the start.
            app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<SlaReconciler>(r => r.RunAsync(true, CancellationToken.None));
        });
    }
}
