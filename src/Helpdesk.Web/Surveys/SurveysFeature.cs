using Hangfire;

namespace Helpdesk.Web.Surveys;

/// <summary>Satisfaction surveys (issue 8): invitation on Resolved, answers, follow-ups, grades, reminder and auto-archive jobs, CSAT reports.</summary>
public static class SurveysFeature
{
    public static void AddSurveys(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SurveyOptions>().Bind(builder.Configuration.GetSection(SurveyOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SurveyTokens>();
        builder.Services.AddSingleton<SurveyLinks>();
        builder.Services.AddScoped<SurveyIssuer>();
        builder.Services.AddScoped<SurveyAnswers>();
        builder.Services.AddScoped<AgentGrades>();
        builder.Services.AddScoped<SurveyReminderJob>();
        builder.Services.AddScoped<SurveyArchiveJob>();
        builder.Services.AddScoped<Infrastructure.ITicketEventListener, SurveyOnResolvedListener>();
        builder.Services.AddScoped<Infrastructure.ITicketEventListener, SurveyFollowUpListener>();
        builder.Services.AddScoped<Infrastructure.ITicketEventListener, LowScoreEscalationListener>();
        builder.Services.AddScoped<Infrastructure.ITicketEventListener, AgentGradeListener>();
    }

    public static void MapSurveys(this WebApplication app)
    {
        app.MapSurveyPage();
        app.MapSurveysApi();
        app.MapCsatReportsApi();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
            jobs.AddOrUpdate<SurveyArchiveJob>("survey-auto-archive", j => j.RunAsync(CancellationToken.None), Cron.Hourly());
            jobs.AddOrUpdate<SurveyReminderJob>("survey-reminder-sweep", j => j.SweepAsync(CancellationToken.None), Cron.Hourly());
        });
    }
}
