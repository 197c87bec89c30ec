using System.Net;
using Hangfire;
using Helpdesk.Data;
using Helpdesk.Data.Sla;
using Helpdesk.Web.Sla;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Sla;

public static class SlaTestKit
{
    /// <summary>Settings for a server whose Hangfire picks scheduled jobs up quickly.</summary>
    public static HelpdeskServer FastJobsServer(params string[] settings) => FastJobsServer(null, false, settings);

    public static HelpdeskServer FastJobsServer(string? folder, bool keepFolder, params string[] settings)
    {
        var server = new HelpdeskServer { Folder = folder!, KeepFolder = keepFolder };
        server.Settings.Add("Jobs:SchedulePollingInterval=00:00:00.2");
        server.Settings.AddRange(settings);
        return server;
    }

    public static async Task<SlaView> SlaAsync(this StaffClient client, long number)
    {
        var response = await client.Http.GetAsync($"/api/tickets/{number}/sla");
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadAsync<SlaView>();
    }

    /// <summary>Waits until the SLA worker has stored figures and a timer for the ticket.</summary>
    public static Task<SlaView> ScheduledAsync(this StaffClient client, long number) =>
        Eventually.ReturnsAsync(() => client.SlaAsync(number), s => s.TimerScheduled, $"the SLA timer of ticket {number}");

    public static Task<SlaView> EscalatedToAsync(this StaffClient client, long number, int level) =>
        Eventually.ReturnsAsync(() => client.SlaAsync(number), s => s.Escalation.Level == level, $"ticket {number} at escalation level {level}");

    public sealed record StoredTimer(long TicketId, int SlaVersion, int? ScheduledVersion, string? JobId, DateTime? WakeUpAt);

    public static async Task<StoredTimer> TimerAsync(this HelpdeskServer server, long number)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        return await db.Tickets.Where(t => t.Number == number).Select(t => new StoredTimer(t.Id,
            EF.Property<int>(t, SlaColumns.Version), EF.Property<int?>(t, SlaColumns.ScheduledVersion),
            EF.Property<string?>(t, SlaColumns.JobId), EF.Property<DateTime?>(t, SlaColumns.WakeUpAt))).SingleAsync();
    }

    /// <summary>
    /// Hangfire counts its delays in real time while the app's clock is the test's: after moving the
    /// clock, the test hands the pending timer to the real Hangfire server at once (Requeue), which runs it.
    /// </summary>
    public static bool TimerPending(this HelpdeskServer server, string? jobId)
    {
        using var scope = server.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<SlaJobs>().IsPending(jobId);
    }

    /// <summary>The store holds this ticket's timer for this SLA version, pending (not merely some job under that id).</summary>
    public static bool TimerPendingFor(this HelpdeskServer server, StoredTimer timer)
    {
        using var scope = server.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<SlaJobs>().IsPendingFor(timer.JobId, timer.TicketId, timer.SlaVersion);
    }

    public static void RunNow(this HelpdeskServer server, string jobId) =>
        server.Services.GetRequiredService<IBackgroundJobClient>().Requeue(jobId).Should().BeTrue("the timer job {0} is in the store", jobId);
}
