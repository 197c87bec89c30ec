using Helpdesk.Web.Sla;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Sla;

/// <summary>The Hangfire store can die with the app (in memory on SQLite, lost on a server); the reconciler makes sure no SLA dies with it.</summary>
public sealed class SlaRestartTests
{
    [Fact]
    public async Task After_a_restart_with_the_job_store_lost_every_deadline_is_still_acted_on()
    {
        long overdue, later;
        string folder;
        SlaTestKit.StoredTimer laterBefore;
        DateTimeOffset stoppedAt;
        await using (var first = SlaTestKit.FastJobsServer(null, keepFolder: true))
        {
            await first.InitializeAsync();
            folder = first.Folder;
            var agent = await first.StaffAsync(Demo.Agent1);
            overdue = (await agent.NewTicketAsync("due 13:00", assigneeId: agent.Id)).Ticket.Number;
            first.Clock.Advance(TimeSpan.FromHours(2));
            later = (await agent.NewTicketAsync("due 15:00", assigneeId: agent.Id)).Ticket.Number;
            (await agent.ScheduledAsync(overdue)).NextWakeUpAt.Should().NotBeNull();
            (await agent.ScheduledAsync(later)).NextWakeUpAt.Should().NotBeNull();
            laterBefore = await first.TimerAsync(later);
            stoppedAt = first.Clock.GetUtcNow();
        }

        // Down from 11:00 to 14:00: the first ticket's deadline (13:00) passes while nothing runs.
        await using var second = SlaTestKit.FastJobsServer(folder, keepFolder: false);
        second.Clock.SetUtcNow(stoppedAt + TimeSpan.FromHours(3));
        await second.LoseJobStoreAsync();
        await second.InitializeAsync();
        var supervisor = await second.StaffAsync(Demo.Supervisor);

        // The start-up pass acts on the deadline that passed while the app was down...
        var acted = await supervisor.EscalatedToAsync(overdue, 2);
        acted.Escalation.Reasons.Should().Contain("sla_breach:first_response");
        // ...and gives the other ticket a timer in the new store, for the same wake-up.
        // A store that survives restarts (PostgreSQL) is not rescanned whole at start-up; the minutely
        // pass checks each timer as its wake-up comes within the look-ahead (10 min). Run that pass
        // three minutes on, as the recurring job would; on SQLite the start-up pass did it already.
        second.Clock.Advance(TimeSpan.FromMinutes(3));
        await using (var scope = second.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SlaReconciler>().RunAsync(CancellationToken.None);
        // (A store started afresh may hand out the old job id again, for another job: the id alone proves nothing.)
        var rescheduled = await Eventually.ReturnsAsync(() => second.TimerAsync(later), t => t.JobId != null && second.TimerPendingFor(t),
            "the second ticket's timer scheduled again");
        second.TimerPending(rescheduled.JobId).Should().BeTrue("the new store holds the timer");
        rescheduled.WakeUpAt.Should().Be(laterBefore.WakeUpAt, "80 % of 4 h from 11:00: the warning at 14:12 is still ahead");
        (await supervisor.SlaAsync(later)).Escalation.Level.Should().Be(0);

        // When its deadline comes, the rescheduled timer (run by the new Hangfire server) escalates it.
        second.Clock.Advance(TimeSpan.FromMinutes(58));
        second.RunNow(rescheduled.JobId!);
        (await supervisor.EscalatedToAsync(later, 2)).Escalation.Reasons.Should().Contain("sla_breach:first_response");
    }
}
