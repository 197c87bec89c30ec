using System.Net;
using System.Text.Json;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.Web.Tests;

/// <summary>/api/teams and /api/staff: what a ticket can be assigned to.</summary>
public sealed class DirectoryTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    [Fact]
    public async Task Teams_list_both_demo_teams_in_both_languages_each_with_a_general_and_a_complaint_queue()
    {
        var agent = await server.StaffAsync(Demo.Agent1);

        var teams = (await agent.Http.GetFromJsonAsync<List<TeamInfo>>("/api/teams", TestJson.Options))!;

        teams.Select(t => (t.Key, t.Name, t.NameZh)).Should().Equal(("pre-sales", "Pre-sales", "售前"), ("after-sales", "After-sales", "售后"));
        teams.Should().OnlyContain(t => t.Queues.Count == 2
            && t.Queues.Count(q => q.IsComplaintQueue) == 1
            && t.Queues.Single(q => !q.IsComplaintQueue).Key == "general"
            && t.Queues.All(q => q.NameZh.Length > 0));
        teams.SelectMany(t => t.Queues).Select(q => q.Id).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Staff_directory_lists_active_staff_with_their_teams_and_nothing_private()
    {
        var agent = await server.StaffAsync(Demo.Agent1);
        var teams = (await agent.Http.GetFromJsonAsync<List<TeamInfo>>("/api/teams", TestJson.Options))!;

        var response = await agent.Http.GetAsync("/api/staff");

        var json = await response.ShouldBeAsync(HttpStatusCode.OK);
        json.EnumerateArray().SelectMany(s => s.EnumerateObject().Select(p => p.Name)).Distinct()
            .Should().BeEquivalentTo(["id", "displayName", "teamIds"], "no email, password hash or security stamp");
        var staff = json.Deserialize<List<StaffMember>>(TestJson.Options)!;
        staff.Should().HaveCount(4);
        staff.Select(s => s.DisplayName).Should().BeInAscendingOrder(StringComparer.Ordinal);
        staff.Single(s => s.Id == agent.Id).TeamIds.Should().Equal(teams.Single(t => t.Key == "pre-sales").Id);
        staff.Single(s => s.DisplayName.Contains("Admin")).TeamIds.Should().BeEmpty();
    }
}
