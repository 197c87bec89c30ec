using System.Net;
using Helpdesk.Core.Handover;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Handover;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tests.Sla;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Handover;

/// <summary>
/// /api/handovers (交班日记) on the real app. Each test hands over as a new agent of the pre-sales
/// team (made through the admin API), so the demo agents' tickets do not blur "exactly their items";
/// agent1 is a teammate, agent2 (after-sales) is of another team.
/// </summary>
public sealed class HandoverApiTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    private static int _agents;

    private async Task<int> TeamAsync(string key) =>
        (await (await server.StaffAsync(Demo.Supervisor)).Http.GetFromJsonAsync<List<TeamInfo>>("/api/teams", TestJson.Options))!.Single(t => t.Key == key).Id;

    private async Task<StaffClient> NewAgentAsync(params int[] teams)
    {
        var admin = await server.StaffAsync(Demo.Admin);
        var email = $"handover{Interlocked.Increment(ref _agents)}-{Guid.NewGuid():N}"[..24] + "@demo.local";
        await (await admin.Http.PostAsJsonAsync("/api/admin/staff", new { email, displayName = "交班测试 " + _agents, password = "Handover123!", roles = new[] { "Agent" }, teamIds = teams }))
            .ShouldBeAsync(HttpStatusCode.Created);
        return await server.SignedInAsync(email, "Handover123!");
    }

    private async Task<T> DbAsync<T>(Func<HelpdeskDbContext, Task<T>> read)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>());
    }

    private async Task<string> SurveyTokenAsync(long number)
    {
        var survey = await Eventually.GetAsync(() => DbAsync(db => db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.TicketNumber == number)), $"the survey of ticket {number}");
        await using var scope = server.Services.CreateAsyncScope();
        return scope.ServiceProvider.GetRequiredService<Helpdesk.Web.Surveys.SurveyIssuer>().TokenFor(survey);
    }

    private static async Task<HandoverDraftView> DraftAsync(StaffClient client, string query = "")
    {
        var response = await client.Http.GetAsync("/api/handovers/draft" + query);
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadAsync<HandoverDraftView>();
    }

    private static async Task<HandoverView> SubmitAsync(StaffClient client, object body)
    {
        var response = await client.Http.PostAsJsonAsync("/api/handovers", body);
        await response.ShouldBeAsync(HttpStatusCode.Created);
        return await response.ReadAsync<HandoverView>();
    }

    private static async Task<List<HandoverView>> ListAsync(StaffClient client, string query = "")
    {
        var response = await client.Http.GetAsync("/api/handovers" + query);
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadAsync<List<HandoverView>>();
    }

    [Fact]
    public async Task Draft_holds_exactly_the_agents_open_items_grouped_with_their_sla_due_time_and_escalation()
    {
        var preSales = await TeamAsync("pre-sales");
        var agent = await NewAgentAsync(preSales);
        var supervisor = await server.StaffAsync(Demo.Supervisor);
        var agent1 = await server.StaffAsync(Demo.Agent1);

        var urgent = await supervisor.NewTicketAsync("交班 urgent refund", priority: "Urgent", teamId: preSales, assigneeId: agent.Id);
        var waiting = await supervisor.NewTicketAsync("交班 waiting", teamId: preSales, assigneeId: agent.Id);
        await agent.SetStatusAsync(waiting.Ticket.Number, TicketStatus.WaitingOnCustomer);
        var resolved = await agent.TicketInStatusAsync(TicketStatus.Resolved, "交班 resolved: not in the draft");
        // A customer unhappy with another resolved ticket: the survey's follow-up (回访) is the agent's to do.
        var unhappy = await agent.TicketInStatusAsync(TicketStatus.Resolved, "交班 unhappy customer");
        await (await server.CreateClient().Http.PostAsJsonAsync("/api/surveys/answer", new { token = await SurveyTokenAsync(unhappy.Ticket.Number), score = 1, solved = false }))
            .ShouldBeAsync(HttpStatusCode.OK);
        await Eventually.TrueAsync(() => DbAsync(db => db.FollowUpTasks.AnyAsync(f => f.TicketNumber == unhappy.Ticket.Number && f.AgentId == agent.Id)), "the follow-up task");
        var someoneElses = await supervisor.NewTicketAsync("交班 agent1's: not in the draft", teamId: preSales, assigneeId: agent1.Id);
        var unassigned = await supervisor.NewTicketAsync("交班 unassigned: not in the draft", teamId: preSales);
        // The customer of the urgent ticket asks for a manager: the escalation ladder raises it.
        await supervisor.PostMessageAsync(urgent.Ticket.Number, "customer-messages", "Let me speak to your manager, please.");
        var sla = await Eventually.ReturnsAsync(() => supervisor.SlaAsync(urgent.Ticket.Number), s => s.TimerScheduled && s.Escalation.IsEscalated,
            "the urgent ticket's SLA figures and escalation");

        var draft = await DraftAsync(agent, "?lang=en");

        draft.TeamId.Should().Be(preSales, "the agent's only team");
        draft.Teams.Select(t => t.Id).Should().Equal(preSales);
        draft.MaxLength.Should().Be(HandoverRules.TextMax);
        draft.ShiftEnd.Should().Be(server.Clock.GetUtcNow().UtcDateTime);
        draft.ShiftStart.Should().Be(draft.ShiftEnd.AddHours(-8), "no earlier handover: one shift back");
        draft.Items.Select(i => (i.Kind, i.TicketNumber, i.Status)).Should().Equal(
            (HandoverItemKind.Ticket, urgent.Ticket.Number, TicketStatus.Assigned),
            (HandoverItemKind.Ticket, waiting.Ticket.Number, TicketStatus.WaitingOnCustomer),
            (HandoverItemKind.FollowUp, unhappy.Ticket.Number, TicketStatus.FeedbackReceived));
        draft.Items[2].Note.Should().StartWith("1★");
        var urgentItem = draft.Items[0];
        urgentItem.DueAt.Should().Be(sla.Targets.Where(t => t.StoppedAt is null && t.DueAt is not null).Min(t => t.DueAt), "the earliest running deadline");
        urgentItem.EscalationLevel.Should().Be(sla.Escalation.Level).And.BeGreaterThan(0);
        urgentItem.Priority.Should().Be(TicketPriority.Urgent);
        draft.Text.Should().StartWith("Shift handover ")
            .And.Contain($"\nAssigned (to handle) (1)\n- #{urgent.Ticket.Number} 交班 urgent refund [Urgent], SLA due ")
            .And.Contain($", escalated L{sla.Escalation.Level}\n")
            .And.Contain($"\nWaiting on customer (1)\n- #{waiting.Ticket.Number} 交班 waiting\n")
            .And.Contain($"\nFollow-ups to do (1)\n- #{unhappy.Ticket.Number} 交班 unhappy customer: 1★");
        foreach (var other in new[] { resolved, someoneElses, unassigned })
            draft.Text.Should().NotContain($"#{other.Ticket.Number} ");

        (await DraftAsync(agent)).Text.Should().StartWith("交班 ").And.Contain("等待客户 (1)", "the draft speaks Chinese unless asked otherwise");
    }

    [Fact]
    public async Task Submitted_handover_keeps_the_edited_text_and_the_items_and_is_seen_by_teammates_and_supervisors_only()
    {
        var preSales = await TeamAsync("pre-sales");
        var agent = await NewAgentAsync(preSales);
        var supervisor = await server.StaffAsync(Demo.Supervisor);
        var open = await supervisor.NewTicketAsync("交班 open for the next shift", teamId: preSales, assigneeId: agent.Id);

        var draft = await DraftAsync(agent);
        var edited = draft.Text + "客户说明早十点回电，请接班同事跟进。";
        var submitted = await SubmitAsync(agent, new { text = "  " + edited + "\n  " });

        submitted.Text.Should().Be(edited.TrimEnd(), "the text is stored as written, trimmed");
        (submitted.AuthorId, submitted.TeamId, submitted.TeamNameZh).Should().Be((agent.Id, preSales, "售前"));
        submitted.Items.Select(i => i.TicketNumber).Should().Equal(open.Ticket.Number);
        submitted.SubmittedAt.Should().Be(server.Clock.GetUtcNow().UtcDateTime);
        (submitted.ShiftStart, submitted.ShiftEnd).Should().Be((draft.ShiftStart, draft.ShiftEnd));
        submitted.ReadBy.Should().BeEmpty();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>().Handovers.AsNoTracking().SingleAsync(h => h.Id == submitted.Id);
            (stored.Text, stored.AuthorId, stored.TeamId).Should().Be((edited.TrimEnd(), agent.Id, preSales));
            stored.ItemsJson.Should().Contain($"\"ticketNumber\":{open.Ticket.Number}");
        }

        // A teammate of the next shift sees it and marks it read (twice: still one read).
        var teammate = await server.StaffAsync(Demo.Agent1);
        var seen = (await ListAsync(teammate)).Single(h => h.Id == submitted.Id);
        (seen.Text, seen.ReadByMe).Should().Be((edited.TrimEnd(), false));
        for (var i = 0; i < 2; i++)
        {
            var read = await teammate.Http.PostAsync($"/api/handovers/{submitted.Id}/read", null);
            (await read.ShouldBeAsync(HttpStatusCode.OK)).GetProperty("readByMe").GetBoolean().Should().BeTrue();
        }
        (await ListAsync(teammate, $"?teamId={preSales}")).Single(h => h.Id == submitted.Id).ReadBy.Select(r => r.StaffId).Should().Equal(teammate.Id);

        // The supervisor sees every team's, filters by team, and reads too.
        var bySupervisor = (await ListAsync(supervisor, $"?teamId={preSales}")).Single(h => h.Id == submitted.Id);
        bySupervisor.ReadByMe.Should().BeFalse();
        await (await supervisor.Http.PostAsync($"/api/handovers/{submitted.Id}/read", null)).ShouldBeAsync(HttpStatusCode.OK);
        (await ListAsync(supervisor)).Single(h => h.Id == submitted.Id).ReadBy.Should().HaveCount(2);

        // Another team's agent: not in the list, 403 when asking for the team or marking it read.
        var otherTeam = await server.StaffAsync(Demo.Agent2);
        (await ListAsync(otherTeam)).Should().NotContain(h => h.Id == submitted.Id);
        await (await otherTeam.Http.GetAsync($"/api/handovers?teamId={preSales}")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await otherTeam.Http.PostAsync($"/api/handovers/{submitted.Id}/read", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await ListAsync(supervisor)).Single(h => h.Id == submitted.Id).ReadBy.Should().HaveCount(2, "the refused read recorded nothing");

        // The author's next handover starts where this one ended; "since" leaves the older one out.
        server.Clock.AdjustTime(server.Clock.GetUtcNow().AddHours(2));
        var next = await SubmitAsync(agent, new { text = "第二次交班" });
        next.ShiftStart.Should().Be(submitted.ShiftEnd);
        var since = Uri.EscapeDataString(submitted.SubmittedAt.AddMinutes(1).ToString("O"));
        (await ListAsync(teammate, $"?since={since}")).Select(h => h.Id).Should().Contain(next.Id).And.NotContain(submitted.Id);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_problem_naming_the_field_and_stores_nothing()
    {
        var preSales = await TeamAsync("pre-sales");
        var afterSales = await TeamAsync("after-sales");
        var agent = await NewAgentAsync(preSales);
        var supervisor = await server.StaffAsync(Demo.Supervisor);

        await (await agent.Http.PostAsJsonAsync("/api/handovers", new { text = "   " })).ShouldBeInvalidAsync("text");
        await (await agent.Http.PostAsJsonAsync("/api/handovers", new { text = new string('交', HandoverRules.TextMax + 1) })).ShouldBeInvalidAsync("text");
        await (await agent.Http.PostAsJsonAsync("/api/handovers", new { text = "ok", teamId = afterSales })).ShouldBeInvalidAsync("teamId");
        await (await agent.Http.PostAsJsonAsync("/api/handovers", new { teamId = afterSales })).ShouldBeInvalidAsync("text", "teamId");
        await (await agent.Http.GetAsync("/api/handovers/draft?teamId=x")).ShouldBeInvalidAsync("teamId");
        // The supervisor is in both demo teams: which one must be said.
        var both = await (await supervisor.Http.PostAsJsonAsync("/api/handovers", new { text = "ok" })).ShouldBeInvalidAsync("teamId");
        both.GetProperty("errors").GetProperty("teamId")[0].GetString().Should().Contain("2 teams");
        await (await agent.Http.GetAsync("/api/handovers?since=yesterday")).ShouldBeInvalidAsync("since");
        await (await agent.Http.GetAsync("/api/handovers?teamId=99999")).ShouldBeInvalidAsync("teamId");
        await (await agent.Http.PostAsync("/api/handovers/abc/read", null)).ShouldBeInvalidAsync("id");
        await (await agent.Http.PostAsync("/api/handovers/99999999/read", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await server.CreateClient().Http.GetAsync("/api/handovers/draft")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        agent.SendAntiforgery = false;
        (await (await agent.Http.PostAsJsonAsync("/api/handovers", new { text = "no token" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Code().Should().Be("antiforgery");
        agent.SendAntiforgery = true;

        await using var scope = server.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>().Handovers.CountAsync(h => h.AuthorId == agent.Id || h.AuthorId == supervisor.Id))
            .Should().Be(0, "nothing refused was stored");
    }
}
