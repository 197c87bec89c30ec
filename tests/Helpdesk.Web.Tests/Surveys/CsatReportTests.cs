using System.Net;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Surveys;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Surveys;

/// <summary>GET /api/reports/csat over surveys answered through the real API, on a server of its own (known counts).</summary>
public sealed class CsatReportTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    /// <summary>Resolves a new ticket of the caller (no mail address: no mail) and returns its survey's token.</summary>
    private async Task<string> ResolvedTokenAsync(StaffClient agent)
    {
        var ticket = await agent.TicketInStatusAsync(TicketStatus.Resolved);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Helpdesk.Data.HelpdeskDbContext>();
        var survey = await Eventually.GetAsync(() => db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.TicketNumber == ticket.Ticket.Number), "the survey");
        return scope.ServiceProvider.GetRequiredService<SurveyIssuer>().TokenFor(survey);
    }

    [Fact]
    public async Task Csat_average_and_response_rate_by_agent_with_a_daily_series_against_the_95_percent_target()
    {
        var agent1 = await server.StaffAsync("agent1@demo.local");
        var agent2 = await server.StaffAsync("agent2@demo.local");
        var anonymous = server.CreateClient();
        // agent1: 5, 4, 2 and one unanswered; agent2: 5.
        foreach (var score in new int?[] { 5, 4, 2, null })
        {
            var token = await ResolvedTokenAsync(agent1);
            if (score is { } s)
                await (await anonymous.Http.PostAsJsonAsync("/api/surveys/answer", new { token, score = s, solved = s > 2 })).ShouldBeAsync(HttpStatusCode.OK);
        }
        var other = await ResolvedTokenAsync(agent2);
        await (await anonymous.Http.PostAsJsonAsync("/api/surveys/answer", new { token = other, score = 5, solved = true })).ShouldBeAsync(HttpStatusCode.OK);

        var supervisor = await server.StaffAsync("supervisor@demo.local");
        var today = DateOnly.FromDateTime(server.Clock.GetUtcNow().UtcDateTime);
        var report = await supervisor.Http.GetFromJsonAsync<CsatReport>($"/api/reports/csat?from={today.AddDays(-2):yyyy-MM-dd}&to={today:yyyy-MM-dd}&groupBy=agent", TestJson.Options);

        report!.Target.Should().Be(0.95);
        report.Overall.Should().Match<Helpdesk.Core.Surveys.CsatFigures>(f => f.Issued == 5 && f.Answered == 4 && f.Satisfied == 3);
        report.Overall.Csat.Should().Be(0.75);
        report.Overall.AverageScore.Should().Be(4);
        report.Overall.ResponseRate.Should().Be(0.8);
        report.Overall.MeetsTarget.Should().BeFalse();
        report.Daily.Select(d => d.Date).Should().Equal(today.AddDays(-2), today.AddDays(-1), today);
        report.Daily.Last().Figures.Issued.Should().Be(5);
        report.Daily.First().Figures.Issued.Should().Be(0);

        var first = report.Groups.Single(g => g.Key == agent1.Id.ToString());
        (first.Figures.Issued, first.Figures.Answered, first.Figures.Csat, first.Figures.AverageScore, first.Figures.ResponseRate)
            .Should().Be((4, 3, 0.6667, 3.67, 0.75));
        first.Name.Should().NotBe(first.Key, "the agent's name is shown");
        var second = report.Groups.Single(g => g.Key == agent2.Id.ToString());
        (second.Figures.Csat, second.Figures.MeetsTarget).Should().Be((1.0, true));

        var byChannel = await supervisor.Http.GetFromJsonAsync<CsatReport>($"/api/reports/csat?groupBy=channel", TestJson.Options);
        byChannel!.Groups.Sum(g => g.Figures.Issued).Should().Be(5);
        (await supervisor.Http.GetFromJsonAsync<CsatReport>("/api/reports/csat?groupBy=type", TestJson.Options))!.Groups.Should().NotBeEmpty();
        (await supervisor.Http.GetFromJsonAsync<CsatReport>("/api/reports/csat?groupBy=team", TestJson.Options))!.Groups.Sum(g => g.Figures.Answered).Should().Be(4);

        // The grades: agent1 has 3 answers (fewer than 5: unrated), with its CSAT.
        var grades = await supervisor.Http.GetFromJsonAsync<List<AgentGradeView>>("/api/surveys/grades", TestJson.Options);
        var g1 = grades!.Single(g => g.AgentId == agent1.Id);
        (g1.Answers, g1.Csat, g1.Grade).Should().Be((3, 0.6667, "unrated"));
    }

    [Fact]
    public async Task Bad_report_parameters_are_400_and_agents_are_refused()
    {
        var supervisor = await server.StaffAsync("supervisor@demo.local");
        await (await supervisor.Http.GetAsync("/api/reports/csat?groupBy=planet")).ShouldBeInvalidAsync("groupBy");
        await (await supervisor.Http.GetAsync("/api/reports/csat?from=2026-13-01")).ShouldBeInvalidAsync("from");
        await (await supervisor.Http.GetAsync("/api/reports/csat?from=2026-11-20&to=2026-11-01")).ShouldBeInvalidAsync("to");
        await (await supervisor.Http.GetAsync("/api/reports/csat?from=2024-01-01&to=2026-11-01")).ShouldBeInvalidAsync("to");
        var agent = await server.StaffAsync("agent1@demo.local");
        (await agent.Http.GetAsync("/api/reports/csat")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await server.CreateClient().Http.GetAsync("/api/reports/csat")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
