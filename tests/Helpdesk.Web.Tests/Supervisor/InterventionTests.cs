using System.Net;
using System.Net.Http.Json;
using Helpdesk.Core.Chat;
using Helpdesk.Core.Escalation;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Data.Sla;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Escalation;
using Helpdesk.Web.Supervisor;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Supervisor;

/// <summary>
/// The supervisor's interventions over the real app: each lands on the ticket (timeline and
/// history, the supervisor as the actor) and reaches the agent and the customer as the chat would.
/// </summary>
public sealed class InterventionTests : IAsyncLifetime
{
    private const string SupervisorName = "王主管 Wang (Supervisor)";
    private readonly HelpdeskServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();
    public Task DisposeAsync() => _server.DisposeAsync();

    private static string NewId() => Guid.NewGuid().ToString("N");

    private T Db<T>(Func<HelpdeskDbContext, T> read)
    {
        using var scope = _server.Services.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>());
    }

    private Guid StaffId(string email) => Db(db => db.Users.Single(u => u.Email == email).Id);

    /// <summary>A customer chatting with agent 1, who took the chat.</summary>
    private async Task<(ChatConnection Customer, ChatConnection Agent, long Number)> LiveChatAsync(string text = "你好，我想改一下收货地址")
    {
        var agentHttp = await _server.SignedInAsync(Demo.Agent1);
        var agent = await ChatConnection.StaffAsync(_server, agentHttp);
        await agent.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
        var customer = await ChatConnection.VisitorAsync(_server);
        var started = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(text, NewId(), "周杰", "zhou@example.cn"));
        await agent.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), o => o.TicketNumber == started.TicketNumber);
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), started.TicketNumber);
        await customer.NextAsync<AgentJoinedNotice>(nameof(IChatClient.AgentJoined));
        return (customer, agent, started.TicketNumber);
    }

    private static async Task<InterventionResult> OkAsync(HttpResponseMessage response)
    {
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadAsync<InterventionResult>();
    }

    [Fact]
    public async Task Reassigning_a_chat_moves_it_to_the_other_agent_tells_the_customer_and_records_the_supervisor()
    {
        var (customer, agent, number) = await LiveChatAsync();
        await using var _ = customer;
        await using var __ = agent;
        var supervisor = await _server.StaffAsync(Demo.Supervisor);
        var agent2 = StaffId(Demo.Agent2);
        var afterSales = Db(db => db.Teams.Single(t => t.Key == "after-sales").Id);

        var result = await OkAsync(await supervisor.Http.PostAsJsonAsync($"/api/supervisor/tickets/{number}/reassign", new { assigneeId = agent2, teamId = afterSales }));

        result.AssigneeId.Should().Be(agent2);
        result.TeamId.Should().Be(afterSales);
        (await customer.NextAsync<AgentJoinedNotice>(nameof(IChatClient.AgentJoined))).AgentName.Should().Be("张伟 Zhang Wei");
        (await agent.NextAsync<long>(nameof(IChatClient.ChatUnassigned))).Should().Be(number);
        var detail = await supervisor.GetTicketAsync(number);
        detail.History.Should().Contain(h => h.Field == "assignee" && h.To == agent2.ToString() && h.ActorName == SupervisorName);
        detail.Timeline.Should().Contain(m => m.EventCode == "assigned" && m.EventTo == agent2.ToString() && m.AuthorName == SupervisorName);
    }

    [Fact]
    public async Task Taking_over_a_chat_makes_the_supervisor_its_agent_and_the_customer_sees_the_new_name()
    {
        var (customer, agent, number) = await LiveChatAsync();
        await using var _ = customer;
        await using var __ = agent;
        var supervisor = await _server.StaffAsync(Demo.Supervisor);

        var result = await OkAsync(await supervisor.Http.PostAsync($"/api/supervisor/chats/{number}/takeover", null));

        result.AssigneeId.Should().Be(supervisor.Id);
        (await customer.NextAsync<AgentJoinedNotice>(nameof(IChatClient.AgentJoined))).AgentName.Should().Be(SupervisorName);
        (await agent.NextAsync<long>(nameof(IChatClient.ChatUnassigned))).Should().Be(number);
        var detail = await supervisor.GetTicketAsync(number);
        detail.Ticket.AssigneeId.Should().Be(supervisor.Id);
        detail.History.Should().Contain(h => h.Field == "assignee" && h.To == supervisor.Id.ToString() && h.ActorName == SupervisorName);

        await (await supervisor.Http.PostAsync($"/api/supervisor/chats/{number}/takeover", null)).ShouldBeRefusedAsync("no_change");
        var email = await supervisor.NewTicketAsync(subject: "Not a chat");
        await (await supervisor.Http.PostAsync($"/api/supervisor/chats/{email.Ticket.Number}/takeover", null)).ShouldBeRefusedAsync("not_a_live_chat");
        await supervisor.ShouldBeUnchangedAsync(email);
    }

    [Fact]
    public async Task A_whisper_reaches_the_agent_as_an_internal_note_and_never_the_customer()
    {
        var (customer, agent, number) = await LiveChatAsync();
        await using var _ = customer;
        await using var __ = agent;
        var supervisor = await _server.StaffAsync(Demo.Supervisor);
        const string whisper = "先核实订单再改地址，别答应包邮";

        var result = await OkAsync(await supervisor.Http.PostAsJsonAsync($"/api/supervisor/tickets/{number}/whisper", new { text = whisper }));
        result.Recorded.Should().Be("whisper");

        var atAgent = await agent.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Body == whisper);
        atAgent.Kind.Should().Be(MessageKind.InternalNote);
        atAgent.AuthorName.Should().Be(SupervisorName);

        // A reply after it: pushes arrive in order, so the whisper would have come first.
        var reply = NewId();
        await agent.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, reply, "好的，马上为您处理"));
        var next = await customer.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.ClientMessageId == reply || m.Body == whisper);
        next.ClientMessageId.Should().Be(reply, "the customer gets the reply and never the whisper before it");
        var history = await customer.Hub.InvokeAsync<List<ChatMessage>>(nameof(ChatHub.History), number, 0);
        history.Should().NotContain(m => m.Body == whisper, "the customer's history leaves internal notes out");
        (await supervisor.GetTicketAsync(number)).Timeline.Should().Contain(m => m.Body == whisper && m.Kind == MessageKind.InternalNote && m.AuthorName == SupervisorName);
    }

    [Fact]
    public async Task Acknowledging_an_escalation_records_who_and_when_and_leaves_it_escalated()
    {
        var supervisor = await _server.StaffAsync(Demo.Supervisor);
        var ticket = await supervisor.NewTicketAsync(subject: "Customer wants the manager");
        var number = ticket.Ticket.Number;
        var id = ticket.Ticket.Id;
        await (await supervisor.Http.PostAsync($"/api/supervisor/tickets/{number}/escalation/acknowledge", null)).ShouldBeRefusedAsync("not_escalated");

        await using (var scope = _server.Services.CreateAsyncScope())
            (await scope.ServiceProvider.GetRequiredService<EscalationService>().RaiseAsync(id, EscalationTrigger.CustomerAskedForSupervisor("找你们经理"))).Should().BeTrue();
        await using var dashboard = await SupervisorConnection.ConnectAsync(_server, supervisor);
        await dashboard.NextAsync(s => s.Escalations.Any(e => e.Number == number && e.AcknowledgedAt is null), "the escalated ticket, not acknowledged");

        var result = await OkAsync(await supervisor.Http.PostAsync($"/api/supervisor/tickets/{number}/escalation/acknowledge", null));
        result.Recorded.Should().Be("escalation_acknowledged");

        var acknowledged = await dashboard.NextAsync(s => s.Escalations.Any(e => e.Number == number && e.AcknowledgedAt is not null), "the acknowledgement");
        var row = acknowledged.Escalations.Single(e => e.Number == number);
        row.AcknowledgedBy.Should().Be(SupervisorName);
        row.AcknowledgedAt.Should().Be(_server.Clock.GetUtcNow().UtcDateTime);
        var detail = await supervisor.GetTicketAsync(number);
        var entry = detail.Timeline.Single(m => m.EventCode == "escalation_acknowledged");
        entry.AuthorName.Should().Be(SupervisorName);
        entry.EventTo.Should().Be(row.Level.ToString());
        detail.History.Should().Contain(h => h.Field == "escalation_acknowledged" && h.ActorName == SupervisorName);
        Db(db => db.Tickets.Where(t => t.Id == id).Select(t => EF.Property<bool>(t, SlaColumns.IsEscalated)).Single()).Should().BeTrue("acknowledging is not clearing");
    }

    [Fact]
    public async Task A_capacity_set_by_the_supervisor_holds_chats_back_from_the_agent_until_it_is_raised()
    {
        var supervisor = await _server.StaffAsync(Demo.Supervisor);
        var agent1 = StaffId(Demo.Agent1);
        var set = await supervisor.Http.PutAsJsonAsync($"/api/supervisor/agents/{agent1}/capacity", new { capacity = 1 });
        await set.ShouldBeAsync(HttpStatusCode.OK);
        (await set.ReadAsync<AgentSetting>()).Capacity.Should().Be(1);

        var agentHttp = await _server.SignedInAsync(Demo.Agent1);
        await using var agent = await ChatConnection.StaffAsync(_server, agentHttp);
        await agent.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
        await using var first = await ChatConnection.VisitorAsync(_server);
        var one = await first.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("第一个问题", NewId(), "甲", null));
        await agent.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), o => o.TicketNumber == one.TicketNumber);
        await using var second = await ChatConnection.VisitorAsync(_server);
        var two = await second.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("第二个问题", NewId(), "乙", null));
        // The queue notice comes at the end of the dispatch that left the chat waiting.
        (await second.NextAsync<QueueNotice>(nameof(IChatClient.Queue), q => q.TicketNumber == two.TicketNumber)).Position.Should().Be(2);
        Db(db => db.ChatOffers.Count(o => o.AgentId == agent1 && o.State == OfferState.Pending)).Should().Be(1, "one chat fills a capacity of one");
        (await (await supervisor.Http.GetAsync("/api/supervisor/dashboard")).ReadAsync<DashboardSnapshot>())
            .Agents.Single(a => a.AgentId == agent1).Capacity.Should().Be(1);

        await (await supervisor.Http.PutAsJsonAsync($"/api/supervisor/agents/{agent1}/capacity", new { capacity = (int?)null })).ShouldBeAsync(HttpStatusCode.OK);

        await agent.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), o => o.TicketNumber == two.TicketNumber);
        Db(db => db.AgentPresence.Single(p => p.AgentId == agent1).Capacity).Should().BeNull();
    }

    [Fact]
    public async Task A_supervisor_sets_a_connected_agent_away_but_cannot_put_an_absent_one_online()
    {
        var supervisor = await _server.StaffAsync(Demo.Supervisor);
        var agent1 = StaffId(Demo.Agent1);
        var agentHttp = await _server.SignedInAsync(Demo.Agent1);
        await using var agent = await ChatConnection.StaffAsync(_server, agentHttp);
        await agent.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
        await using var dashboard = await SupervisorConnection.ConnectAsync(_server, supervisor);

        var response = await supervisor.Http.PutAsJsonAsync($"/api/supervisor/agents/{agent1}/presence", new { status = "Away" });
        await response.ShouldBeAsync(HttpStatusCode.OK);
        (await response.ReadAsync<AgentSetting>()).Status.Should().Be(PresenceStatus.Away);
        await dashboard.NextAsync(s => s.Agents.Single(a => a.AgentId == agent1).Presence == PresenceStatus.Away, "agent 1 away");

        var agent2 = StaffId(Demo.Agent2);
        await (await supervisor.Http.PutAsJsonAsync($"/api/supervisor/agents/{agent2}/presence", new { status = "Online" })).ShouldBeRefusedAsync("agent_not_connected");
        Db(db => db.AgentPresence.Where(p => p.AgentId == agent2).Select(p => (PresenceStatus?)p.Status).SingleOrDefault() ?? PresenceStatus.Offline)
            .Should().Be(PresenceStatus.Offline);
    }

    [Fact]
    public async Task Bad_input_gets_a_problem_naming_the_field_and_changes_nothing()
    {
        var supervisor = await _server.StaffAsync(Demo.Supervisor);
        var ticket = await supervisor.NewTicketAsync(subject: "Bad input target");
        var number = ticket.Ticket.Number;
        var agent1 = StaffId(Demo.Agent1);

        await (await supervisor.Http.PostAsJsonAsync($"/api/supervisor/tickets/{number}/reassign", new { })).ShouldBeInvalidAsync("assigneeId");
        await (await supervisor.Http.PostAsJsonAsync("/api/supervisor/tickets/abc/reassign", new { assigneeId = agent1 })).ShouldBeInvalidAsync("number");
        await (await supervisor.Http.PostAsJsonAsync($"/api/supervisor/tickets/{number}/reassign", new { teamId = 999 })).ShouldBeRefusedAsync("unknown_team");
        await (await supervisor.Http.PostAsJsonAsync($"/api/supervisor/tickets/{number}/whisper", new { text = "  " })).ShouldBeInvalidAsync("text");
        await (await supervisor.Http.PostAsJsonAsync($"/api/supervisor/tickets/{number}/whisper", new { text = new string('x', SupervisorApi.WhisperMax + 1) })).ShouldBeInvalidAsync("text");
        await (await supervisor.Http.PostAsJsonAsync("/api/supervisor/tickets/99999999/whisper", new { text = "hello" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await supervisor.Http.PutAsJsonAsync($"/api/supervisor/agents/{agent1}/capacity", new { capacity = 0 })).ShouldBeInvalidAsync("capacity");
        await (await supervisor.Http.PutAsJsonAsync($"/api/supervisor/agents/{agent1}/capacity", new { capacity = 51 })).ShouldBeInvalidAsync("capacity");
        await (await supervisor.Http.PutAsJsonAsync("/api/supervisor/agents/not-a-guid/capacity", new { capacity = 3 })).ShouldBeInvalidAsync("agentId");
        await (await supervisor.Http.PutAsJsonAsync($"/api/supervisor/agents/{Guid.NewGuid()}/capacity", new { capacity = 3 })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await supervisor.Http.PutAsJsonAsync($"/api/supervisor/agents/{agent1}/presence", new { status = "Busy" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await supervisor.Http.PutAsJsonAsync($"/api/supervisor/agents/{agent1}/presence", new { })).ShouldBeInvalidAsync("status");

        await supervisor.ShouldBeUnchangedAsync(ticket);
        Db(db => db.AgentPresence.Where(p => p.AgentId == agent1).Select(p => p.Capacity).SingleOrDefault()).Should().BeNull();
    }

    [Fact]
    public async Task Agents_are_refused_every_intervention()
    {
        var supervisor = await _server.StaffAsync(Demo.Supervisor);
        var agent = await _server.StaffAsync(Demo.Agent1);
        var ticket = await supervisor.NewTicketAsync(subject: "Agent may not intervene");
        var number = ticket.Ticket.Number;

        await (await agent.Http.PostAsJsonAsync($"/api/supervisor/tickets/{number}/reassign", new { assigneeId = agent.Id })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await agent.Http.PostAsync($"/api/supervisor/chats/{number}/takeover", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await agent.Http.PostAsJsonAsync($"/api/supervisor/tickets/{number}/whisper", new { text = "hi" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await agent.Http.PostAsync($"/api/supervisor/tickets/{number}/escalation/acknowledge", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await agent.Http.PutAsJsonAsync($"/api/supervisor/agents/{agent.Id}/capacity", new { capacity = 50 })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await agent.Http.PutAsJsonAsync($"/api/supervisor/agents/{agent.Id}/presence", new { status = "Online" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await supervisor.ShouldBeUnchangedAsync(ticket);
    }
}
