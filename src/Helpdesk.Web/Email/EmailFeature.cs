using Microsoft.Extensions.DependencyInjection.Extensions;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Email;

/// <summary>The email channel: IMAP intake per mailbox, outbound replies and acknowledgements by SMTP (Hangfire jobs), quarantine.</summary>
public static class EmailFeature
{
    public static void AddEmail(this WebApplicationBuilder builder)
    {
        // GB2312, GBK, GB18030, Big5 and the other legacy charsets of real mail. Before anything
        // touches MimeKit: it looks the encodings up once and falls back to Latin-1 for the rest.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        builder.Services.AddOptions<EmailOptions>().Bind(builder.Configuration.GetSection(EmailOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        builder.Services.AddSingleton<MailIntakeStatus>();
        builder.Services.AddHealthChecks().AddCheck<MailIntakeHealthCheck>("mail-intake");
        builder.Services.AddScoped<EmailIntake>();
        builder.Services.AddScoped<MailQuarantine>();
        builder.Services.AddScoped<EmailOutbox>();
        builder.Services.AddScoped<EmailReplies>();
        builder.Services.AddScoped<EmailOutboxReconciler>();
        builder.Services.AddScoped<EmailComposer>();
        builder.Services.AddScoped<EmailSendJob>();
        builder.Services.AddSingleton<SmtpMailSender>();
        builder.Services.AddSingleton<ConfiguredAcknowledgementText>();
        // The Scripts feature puts its approved wording in front of this (TryAdd: whoever came first wins).
        builder.Services.TryAddScoped<IEmailAcknowledgementText>(sp => sp.GetRequiredService<ConfiguredAcknowledgementText>());
        builder.Services.AddScoped<Infrastructure.ITicketEventListener, EmailReplyListener>();
        builder.Services.AddSingleton(sp => new Hangfire.Common.JobFilter(
            new EmailSendRetryFilter(sp.GetRequiredService<IOptions<EmailOptions>>()), Hangfire.Common.JobFilterScope.Global, null));

        // One worker per mailbox, each with its own connection and backoff.
        var mailboxes = builder.Configuration.GetSection(EmailOptions.Section).Get<EmailOptions>()?.Mailboxes ?? [];
        foreach (var name in mailboxes.Select(m => m.Name).Distinct())
            builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<EmailIntakeWorker>(sp, name));
    }

    public static void MapEmail(this WebApplication app)
    {
        app.MapMailQuarantineApi();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
            jobs.AddOrUpdate<EmailOutboxReconciler>("email-outbox-reconciler", r => r.RunAsync(CancellationToken.None), Cron.Minutely());
            if (app.Services.GetRequiredService<JobStorage>() is Hangfire.InMemory.InMemoryStorage)
            {
                // The in-memory job store forgot the mail still waiting when the app last stopped.
                using var scope = app.Services.CreateScope();
                scope.ServiceProvider.GetRequiredService<EmailOutboxReconciler>().RequeueWaitingAsync(CancellationToken.None).GetAwaiter().GetResult();
            }
        });
    }
}
