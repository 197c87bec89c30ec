using Helpdesk.Web.Sla;
using Microsoft.Extensions.DependencyInjection;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.Web.Tests.Sla;

/// <summary>Deadlines stored on the ticket, one versioned Hangfire timer per ticket, escalation when it fires.</summary>
public sealed class SlaTimerTests
{
    // The test clock starts Monday 2026-11-23 09:00 in Shanghai (01:00 UTC): a working day.
    private static readonly DateTime Monday0900 = new(2026, 11, 23, 1, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Api_ticket_gets_the_default_policy_with_business_hour_deadlines_and_a_pending_timer()
    {
        await using var server = SlaTestKit.FastJobsServer();
        await server.InitializeAsync();
        var agent = await server.StaffAsync(Demo.Agent1);
        var ticket = await agent.NewTicketAsync();

        var sla = await agent.ScheduledAsync(ticket.Ticket.Number);

        sla.PolicyKey.Should().Be("default");
        var first = sla.Targets.Single(t => t.Target == Core.Sla.SlaTarget.FirstResponse);
        first.DueAt.Should().Be(Monday0900.AddHours(4), "4 business hours from Monday 09:00 is 13:00");
        first.WarningAt.Should().Be(Monday0900.AddHours(3.2), "the warning is at 80 %");
        sla.Targets.Single(t => t.Target == Core.Sla.SlaTarget.Resolution).DueAt
            .Should().Be(Monday0900.AddDays(2).AddHours(9), "27 business hours of 9 a day end Wednesday 18:00");
        sla.NextWakeUpAt.Should().Be(first.WarningAt);
        sla.Escalation.Level.Should().Be(0);
    }

    [Fact]
    public async Task Breach_job_fires_in_real_hangfire_and_escalates_to_level_2()
    {
        await using var server = SlaTestKit.FastJobsServer();
        await server.InitializeAsync();
        var agent = await server.StaffAsync(Demo.Agent1);
        var supervisor = await server.StaffAsync(Demo.Supervisor);
        var ticket = await agent.NewTicketAsync(assigneeId: agent.Id);
        var number = ticket.Ticket.Number;
        await agent.ScheduledAsync(number);
        var timer = await server.TimerAsync(number);

        server.Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromSeconds(1));
        server.RunNow(timer.JobId!);

        var sla = await supervisor.EscalatedToAsync(number, 2);
        sla.Escalation.IsEscalated.Should().BeTrue();
        sla.Escalation.Reasons.Should().Contain("sla_breach:first_response");
        sla.Targets.Single(t => t.Target == Core.Sla.SlaTarget.FirstResponse).State.Should().Be(Core.Sla.SlaState.Breached);
        var detail = await agent.GetTicketAsync(number);
        var escalated = detail.Timeline.Should().ContainSingle(m => m.EventCode == "escalated").Subject;
        (escalated.EventFrom, escalated.EventTo).Should().Be(("0", "2"));
        // The next timer waits for the resolution warning, with the new version.
        var next = await server.TimerAsync(number);
        next.SlaVersion.Should().BeGreaterThan(timer.SlaVersion);
        next.ScheduledVersion.Should().Be(next.SlaVersion);
        next.JobId.Should().NotBe(timer.JobId);
    }

    [Fact]
    public async Task A_timer_that_runs_early_is_held_until_its_wake_up_on_the_app_clock_without_rescheduling()
    {
        await using var server = SlaTestKit.FastJobsServer();
        await server.InitializeAsync();
        var agent = await server.StaffAsync(Demo.Agent1);
        var supervisor = await server.StaffAsync(Demo.Supervisor);
        var number = (await agent.NewTicketAsync(assigneeId: agent.Id)).Ticket.Number;
        await agent.ScheduledAsync(number);
        server.Clock.Advance(TimeSpan.FromHours(3.2) + TimeSpan.FromMinutes(1)); // past the warning: level 1
        var warned = await server.TimerAsync(number);
        server.RunNow(warned.JobId!);
        await supervisor.EscalatedToAsync(number, 1);
        var timer = await Eventually.ReturnsAsync(() => server.TimerAsync(number), t => t.SlaVersion > warned.SlaVersion && t.ScheduledVersion == t.SlaVersion,
            "the breach timer scheduled");
        timer.WakeUpAt.Should().Be(Monday0900.AddHours(4));

        // Hangfire hands the timer over 10 s early (as its whole-second schedule and polling do).
        server.Clock.SetUtcNow(new DateTimeOffset(timer.WakeUpAt!.Value, TimeSpan.Zero) - TimeSpan.FromSeconds(10));
        server.RunNow(timer.JobId!);
        var due = server.Services.GetRequiredService<SlaDueTimers>();
        await Eventually.ReturnsAsync(() => Task.FromResult(due.Holds(timer.TicketId, timer.SlaVersion)), held => held, "the timer held in process");
        // Nothing rescheduled, nothing escalated: the ticket waits for its deadline.
        (await server.TimerAsync(number)).Should().Be(timer);
        (await supervisor.SlaAsync(number)).Escalation.Level.Should().Be(1);

        // At the deadline itself nothing is late yet (a reply exactly then meets it); a moment after, it is.
        server.Clock.Advance(TimeSpan.FromSeconds(10));
        due.Holds(timer.TicketId, timer.SlaVersion).Should().BeTrue();
        server.Clock.Advance(TimeSpan.FromMilliseconds(500));
        var breached = await supervisor.EscalatedToAsync(number, 2);
        breached.Escalation.Reasons.Should().Contain("sla_breach:first_response");
        // The escalation is committed (and visible) a moment before the loop lets go of the timer.
        await Eventually.ReturnsAsync(() => Task.FromResult(due.Holds(timer.TicketId, timer.SlaVersion)), held => !held, "the timer released after it acted");
    }
}
