using Hangfire;
using Hangfire.Server;
using Helpdesk.Core.Email;
using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Email;

/// <summary>A mail that can never be delivered as it stands (no address, no SMTP server): no retry helps.</summary>
public sealed class UndeliverableMailException(string message) : Exception(message);

/// <summary>
/// Sends one outbound mail (a Hangfire job). Each try is written on the mail's row, so the
/// console shows "retrying (2): connection refused" and, after the last try, the failure; a
/// failed try is thrown back to Hangfire, whose <see cref="EmailSendRetryFilter"/> schedules the
/// next with exponential backoff. Hangfire's own AutomaticRetry is off for this job: the
/// attempts and delays come from Email:SendRetry.
/// </summary>
[AutomaticRetry(Attempts = 0, LogEvents = false)]
public sealed class EmailSendJob(HelpdeskDbContext db, EmailComposer composer, SmtpMailSender smtp,
    IOptions<EmailOptions> options, TimeProvider clock, ILogger<EmailSendJob> log)
{
    public async Task RunAsync(long emailMessageId, PerformContext? context, CancellationToken ct)
    {
        var row = await db.EmailMessages.SingleOrDefaultAsync(e => e.Id == emailMessageId, ct);
        if (row is null || row.DeliveryStatus == DeliveryStatus.Sent)
            return;
        var attempt = (context?.GetJobParameter<int>("RetryCount") ?? 0) + 1;
        // The claim: a second job for the same mail (queued again after a restart, say) that
        // read the same row loses here instead of sending the mail twice.
        row.DeliveryAttempts++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            log.LogInformation("Mail {Id} is being sent by another job", row.Id);
            return;
        }
        try
        {
            var message = await composer.ComposeAsync(row, ct);
            await smtp.SendAsync(message, ct);
            row.DeliveryStatus = DeliveryStatus.Sent;
            row.DeliveredAt = clock.GetUtcNow().UtcDateTime;
            row.DeliveryError = null;
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (UndeliverableMailException e)
        {
            await RecordFailureAsync(row, e.Message, final: true);
            log.LogWarning("Mail {Id} ({Kind}) of ticket {TicketId} cannot be delivered: {Reason}", row.Id, row.OutboundKind, row.TicketId, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Tries counted on the row cap it too: jobs queued again after restarts do not retry for ever.
            var final = attempt >= options.Value.SendRetry.Attempts || row.DeliveryAttempts >= options.Value.SendRetry.Attempts * 2;
            await RecordFailureAsync(row, e.Message, final);
            log.LogWarning("Sending mail {Id} of ticket {TicketId} failed (try {Attempt} of {Attempts}): {Reason}",
                row.Id, row.TicketId, attempt, options.Value.SendRetry.Attempts, e.Message);
            throw;
        }
    }

    private async Task RecordFailureAsync(EmailMessage row, string reason, bool final)
    {
        row.DeliveryStatus = final ? DeliveryStatus.Failed : DeliveryStatus.Retrying;
        row.DeliveryError = reason.Length <= EmailLimits.ReasonMax ? reason : reason[..EmailLimits.ReasonMax];
        await db.SaveChangesAsync(CancellationToken.None);
    }
}

/// <summary>
/// Retries a failed <see cref="EmailSendJob"/> with exponential backoff (Email:SendRetry: first
/// delay doubling up to the cap) until its attempts are spent; then it stays Failed in Hangfire too.
/// Registered per app (not in Hangfire's global filters), so each app uses its own settings.
/// </summary>
public sealed class EmailSendRetryFilter(IOptions<EmailOptions> options) : Hangfire.States.IElectStateFilter
{
    public void OnStateElection(Hangfire.States.ElectStateContext context)
    {
        if (context.CandidateState is not Hangfire.States.FailedState failed || context.BackgroundJob.Job?.Type != typeof(EmailSendJob))
            return;
        var retry = options.Value.SendRetry;
        var done = context.GetJobParameter<int>("RetryCount", allowStale: true) + 1;
        if (done >= retry.Attempts)
            return;
        context.SetJobParameter("RetryCount", done);
        var delay = Backoff.Delay(done, retry.FirstDelay, retry.MaxDelay);
        var reason = $"Retry {done} of {retry.Attempts - 1} in {delay}: {failed.Exception.Message}";
        context.CandidateState = delay <= TimeSpan.Zero
            ? new Hangfire.States.EnqueuedState { Reason = reason }
            : new Hangfire.States.ScheduledState(delay) { Reason = reason };
    }
}
