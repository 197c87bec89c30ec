using System.Net;
using Hangfire;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Escalation;
using Helpdesk.Web.Sla;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Sla;

/// <summary>The ladder's other triggers, its actions, clearing and resolution, and the versioned timer.</summary>
public sealed class EscalationTests
{
    private static string NewId() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_stale_timer_does_nothing_when_it_runs()
    {
        await using var server = SlaTestKit.FastJobsServer();
        await server.InitializeAsync();
        var agent = await server.StaffAsync(Demo.Agent1);
        var number = (await agent.NewTicketAsync(assigneeId: agent.Id)).Ticket.Number;
        await agent.ScheduledAsync(number);
        var stale = await server.TimerAsync(number);

        await agent.PostMessageAsync(number, "replies", "我们已经收到您的问题，正在处理。");
        var fresh = await Eventually.ReturnsAsync(() => server.TimerAsync(number), t => t.SlaVersion > stale.SlaVersion && t.ScheduledVersion == t.SlaVersion,
            "a new SLA version after the reply");
        server.Clock.Advance(TimeSpan.FromHours(5));
        server.RunNow(stale.JobId!);

        var storage = server.Services.GetRequiredService<JobStorage>();
        await Eventually.ReturnsAsync(() => Task.FromResult(storage.GetConnection().GetStateData(stale.JobId!)?.Name), s => s == "Succeeded", "the stale timer to run");
        var sla = await agent.SlaAsync(number);
        sla.Escalation.Level.Should().Be(0, "the old timer saw a newer SLA version and did nothing, though its deadline has passed");
        (await agent.GetTicketAsync(number)).Timeline.Should().NotContain(m => m.EventCode == "escalated");
        (await server.TimerAsync(number)).SlaVersion.Should().Be(fresh.SlaVersion);
        sla.Outcomes.Should().ContainSingle(o => o.Target == Core.Sla.SlaTarget.FirstResponse && o.Met && o.TakenSeconds == 0);
    }

    [Fact]
    public async Task Customer_asking_for_a_manager_escalates_with_the_phrase_and_tells_supervisors_live_and_by_mail()
    {
        await using var smtp = await StandaloneSmtpSink.StartAsync();
        await using var server = SlaTestKit.FastJobsServer("Email:Smtp:Host=127.0.0.1", $"Email:Smtp:Port={smtp.Port}", "Email:Smtp:Security=None",
            "Email:FromAddress=support@helpdesk.test");
        await server.InitializeAsync();
        var agent = await server.StaffAsync(Demo.Agent1);
        var supervisor = await server.StaffAsync(Demo.Supervisor);
        await using var supervisorHub = await ChatConnection.StaffAsync(server, supervisor);
        var number = (await agent.NewTicketAsync(assigneeId: agent.Id)).Ticket.Number;

        await agent.PostMessageAsync(number, "customer-messages", "你们这服务太差了，找你们领导来！");

        var sla = await supervisor.EscalatedToAsync(number, 2);
        sla.Escalation.Reasons.Should().Contain("customer_asked_for_supervisor");
        var entry = (await agent.GetTicketAsync(number)).Timeline.Single(m => m.EventCode == "escalated");
        entry.EventReason.Should().Be("customer_asked_for_supervisor");
        entry.Body.Should().Contain("找你们领导");
        var notice = await supervisorHub.NextAsync<EscalationNotice>(nameof(IChatClient.Escalation), n => n.TicketNumber == number && n.Audience == "supervisors");
        notice.ToLevel.Should().Be(2);
        var mail = await Eventually.ReturnsAsync(() => Task.FromResult(smtp.Messages()), m => m.Any(x => x.Subject?.Contains($"#{number}") == true), "the supervisor's mail");
        mail.Single(x => x.Subject?.Contains($"#{number}") == true).To.Mailboxes.Select(m => m.Address).Should().Contain(Demo.Supervisor);

        // Saying it again changes nothing: the reason is already acted on.
        await agent.PostMessageAsync(number, "customer-messages", "我要找你们领导");
        await Eventually.ReturnsAsync(() => Task.FromResult(server.Services.GetRequiredService<SlaWorker>().Pending), p => p == 0, "the SLA worker to be idle");
        (await agent.GetTicketAsync(number)).Timeline.Count(m => m.EventCode is "escalated" or "escalation_noted").Should().Be(1);
    }

    [Fact]
    public async Task Widget_button_asks_for_a_supervisor_once_and_staff_cannot_press_it()
    {
        await using var server = SlaTestKit.FastJobsServer();
        await server.InitializeAsync();
        var supervisor = await server.StaffAsync(Demo.Supervisor);
        await using var customer = await ChatConnection.VisitorAsync(server);
        var started = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("我的快递一直没到", NewId(), "王芳", null));

        var first = await customer.Hub.InvokeAsync<SupervisorRequested>(nameof(ChatHub.AskForSupervisor), started.TicketNumber);
        var again = await customer.Hub.InvokeAsync<SupervisorRequested>(nameof(ChatHub.AskForSupervisor), started.TicketNumber);

        first.AlreadyAsked.Should().BeFalse();
        again.AlreadyAsked.Should().BeTrue();
        var sla = await supervisor.SlaAsync(started.TicketNumber);
        sla.PolicyKey.Should().Be("chat");
        sla.Escalation.Level.Should().Be(2);
        sla.Escalation.Reasons.Should().Equal("customer_asked_for_supervisor");

        await using var staff = await ChatConnection.StaffAsync(server, supervisor);
        var refused = async () => await staff.Hub.InvokeAsync<SupervisorRequested>(nameof(ChatHub.AskForSupervisor), started.TicketNumber);
        (await refused.Should().ThrowAsync<HubException>()).Which.Message.Should().Contain("[customers_only]");
        var forged = async () => await customer.Hub.InvokeAsync<SupervisorRequested>(nameof(ChatHub.AskForSupervisor), 999_999L);
        (await forged.Should().ThrowAsync<HubException>()).Which.Message.Should().Contain("[not_found]");
    }

    [Fact]
    public async Task Supervisor_clears_an_escalation_with_a_reason_agents_cannot_and_it_stays_cleared()
    {
        await using var server = SlaTestKit.FastJobsServer();
        await server.InitializeAsync();
        var agent = await server.StaffAsync(Demo.Agent1);
        var supervisor = await server.StaffAsync(Demo.Supervisor);
        var number = (await agent.NewTicketAsync(assigneeId: agent.Id)).Ticket.Number;
        await agent.ScheduledAsync(number);
        var timer = await server.TimerAsync(number);
        server.Clock.Advance(TimeSpan.FromHours(4.5));
        server.RunNow(timer.JobId!);
        await agent.EscalatedToAsync(number, 2);

        var denied = await agent.PostJsonAsync($"/api/tickets/{number}/escalation/clear", new { note = "我处理" });
        denied.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var tooLong = await supervisor.PostJsonAsync($"/api/tickets/{number}/escalation/clear", new { note = new string('x', 501) });
        await tooLong.ShouldBeInvalidAsync("note");

        var cleared = await supervisor.PostJsonAsync($"/api/tickets/{number}/escalation/clear", new { note = "已电话联系客户" });
        await cleared.ShouldBeAsync(HttpStatusCode.OK);
        var view = await cleared.ReadAsync<SlaView>();
        view.Escalation.Level.Should().Be(0);
        view.Escalation.IsEscalated.Should().BeFalse();
        var entry = (await agent.GetTicketAsync(number)).Timeline.Single(m => m.EventCode == "deescalated");
        entry.EventReason.Should().Be("supervisor_cleared");
        entry.Body.Should().Contain("已电话联系客户");

        // The breach it already had does not escalate it again on the next look.
        await agent.PostMessageAsync(number, "notes", "internal");
        await agent.PostMessageAsync(number, "customer-messages", "还没好吗");
        await Eventually.ReturnsAsync(() => Task.FromResult(server.Services.GetRequiredService<SlaWorker>().Pending), p => p == 0, "the SLA worker to be idle");
        (await agent.SlaAsync(number)).Escalation.Level.Should().Be(0);

        var again = await supervisor.PostJsonAsync($"/api/tickets/{number}/escalation/clear", new { });
        (await again.ShouldBeRefusedAsync("not_escalated")).Code().Should().Be("not_escalated");
        var missing = await supervisor.PostJsonAsync("/api/tickets/999999/escalation/clear", new { });
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Resolving_de_escalates_and_level_3_raises_the_priority_when_the_reconciler_runs()
    {
        await using var server = SlaTestKit.FastJobsServer();
        await server.InitializeAsync();
        var agent = await server.StaffAsync(Demo.Agent1);
        var first = (await agent.NewTicketAsync(assigneeId: agent.Id)).Ticket.Number;
        var second = (await agent.NewTicketAsync(assigneeId: agent.Id)).Ticket.Number;
        await agent.ScheduledAsync(first);
        await agent.ScheduledAsync(second);
        var timers = new[] { await server.TimerAsync(first), await server.TimerAsync(second) };
        server.Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));
        foreach (var t in timers) server.RunNow(t.JobId!);
        await agent.EscalatedToAsync(first, 2);
        await agent.EscalatedToAsync(second, 2);

        await agent.PostMessageAsync(first, "replies", "已为您处理完毕。");
        await agent.SetStatusAsync(first, TicketStatus.Resolved);
        var resolved = await agent.EscalatedToAsync(first, 0);
        resolved.Escalation.IsEscalated.Should().BeFalse();
        (await agent.GetTicketAsync(first)).Timeline.Single(m => m.EventCode == "deescalated").EventReason.Should().Be("resolved");

        // An hour at level 2 (the default ladder): the reconciler, run by Hangfire, climbs to level 3.
        server.Clock.Advance(TimeSpan.FromHours(1));
        server.Services.GetRequiredService<IRecurringJobManager>().Trigger(SlaFeature.ReconcilerJobId);
        var level3 = await agent.EscalatedToAsync(second, 3);
        level3.Escalation.Reasons.Should().Contain("still_escalated");
        var detail = await agent.GetTicketAsync(second);
        detail.Ticket.Priority.Should().Be(TicketPriority.High, "level 3 raises the priority one step");
        detail.History.Should().Contain(h => h.Field == "priority" && h.From == "Normal" && h.To == "High");
        (await agent.SlaAsync(first)).Escalation.Level.Should().Be(0, "a resolved ticket does not climb");
    }
}
