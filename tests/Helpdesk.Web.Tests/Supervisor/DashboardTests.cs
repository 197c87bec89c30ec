using System.Net;
using Helpdesk.Core.Chat;
using Helpdesk.Core.Surveys;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Sla;
using Helpdesk.Web.Supervisor;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tests.Sla;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Supervisor;

/// <summary>
/// The live dashboard over the real app: a fresh server per test, because the figures are of the
/// whole installation (queues, presence, today's tickets).
/// </summary>
public sealed class DashboardTests : IAsyncLifetime
{
    private readonly HelpdeskServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();
    public Task DisposeAsync() => _server.DisposeAsync();

    private static string NewId() => Guid.NewGuid().ToString("N");

    private T Db<T>(Func<HelpdeskDbContext, T> read)
    {
        using var scope = _server.Services.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>());
    }

    private int TeamId(string key) => Db(db => db.Teams.Single(t => t.Key == key).Id);

    private static TeamFigures Team(DashboardSnapshot s, string key) => s.Teams.Single(t => t.Key == key);

    private async Task<DashboardSnapshot> DashboardAsync(StaffClient client)
    {
        var response = await client.Http.GetAsync("/api/supervisor/dashboard");
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadAsync<DashboardSnapshot>();
    }

    /// <summary>Moves the app's clock without firing every timer on the way (as the survey timing tests do).</summary>
    private void Jump(TimeSpan by) => _server.Clock.AdjustTime(_server.Clock.GetUtcNow() + by);

    /// <summary>
    /// After a jump of hours the demo tickets' deadlines have passed: the SLA worker may still be storing
    /// them and the reconciler has yet to act on the missed wake-ups. Both are done here, so the figures
    /// the test reads next do not change under it.
    /// </summary>
    private async Task SettleSlaAsync()
    {
        var worker = _server.Services.GetRequiredService<SlaWorker>();
        await Eventually.ReturnsAsync(() => Task.FromResult(worker.Pending), p => p == 0, "the SLA worker to be idle");
        await using (var scope = _server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SlaReconciler>().RunAsync(CancellationToken.None);
        await Eventually.ReturnsAsync(() => Task.FromResult(worker.Pending), p => p == 0, "the SLA worker to be idle after reconciling");
        _server.Services.GetRequiredService<DashboardState>().MarkDirty();
    }

    [Fact]
    public async Task Supervisor_hub_pushes_a_new_snapshot_when_a_customer_starts_a_chat_and_when_an_agent_takes_it()
    {
        var supervisor = await _server.StaffAsync(Demo.Supervisor);
        await using var dashboard = await SupervisorConnection.ConnectAsync(_server, supervisor);
        var first = await dashboard.NextAsync(_ => true, "the snapshot a new connection gets");
        var waitingBefore = Team(first, "pre-sales").WaitingChats;
        var agent1Id = Db(db => db.Users.Single(u => u.Email == Demo.Agent1).Id);

        await using var customer = await ChatConnection.VisitorAsync(_server);
        var started = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat),
            new StartChatRequest("你好，请问KJ500有现货吗", NewId(), "王芳", "wang@example.cn"));

        var waiting = await dashboard.NextAsync(s => Team(s, "pre-sales").WaitingChats == waitingBefore + 1, "one more waiting chat");
        waiting.Sequence.Should().BeGreaterThan(first.Sequence);
        Team(waiting, "pre-sales").OldestWaitingSince.Should().NotBeNull();
        waiting.Day.ByChannel[TicketChannel.Chat].Should().Be(first.Day.ByChannel[TicketChannel.Chat] + 1, "the chat is one of today's tickets");

        // The agent comes online (presence is not a ticket event) and takes the chat.
        var agentHttp = await _server.SignedInAsync(Demo.Agent1);
        await using var agent = await ChatConnection.StaffAsync(_server, agentHttp);
        await agent.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
        await dashboard.NextAsync(s => s.Agents.Single(a => a.AgentId == agent1Id).Presence == PresenceStatus.Online, "agent 1 online");
        await agent.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), o => o.TicketNumber == started.TicketNumber);
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), started.TicketNumber);

        var taken = await dashboard.NextAsync(s => Team(s, "pre-sales").WaitingChats == waitingBefore
                                                   && s.Agents.Single(a => a.AgentId == agent1Id).CurrentChats == 1, "the chat taken by agent 1");
        var figures = taken.Agents.Single(a => a.AgentId == agent1Id);
        figures.Capacity.Should().Be(AgentRouting.DefaultCapacity);
        figures.TeamIds.Should().Contain(TeamId("pre-sales"));
        Team(taken, "pre-sales").OpenByStatus[TicketStatus.Assigned].Should().Be(Team(first, "pre-sales").OpenByStatus[TicketStatus.Assigned] + 1);
    }

    [Fact]
    public async Task One_computation_serves_every_connected_supervisor()
    {
        var supervisor = await _server.StaffAsync(Demo.Supervisor);
        var admin = await _server.StaffAsync(Demo.Admin);
        var state = _server.Services.GetRequiredService<DashboardState>();
        await using var a = await SupervisorConnection.ConnectAsync(_server, supervisor);
        await using var b = await SupervisorConnection.ConnectAsync(_server, admin);
        await using var c = await SupervisorConnection.ConnectAsync(_server, await _server.SignedInAsync(Demo.Supervisor));
        foreach (var connection in new[] { a, b, c })
            await connection.NextAsync(_ => true, "the first snapshot");
        var computedBefore = state.Computations;

        var ticket = await supervisor.NewTicketAsync(subject: "Shipping question " + NewId(), teamId: TeamId("after-sales"));

        var seen = new List<DashboardSnapshot>();
        foreach (var connection in new[] { a, b, c })
            seen.Add(await connection.NextAsync(s => s.Sequence > computedBefore, "the new ticket"));
        seen.Select(s => s.Sequence).Distinct().Should().ContainSingle("the three supervisors got the one computation pushed to all");
        state.Computations.Should().Be(seen[0].Sequence, "nothing was computed per connection");
        Team(seen[0], "after-sales").OpenByStatus[TicketStatus.New].Should().BeGreaterThan(0);
        ticket.Ticket.Status.Should().Be(TicketStatus.New);
    }

    [Fact]
    public async Task Agents_get_403_from_the_dashboard_api_and_the_hub()
    {
        var agent = await _server.StaffAsync(Demo.Agent1);
        var problem = await (await agent.Http.GetAsync("/api/supervisor/dashboard")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        problem.GetProperty("status").GetInt32().Should().Be(403);

        await using var hub = SupervisorConnection.Build(_server, agent, skipNegotiation: false);
        var connect = () => hub.StartAsync();
        (await connect.Should().ThrowAsync<HttpRequestException>()).Which.StatusCode.Should().Be(HttpStatusCode.Forbidden);

        using var anonymous = _server.CreateClient();
        (await anonymous.Http.GetAsync("/api/supervisor/dashboard")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Todays_figures_are_exact_on_a_known_set_of_tickets()
    {
        // Tomorrow (Shanghai) 09:00: the demo tickets are all of earlier days, so "today" is only ours.
        Jump(TimeSpan.FromDays(1));
        var supervisor = await _server.StaffAsync(Demo.Supervisor);
        var agent = await _server.StaffAsync(Demo.Agent1);
        var pre = TeamId("pre-sales");
        var before = await DashboardAsync(supervisor);
        before.Today.Should().Be(new DateOnly(2026, 11, 24));
        before.Day.Created.Should().Be(0);

        async Task<long> Make(string channel, string type, int? replyAfterSeconds, bool resolve)
        {
            var t = await supervisor.CreateTicketAsync(new { subject = $"Delivery question {NewId()[..6]}", type, channel, priority = "Normal", description = "When does it ship?", teamId = pre });
            var number = t.Ticket.Number;
            if (replyAfterSeconds is { } s)
            {
                Jump(TimeSpan.FromSeconds(s));
                await agent.PostMessageAsync(number, "replies", "It ships today.");
            }
            if (resolve)
                await agent.SetStatusAsync(number, TicketStatus.Resolved);
            return number;
        }

        var t1 = await Make("Phone", "Inquiry", 60, resolve: true);
        await Make("Phone", "Inquiry", 120, resolve: false);
        await Make("Phone", "Inquiry", 300, resolve: true);
        await Make("WebForm", "Suggestion", 30, resolve: false);
        await Make("Phone", "Complaint", null, resolve: false);
        await Make("Api", "Inquiry", null, resolve: false);

        // Four answered surveys today: 5, 5, 4 and 2 stars → 75 % satisfied, under the 95 % target.
        var now = _server.Clock.GetUtcNow().UtcDateTime;
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
            var ticketId = db.Tickets.Single(t => t.Number == t1).Id;
            foreach (var score in new[] { 5, 5, 4, 2 })
                db.Surveys.Add(new Survey { TicketId = ticketId, TicketNumber = t1, Channel = TicketChannel.Phone, Nonce = NewId(), IssuedAt = now.AddDays(-2), AnsweredAt = now, Score = score, Solved = score > 2 });
            await db.SaveChangesAsync();
        }
        Jump(TimeSpan.FromMinutes(1)); // the survey rows are no ticket event: the snapshot ages out instead

        var after = await DashboardAsync(supervisor);
        var day = after.Day;
        day.Created.Should().Be(6);
        day.ByChannel.Should().Contain(TicketChannel.Phone, 4).And.Contain(TicketChannel.WebForm, 1).And.Contain(TicketChannel.Api, 1).And.Contain(TicketChannel.Chat, 0);
        day.ByType.Should().Contain(TicketType.Inquiry, 4).And.Contain(TicketType.Suggestion, 1).And.Contain(TicketType.Complaint, 1);
        day.Complaints.Should().Be(1);
        day.Resolved.Should().Be(2);
        day.ResolutionRate.Should().Be(0.3333);
        var phone = day.FirstResponse.Single(r => r.Channel == TicketChannel.Phone).FirstResponse;
        phone.Count.Should().Be(3);
        phone.P50Seconds.Should().Be(120);
        phone.P90Seconds.Should().Be(300);
        phone.AverageSeconds.Should().Be(160);
        day.FirstResponse.Single(r => r.Channel == TicketChannel.WebForm).FirstResponse.P90Seconds.Should().Be(30);
        day.FirstResponse.Should().NotContain(r => r.Channel == TicketChannel.Api, "nobody answered it");
        day.Csat.Answered.Should().Be(4);
        day.Csat.Csat.Should().Be(0.75);
        day.Csat.MeetsTarget.Should().BeFalse();
        day.CsatTarget.Should().Be(0.95);

        var agentFigures = after.Agents.Single(a => a.AgentId == agent.Id);
        agentFigures.HandledToday.Should().Be(2);
        agentFigures.AverageFirstResponseSeconds.Should().Be(127.5);

        var (b, a) = (Team(before, "pre-sales"), Team(after, "pre-sales"));
        a.OpenByStatus[TicketStatus.New].Should().Be(b.OpenByStatus[TicketStatus.New] + 2);
        a.OpenByStatus[TicketStatus.Assigned].Should().Be(b.OpenByStatus[TicketStatus.Assigned] + 2);
    }

    [Fact]
    public async Task An_urgent_ticket_is_at_risk_15_minutes_before_its_deadline_and_breached_after_it()
    {
        // Tuesday 09:00 in Shanghai: the demo tickets' own first-response deadlines lie in the past by then,
        // so only the new ticket moves between the counters.
        Jump(TimeSpan.FromDays(1));
        await SettleSlaAsync();
        var supervisor = await _server.StaffAsync(Demo.Supervisor);
        var before = Team(await DashboardAsync(supervisor), "after-sales");
        // Urgent: first response within 30 business minutes.
        var created = await supervisor.CreateTicketAsync(new { subject = "Device offline " + NewId()[..6], type = "Inquiry", channel = "Api", priority = "Urgent", description = "All units lost Wi-Fi.", teamId = TeamId("after-sales") });
        // The SLA worker stores the deadlines in the background: the dashboard counts them once stored.
        await supervisor.ScheduledAsync(created.Ticket.Number);
        var fresh = Team(await DashboardAsync(supervisor), "after-sales");
        fresh.SlaBreached.Should().Be(before.SlaBreached);

        Jump(TimeSpan.FromMinutes(16));
        var atRisk = Team(await DashboardAsync(supervisor), "after-sales");
        atRisk.SlaAtRisk.Should().Be(fresh.SlaAtRisk + 1);
        atRisk.SlaBreached.Should().Be(before.SlaBreached);

        Jump(TimeSpan.FromMinutes(15));
        var breached = Team(await DashboardAsync(supervisor), "after-sales");
        breached.SlaBreached.Should().Be(before.SlaBreached + 1);
        breached.SlaAtRisk.Should().Be(fresh.SlaAtRisk);
    }
}
