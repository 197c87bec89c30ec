using Helpdesk.Core.Sla;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Sla;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Sla;

/// <summary>
/// Issue 7 point 4 over the real app: what triage decides reaches the SLA feature. An immediate-mode
/// complaint runs on the stricter policy, a threat enters the escalation ladder at once.
/// </summary>
public sealed class TriageToSlaTests : IAsyncLifetime
{
    private readonly HelpdeskServer _server = SlaTestKit.FastJobsServer();

    public Task InitializeAsync() => _server.InitializeAsync();
    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_money_complaint_triaged_for_immediate_handling_runs_on_a_policy_stricter_than_the_complaint_one()
    {
        var agent = await _server.StaffAsync(Demo.Agent1);
        var created = await agent.NewTicketAsync(subject: "退款问题", type: "Inquiry", customerId: 1,
            description: "退款申请提交两周了还没到账，你们到底什么时候处理？太过分了！");
        created.Ticket.Type.Should().Be(TicketType.Complaint, "triage made it a complaint");

        var sla = await Eventually.ReturnsAsync(() => agent.SlaAsync(created.Ticket.Number), s => s.PolicyKey != "default",
            "the SLA policy to follow triage");
        sla.PolicyKey.Should().BeOneOf("immediate-complaint", "urgent");
        var firstResponse = sla.Targets.Single(t => t.Target == SlaTarget.FirstResponse);
        firstResponse.GoalSeconds.Should().Be(30 * 60, "an immediate complaint is answered within 30 business minutes, not the complaint policy's hour");
    }

    [Fact]
    public async Task A_threat_to_go_to_the_regulator_escalates_the_ticket_to_level_2_at_once_and_only_once()
    {
        var agent = await _server.StaffAsync(Demo.Agent1);
        var created = await agent.NewTicketAsync(subject: "快递丢了", type: "Inquiry", customerId: 1,
            description: "快递三周没到，再不处理我就打12315。");
        var number = created.Ticket.Number;

        var escalated = await agent.EscalatedToAsync(number, 2);
        escalated.Escalation.Reasons.Should().Contain("triage_threat");
        var entry = (await agent.GetTicketAsync(number)).Timeline.Single(m => m.EventCode == "escalated");
        entry.EventReason.Should().Be("triage_threat");
        entry.Body.Should().Contain("flag.threat", "the timeline says which rule saw the threat");

        await agent.PostMessageAsync(number, "customer-messages", "我已经打了12315，还要找媒体曝光。");
        await Eventually.ReturnsAsync(() => Task.FromResult(_server.Services.GetRequiredService<SlaWorker>().Pending), p => p == 0, "the SLA worker to be idle");
        (await agent.GetTicketAsync(number)).Timeline.Count(m => m.EventCode is "escalated" or "escalation_noted")
            .Should().Be(1, "triage raises a flag once per ticket, and the ladder acts on a reason once");
    }

    [Fact]
    public async Task An_inquiry_keeps_the_standard_policy_and_is_not_escalated()
    {
        var agent = await _server.StaffAsync(Demo.Agent1);
        var created = await agent.NewTicketAsync(subject: "营业时间", description: "请问你们周末几点开门？");
        var sla = await agent.ScheduledAsync(created.Ticket.Number);
        sla.PolicyKey.Should().Be("default");
        sla.Escalation.Level.Should().Be(0);
    }
}
