using System.Net;
using System.Text.Json;
using Helpdesk.Core.Tickets;
using Helpdesk.Core.Triage;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Triage;

namespace Helpdesk.Web.Tests.Triage;

/// <summary>Rules are data: versions, drafts, validation and publishing. Its own server, because publishing changes the current rules.</summary>
public sealed class TriageRulesTests : IAsyncLifetime
{
    private readonly HelpdeskServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();
    public Task DisposeAsync() => _server.DisposeAsync();

    private static TriageRuleSet WithRule(TriageRuleSet set, TriageRule rule) => set with { Rules = [.. set.Rules, rule] };

    [Fact]
    public async Task Editing_and_publishing_rules_triages_new_tickets_with_them_and_leaves_old_results_alone()
    {
        var admin = await _server.StaffAsync(Demo.Admin);
        var agent = await _server.StaffAsync(Demo.Agent2);
        var old = await agent.NewTicketAsync(subject: "召回", description: "这个批次的净水器是不是召回了？");
        var oldResult = (await (await agent.Http.GetAsync($"/api/tickets/{old.Ticket.Number}/triage")).ReadAsync<TicketTriageView>()).Latest!;
        oldResult.RuleSetVersion.Should().Be(1, "the shipped defaults are version 1");
        oldResult.Type.Should().Be(TicketType.Inquiry);

        var current = await (await admin.Http.GetAsync("/api/triage/rules")).ReadAsync<RuleSetDetail>();
        current.Summary.Version.Should().Be(1);
        current.Summary.Status.Should().Be(RuleSetStatus.Published);

        var draft = (await (await admin.PostJsonAsync("/api/triage/rules/drafts", new { note = "recalls are urgent complaints" }))
            .ShouldBeAsync(HttpStatusCode.Created)).Let(j => j.Deserialize<RuleSetDetail>(TestJson.Options)!);
        draft.Summary.Version.Should().Be(2);
        draft.Summary.Status.Should().Be(RuleSetStatus.Draft);

        var edited = WithRule(draft.Rules, new TriageRule
        {
            Id = "recall", Kind = TriageRuleKind.Keywords, Keywords = ["召回", "recall"], Target = TriageTarget.Type, Value = "Complaint", Weight = 3,
            Priority = TicketPriority.Urgent, Description = "Product recalls",
        });
        var put = await admin.Http.PutAsJsonAsync("/api/triage/rules/versions/2", new { rules = edited }, TestJson.Options);
        await put.ShouldBeAsync(HttpStatusCode.OK);
        await (await admin.PostJsonAsync("/api/triage/rules/versions/2/publish", new { })).ShouldBeAsync(HttpStatusCode.OK);

        var fresh = await agent.NewTicketAsync(subject: "召回", description: "这个批次的净水器是不是召回了？");
        fresh.Ticket.Type.Should().Be(TicketType.Complaint);
        fresh.Ticket.Priority.Should().Be(TicketPriority.Urgent);
        var freshResult = (await (await agent.Http.GetAsync($"/api/tickets/{fresh.Ticket.Number}/triage")).ReadAsync<TicketTriageView>()).Latest!;
        freshResult.RuleSetVersion.Should().Be(2);
        freshResult.Explanation.Fired.Should().Contain(f => f.RuleId == "recall" && f.Weight == 3);

        var oldAgain = (await (await agent.Http.GetAsync($"/api/tickets/{old.Ticket.Number}/triage")).ReadAsync<TicketTriageView>()).Latest!;
        oldAgain.Should().BeEquivalentTo(oldResult, "publishing new rules never rewrites a stored result");
        (await agent.GetTicketAsync(old.Ticket.Number)).Ticket.Type.Should().Be(TicketType.Inquiry);

        var versions = await (await admin.Http.GetAsync("/api/triage/rules/versions")).ReadAsync<List<RuleSetSummary>>();
        versions.Select(v => (v.Version, v.Status)).Should().Equal((2, RuleSetStatus.Published), (1, RuleSetStatus.Superseded));

        // Published rules are frozen: an edit is refused and changes nothing.
        await (await admin.Http.PutAsJsonAsync("/api/triage/rules/versions/1", new { rules = edited }, TestJson.Options)).ShouldBeRefusedAsync("not_a_draft");
        await (await admin.Http.PutAsJsonAsync("/api/triage/rules/versions/2", new { rules = draft.Rules }, TestJson.Options)).ShouldBeRefusedAsync("not_a_draft");
        (await (await admin.Http.GetAsync("/api/triage/rules/versions/2")).ReadAsync<RuleSetDetail>()).Rules.Rules.Should().Contain(r => r.Id == "recall");
    }

    [Fact]
    public async Task A_bad_pattern_is_refused_with_its_rule_id_and_the_draft_keeps_what_it_had()
    {
        var admin = await _server.StaffAsync(Demo.Admin);
        var draft = (await (await admin.PostJsonAsync("/api/triage/rules/drafts", new { })).ShouldBeAsync(HttpStatusCode.Created))
            .Let(j => j.Deserialize<RuleSetDetail>(TestJson.Options)!);
        var bad = WithRule(draft.Rules, new TriageRule { Id = "broken-pattern", Kind = TriageRuleKind.Pattern, Pattern = "退款(", Target = TriageTarget.Severity, Weight = 1 });

        var problem = await (await admin.Http.PostAsJsonAsync("/api/triage/rules/validate", new { rules = bad }, TestJson.Options)).ShouldBeInvalidAsync("broken-pattern.pattern");
        problem.GetProperty("ruleIds").EnumerateArray().Select(e => e.GetString()).Should().Equal("broken-pattern");
        await (await admin.Http.PutAsJsonAsync($"/api/triage/rules/versions/{draft.Summary.Version}", new { rules = bad }, TestJson.Options))
            .ShouldBeInvalidAsync("broken-pattern.pattern");
        var kept = await (await admin.Http.GetAsync($"/api/triage/rules/versions/{draft.Summary.Version}")).ReadAsync<RuleSetDetail>();
        kept.Rules.Rules.Should().NotContain(r => r.Id == "broken-pattern");

        var good = await (await admin.Http.PostAsJsonAsync("/api/triage/rules/validate", new { rules = draft.Rules }, TestJson.Options)).ShouldBeAsync(HttpStatusCode.OK);
        good.GetProperty("valid").GetBoolean().Should().BeTrue();
        var tried = await (await admin.PostJsonAsync($"/api/triage/rules/versions/{draft.Summary.Version}/try", new { text = "我要投诉，退款一个月了还没到！" })).ShouldBeAsync(HttpStatusCode.OK);
        tried.GetProperty("type").GetString().Should().Be("Complaint");
        await (await admin.PostJsonAsync("/api/triage/rules/versions/99/publish", new { })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_admins_edit_rules()
    {
        var agent = await _server.StaffAsync(Demo.Agent1);
        (await agent.Http.GetAsync("/api/triage/rules")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await agent.PostJsonAsync("/api/triage/rules/drafts", new { })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await _server.CreateClient().Http.GetAsync("/api/triage/rules")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}

internal static class Functional
{
    public static TOut Let<TIn, TOut>(this TIn value, Func<TIn, TOut> f) => f(value);
}
