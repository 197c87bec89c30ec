using Helpdesk.Core.Chat;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Tests.Supervision;

public sealed class InterventionRulesTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void An_agents_own_capacity_overrides_the_installations_in_routing_and_free_slots()
    {
        var full = new AgentAvailability(Guid.NewGuid(), PresenceStatus.Online, 1, null, Capacity: 1);
        var roomy = new AgentAvailability(Guid.NewGuid(), PresenceStatus.Online, 3, null, Capacity: 8);
        AgentRouting.PickAgent([full], capacity: 5).Should().BeNull("one chat fills a capacity of one");
        AgentRouting.PickAgent([full, roomy], capacity: 2).Should().Be(roomy.AgentId, "eight beats the installation's two");
        AgentRouting.FreeSlots([full, roomy], capacity: 5).Should().Be(5);
        AgentRouting.FreeSlots([full with { Capacity = null }], capacity: 5).Should().Be(4);
    }

    [Fact]
    public void Acknowledging_an_escalation_adds_a_staff_entry_and_history_without_changing_status_or_assignee()
    {
        var supervisor = Actor.Staff(Guid.NewGuid(), "王主管");
        var ticket = Ticket.Open(100001, new NewTicket("Manager please", TicketType.Complaint, TicketChannel.Phone, TicketPriority.High,
            AfterSalesCategory.None, "找你们经理", null, 1, null), Actor.System, Now);
        ticket.ClearPendingEvents();
        var version = ticket.Version;

        var entry = ticket.AcknowledgeEscalation(2, supervisor, Now.AddMinutes(5));

        entry.Kind.Should().Be(MessageKind.System);
        entry.EventCode.Should().Be("escalation_acknowledged");
        entry.EventTo.Should().Be("2");
        entry.AuthorName.Should().Be("王主管");
        entry.CreatedAt.Should().Be(Now.AddMinutes(5));
        ticket.History.Should().ContainSingle(h => h.Field == "escalation_acknowledged" && h.ActorName == "王主管");
        ticket.Status.Should().Be(TicketStatus.New);
        ticket.AssigneeId.Should().BeNull();
        ticket.Version.Should().Be(version + 1);
        ticket.PendingEvents.Should().ContainSingle(e => e is MessageAdded);
    }

    [Fact]
    public void Only_staff_acknowledge_an_escalation()
    {
        var ticket = Ticket.Open(100002, new NewTicket("x", TicketType.Inquiry, TicketChannel.Phone, TicketPriority.Normal,
            AfterSalesCategory.None, "y", null, 1, null), Actor.System, Now);
        var act = () => ticket.AcknowledgeEscalation(2, Actor.System, Now);
        act.Should().Throw<TicketRuleException>().Which.Code.Should().Be("staff_only");
    }
}
