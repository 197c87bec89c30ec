using System.Net;
using System.Text;
using System.Text.Json;
using Helpdesk.Core.Crm;
using Helpdesk.Web.Audit;
using Helpdesk.Web.Crm;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Scripts;
using Helpdesk.Web.Tests.Crm;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Triage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Security;

/// <summary>
/// Issue 11 point 4, the audit log: each kind of administrative change leaves exactly one entry
/// naming who, what, which target and from where, with no secret in it; a refused change (401/403,
/// 400, 404, a missing antiforgery token) leaves none. The log is read by admins only, newest first,
/// filtered and paged, and as CSV. The tests of a class run one after another, so "the entries since
/// the mark" are this test's own.
/// </summary>
public sealed class AuditLogTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    private Task<StaffClient> Admin => server.StaffAsync(Demo.Admin);
    private Task<StaffClient> Supervisor => server.StaffAsync(Demo.Supervisor);

    private async Task<AuditPage> PageAsync(string query = "")
    {
        var response = await (await Admin).Http.GetAsync("/api/admin/audit" + query);
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadAsync<AuditPage>();
    }

    private async Task<long> MarkAsync() => (await PageAsync("?pageSize=1")).Items.FirstOrDefault()?.Id ?? 0;

    /// <summary>The entries written after the mark, oldest first.</summary>
    private async Task<List<AuditEntryView>> SinceAsync(long mark) =>
        (await PageAsync("?pageSize=200")).Items.Where(e => e.Id > mark).OrderBy(e => e.Id).ToList();

    private async Task<AuditEntryView> OneEntryAsync(long mark, string action, string targetType, string? targetId, StaffClient by)
    {
        var entries = await SinceAsync(mark);
        entries.Should().ContainSingle("one change, one entry: {0}", string.Join("; ", entries.Select(e => e.Action)));
        var entry = entries[0];
        entry.Should().Match<AuditEntryView>(e => e.Action == action && e.TargetType == targetType && e.ActorId == by.Id && e.ActorName == by.Session!.DisplayName);
        if (targetId is not null) entry.TargetId.Should().Be(targetId);
        entry.RemoteIp.Should().Be("127.0.0.1", "the client's address");
        entry.At.Should().Be(server.Clock.GetUtcNow().UtcDateTime, "time comes from the app's clock");
        entry.Method.Should().NotBeNullOrEmpty();
        entry.Route.Should().StartWith("/api/");
        return entry;
    }

    private static string NewEmail() => $"{TicketsClient.UniqueWord("a")}@example.com";

    [Fact]
    public async Task Each_staff_change_leaves_one_entry_and_never_the_password()
    {
        var admin = await Admin;
        const string password = "Aud1t!Secret-Pw";
        var email = NewEmail();

        var mark = await MarkAsync();
        var created = await (await admin.PostJsonAsync("/api/admin/staff", new { email, displayName = "审计 Audit", password, roles = new[] { "Agent" }, teamIds = Array.Empty<int>() }))
            .ShouldBeAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var entry = await OneEntryAsync(mark, "staff.created", "staff", id, admin);
        entry.Changes.Should().Contain(email).And.Contain("Agent").And.NotContain(password);
        entry.Route.Should().Be("/api/admin/staff/");
        entry.Method.Should().Be("POST");

        async Task Change(object body, string action, params string[] shows)
        {
            var before = await MarkAsync();
            await (await admin.Http.PutAsJsonAsync($"/api/admin/staff/{id}", body)).ShouldBeAsync(HttpStatusCode.OK);
            var e = await OneEntryAsync(before, action, "staff", id, admin);
            foreach (var text in shows) e.Changes.Should().Contain(text);
            e.Route.Should().Be("/api/admin/staff/{id}");
        }
        var teamId = (await admin.Http.GetFromJsonAsync<List<TeamInfo>>("/api/teams", TestJson.Options))!.First().Id;
        await Change(new { displayName = "审计 Renamed" }, "staff.renamed", "审计 Audit", "审计 Renamed");
        await Change(new { roles = new[] { "Agent", "Supervisor" } }, "staff.roles_changed", "Supervisor");
        await Change(new { teamIds = new[] { teamId } }, "staff.teams_changed", teamId.ToString());
        await Change(new { disabled = true }, "staff.disabled");
        await Change(new { disabled = false }, "staff.enabled");

        var unchanged = await MarkAsync();
        await (await admin.Http.PutAsJsonAsync($"/api/admin/staff/{id}", new { disabled = false })).ShouldBeAsync(HttpStatusCode.OK);
        (await SinceAsync(unchanged)).Should().BeEmpty("sending the same value again changes nothing");
    }

    [Fact]
    public async Task Api_keys_issue_and_revoke_are_recorded_without_the_key()
    {
        var admin = await Admin;
        var mark = await MarkAsync();
        var issued = await server.IssueKeyAsync("ReadWrite", "audit key");
        var entry = await OneEntryAsync(mark, "api_key.issued", "api_key", issued.Key.Id.ToString(), admin);
        entry.Changes.Should().Contain("audit key").And.Contain(issued.Key.Prefix).And.NotContain(issued.Secret);

        mark = await MarkAsync();
        await (await admin.Http.DeleteAsync($"/api/admin/api-keys/{issued.Key.Id}")).ShouldBeAsync(HttpStatusCode.NoContent);
        await OneEntryAsync(mark, "api_key.revoked", "api_key", issued.Key.Id.ToString(), admin);

        var everything = await (await admin.Http.GetAsync("/api/admin/audit?pageSize=200")).Content.ReadAsStringAsync();
        var csv = await (await admin.Http.GetAsync("/api/admin/audit/export.csv")).Content.ReadAsStringAsync();
        everything.Should().NotContain(issued.Secret, "no API key in the log");
        csv.Should().NotContain(issued.Secret);
    }

    [Fact]
    public async Task Webhook_changes_are_recorded_without_the_signing_secret_or_a_token_in_the_url()
    {
        var admin = await Admin;
        const string secret = "whsec-0123456789abcdef-audit";
        const string rotated = "whsec-rotated-9876543210-audit";
        var mark = await MarkAsync();
        var created = await (await admin.PostJsonAsync("/api/admin/webhooks",
            new { url = "https://crm.example.com/hook?token=url-token-777", secret, events = new[] { WebhookEvents.All[0] } })).ShouldBeAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt32().ToString();
        var entry = await OneEntryAsync(mark, "webhook.created", "webhook", id, admin);
        entry.Changes.Should().Contain("https://crm.example.com/hook").And.NotContain("url-token-777").And.NotContain(secret);

        mark = await MarkAsync();
        await (await admin.Http.PutAsJsonAsync($"/api/admin/webhooks/{id}", new { secret = rotated, active = false })).ShouldBeAsync(HttpStatusCode.NoContent);
        entry = await OneEntryAsync(mark, "webhook.updated", "webhook", id, admin);
        entry.Changes.Should().Contain("signingKeyRotated").And.Contain("active").And.NotContain(rotated).And.NotContain(secret);

        mark = await MarkAsync();
        await (await admin.Http.DeleteAsync($"/api/admin/webhooks/{id}")).ShouldBeAsync(HttpStatusCode.NoContent);
        await OneEntryAsync(mark, "webhook.deleted", "webhook", id, admin);

        var everything = await (await admin.Http.GetAsync("/api/admin/audit?pageSize=200")).Content.ReadAsStringAsync();
        everything.Should().NotContain(secret).And.NotContain(rotated).And.NotContain("url-token-777");
    }

    [Fact]
    public async Task Triage_rule_drafts_edits_and_publishing_are_recorded_but_checks_and_dry_runs_are_not()
    {
        var admin = await Admin;
        var mark = await MarkAsync();
        var draft = (await (await admin.PostJsonAsync("/api/triage/rules/drafts", new { note = "audit draft" })).ShouldBeAsync(HttpStatusCode.Created))
            .Deserialize<RuleSetDetail>(TestJson.Options)!;
        var version = draft.Summary.Version.ToString();
        (await OneEntryAsync(mark, "triage_rules.draft_created", "triage_rules", version, admin)).Changes.Should().Contain("audit draft");

        mark = await MarkAsync();
        await (await admin.Http.PostAsJsonAsync("/api/triage/rules/validate", new { rules = draft.Rules }, TestJson.Options)).ShouldBeAsync(HttpStatusCode.OK);
        await (await admin.PostJsonAsync($"/api/triage/rules/versions/{version}/try", new { text = "退货" })).ShouldBeAsync(HttpStatusCode.OK);
        (await SinceAsync(mark)).Should().BeEmpty("a check and a dry run change nothing");

        await (await admin.Http.PutAsJsonAsync($"/api/triage/rules/versions/{version}", new { rules = draft.Rules, note = "edited" }, TestJson.Options)).ShouldBeAsync(HttpStatusCode.OK);
        await OneEntryAsync(mark, "triage_rules.draft_edited", "triage_rules", version, admin);

        mark = await MarkAsync();
        await (await admin.PostJsonAsync($"/api/triage/rules/versions/{version}/publish", new { })).ShouldBeAsync(HttpStatusCode.OK);
        await OneEntryAsync(mark, "triage_rules.published", "triage_rules", version, admin);
    }

    [Fact]
    public async Task Script_and_forbidden_phrase_changes_by_a_supervisor_are_recorded_under_the_supervisor()
    {
        var supervisor = await Supervisor;
        var name = TicketsClient.UniqueWord("script");
        var mark = await MarkAsync();
        var script = (await (await supervisor.PostJsonAsync("/api/scripts", new { kind = "Canned", name, language = "en", text = "Hello {customer.salutation}" }))
            .ShouldBeAsync(HttpStatusCode.Created)).Deserialize<ScriptDto>(TestJson.Options)!;
        (await OneEntryAsync(mark, "script.created", "script", script.Id.ToString(), supervisor)).Changes.Should().Contain(name);

        mark = await MarkAsync();
        var edited = (await (await supervisor.Http.PutAsJsonAsync($"/api/scripts/{script.Id}", new { kind = "Canned", name, language = "en", text = "Hi {customer.salutation}", expectedVersion = script.Version }))
            .ShouldBeAsync(HttpStatusCode.OK)).Deserialize<ScriptDto>(TestJson.Options)!;
        (await OneEntryAsync(mark, "script.edited", "script", script.Id.ToString(), supervisor)).Changes.Should().Contain("text");

        mark = await MarkAsync();
        await (await supervisor.PostJsonAsync($"/api/scripts/{script.Id}/approve", new { expectedVersion = edited.Version })).ShouldBeAsync(HttpStatusCode.OK);
        await OneEntryAsync(mark, "script.approved", "script", script.Id.ToString(), supervisor);

        mark = await MarkAsync();
        var again = await supervisor.PostJsonAsync($"/api/scripts/{script.Id}/approve", new { });
        await again.ShouldBeRefusedAsync("already_approved");
        (await SinceAsync(mark)).Should().BeEmpty("a refused approval (409) changes nothing");

        var phraseText = TicketsClient.UniqueWord("bad");
        mark = await MarkAsync();
        var phrase = (await (await supervisor.PostJsonAsync("/api/forbidden-phrases", new { phrase = phraseText, language = "en", suggestion = "say it kindly" }))
            .ShouldBeAsync(HttpStatusCode.Created)).Deserialize<ForbiddenPhraseDto>(TestJson.Options)!;
        await OneEntryAsync(mark, "forbidden_phrase.created", "forbidden_phrase", phrase.Id.ToString(), supervisor);

        mark = await MarkAsync();
        await (await supervisor.Http.PutAsJsonAsync($"/api/forbidden-phrases/{phrase.Id}", new { phrase = phraseText, language = "en", suggestion = "say it kindly", isActive = false, expectedVersion = phrase.Version }))
            .ShouldBeAsync(HttpStatusCode.OK);
        await OneEntryAsync(mark, "forbidden_phrase.deactivated", "forbidden_phrase", phrase.Id.ToString(), supervisor);

        // Agents read and check wording all day: that is no change.
        mark = await MarkAsync();
        var agent = await server.StaffAsync(Demo.Agent1);
        await (await agent.PostJsonAsync("/api/scripts/check", new { text = "hello" })).ShouldBeAsync(HttpStatusCode.OK);
        (await SinceAsync(mark)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_supervisor_changing_an_agents_capacity_is_recorded()
    {
        var supervisor = await Supervisor;
        var agentId = (await server.StaffAsync(Demo.Agent2)).Id;
        var mark = await MarkAsync();

        await (await supervisor.Http.PutAsJsonAsync($"/api/supervisor/agents/{agentId}/capacity", new { capacity = 4 })).ShouldBeAsync(HttpStatusCode.OK);

        (await OneEntryAsync(mark, "staff.capacity_changed", "staff", agentId.ToString(), supervisor)).Changes.Should().Contain("4");
        await (await supervisor.Http.PutAsJsonAsync($"/api/supervisor/agents/{agentId}/capacity", new { capacity = (int?)null })).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refused_changes_leave_no_entry()
    {
        var admin = await Admin;
        var agent = await server.StaffAsync(Demo.Agent1);
        var supervisor = await Supervisor;
        var mark = await MarkAsync();

        (await agent.PostJsonAsync("/api/admin/staff", new { email = NewEmail(), displayName = "x", password = "Whatever1!", roles = new[] { "Admin" } }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "an agent may not create staff");
        (await supervisor.PostJsonAsync("/api/admin/api-keys", new { name = "k", scope = "Read" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await agent.PostJsonAsync("/api/scripts", new { kind = "Canned", name = "n", language = "en", text = "t" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await server.CreateClient().PostJsonAsync("/api/admin/webhooks", new { })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await (await admin.PostJsonAsync("/api/admin/staff", new { email = "not-an-email", displayName = "x", password = "Whatever1!", roles = new[] { "Agent" } }))
            .ShouldBeInvalidAsync("email");
        await (await admin.PostJsonAsync("/api/admin/staff", new { email = NewEmail(), displayName = "x", password = "short", roles = new[] { "Agent" } }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest); // the password rules, checked by Identity after the handler began
        await (await admin.Http.PutAsJsonAsync($"/api/admin/staff/{admin.Id}", new { disabled = true })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await admin.Http.PutAsJsonAsync("/api/admin/webhooks/999999", new { active = false })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await admin.PostJsonAsync("/api/triage/rules/versions/999/publish", new { })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        admin.SendAntiforgery = false;
        try
        {
            (await admin.PostJsonAsync("/api/admin/api-keys", new { name = "no token", scope = "Read" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }
        finally
        {
            admin.SendAntiforgery = true;
        }

        (await SinceAsync(mark)).Should().BeEmpty("nothing changed, so nothing is recorded");
    }

    [Fact]
    public async Task The_list_is_newest_first_filtered_by_time_actor_and_action_and_paged()
    {
        var admin = await Admin;
        var supervisor = await Supervisor;
        var start = server.Clock.GetUtcNow();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            server.Clock.Advance(TimeSpan.FromMinutes(1));
            var created = await (await admin.PostJsonAsync("/api/admin/staff", new { email = NewEmail(), displayName = $"Paged {i}", password = "Paged!User1", roles = new[] { "Agent" } }))
                .ShouldBeAsync(HttpStatusCode.Created);
            ids.Add(created.GetProperty("id").GetString()!);
        }
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await supervisor.PostJsonAsync("/api/forbidden-phrases", new { phrase = TicketsClient.UniqueWord("p"), language = "en", suggestion = "kindly" })).ShouldBeAsync(HttpStatusCode.Created);
        var from = Uri.EscapeDataString(start.AddSeconds(1).ToString("O"));

        var first = await PageAsync($"?from={from}&action=staff.created&pageSize=2");
        first.Total.Should().Be(5);
        first.Items.Select(e => e.TargetId).Should().Equal(ids[4], ids[3]);
        var third = await PageAsync($"?from={from}&action=staff.created&pageSize=2&page=3");
        third.Items.Select(e => e.TargetId).Should().Equal(ids[0]);
        third.Page.Should().Be(3);

        var until = Uri.EscapeDataString(start.AddMinutes(2).AddSeconds(1).ToString("O"));
        (await PageAsync($"?from={from}&to={until}")).Items.Select(e => e.TargetId).Should().Equal(ids[1], ids[0]);
        (await PageAsync($"?from={from}&action=staff")).Total.Should().Be(5, "an area finds its actions");
        var bySupervisor = await PageAsync($"?from={from}&actor={(await Supervisor).Id}");
        bySupervisor.Items.Should().ContainSingle().Which.Action.Should().Be("forbidden_phrase.created");
        (await PageAsync($"?from={from}&actor=wang")).Items.Should().ContainSingle("the actor's name matches in any case");
        (await PageAsync($"?from={from}&actor=admin")).Total.Should().Be(5);

        await (await admin.Http.GetAsync("/api/admin/audit?page=0")).ShouldBeInvalidAsync("page");
        await (await admin.Http.GetAsync("/api/admin/audit?from=yesterday&pageSize=1000")).ShouldBeInvalidAsync("from", "pageSize");
        var actions = await (await admin.Http.GetAsync("/api/admin/audit/actions")).ReadAsync<List<string>>();
        actions.Should().Contain(["staff.created", "forbidden_phrase.created"]);
    }

    [Fact]
    public async Task The_CSV_export_has_a_header_and_the_filtered_rows()
    {
        var admin = await Admin;
        var start = server.Clock.GetUtcNow();
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var issued = await server.IssueKeyAsync("Read", "csv, \"quoted\" key");
        var from = Uri.EscapeDataString(start.AddSeconds(1).ToString("O"));

        var response = await admin.Http.GetAsync($"/api/admin/audit/export.csv?from={from}&action=api_key");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var lines = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("at,actorId,actorName,action,targetType,targetId,changes,remoteIp,method,route");
        lines.Should().HaveCount(2);
        lines[1].Should().Contain("api_key.issued").And.Contain($",{issued.Key.Id},").And.Contain("\"{\"\"name\"\":\"\"csv, ", "the JSON is one quoted field").And.NotContain(issued.Secret);
    }

    [Fact]
    public async Task Only_admins_read_the_log_and_nobody_can_change_it()
    {
        foreach (var who in new[] { Demo.Agent1, Demo.Supervisor })
        {
            var client = await server.StaffAsync(who);
            (await client.Http.GetAsync("/api/admin/audit")).StatusCode.Should().Be(HttpStatusCode.Forbidden, who);
            (await client.Http.GetAsync("/api/admin/audit/export.csv")).StatusCode.Should().Be(HttpStatusCode.Forbidden, who);
        }
        (await server.CreateClient().Http.GetAsync("/api/admin/audit")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var admin = await Admin;
        var entryId = (await PageAsync("?pageSize=1")).Items.FirstOrDefault()?.Id ?? 1;
        (await admin.Http.DeleteAsync($"/api/admin/audit/{entryId}")).StatusCode.Should().BeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
        (await admin.Http.PutAsJsonAsync($"/api/admin/audit/{entryId}", new { action = "x" })).StatusCode.Should().BeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
        (await admin.PostJsonAsync("/api/admin/audit", new { action = "x" })).StatusCode.Should().BeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
    }

    /// <summary>
    /// The guard that makes the log hard to forget: every write an admin-only door maps, and the
    /// supervisors' configuration writes, carry the audit filter (or say why they change nothing).
    /// </summary>
    [Fact]
    public void Every_administrative_write_is_audited()
    {
        string[] supervisorConfiguration =
        [
            "/api/scripts/", "/api/scripts/{id:long}", "/api/scripts/{id:long}/approve", "/api/forbidden-phrases/", "/api/forbidden-phrases/{id:long}",
            "/api/supervisor/agents/{agentId}/presence", "/api/supervisor/agents/{agentId}/capacity", "/api/customers/import",
        ];
        var writes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Route: "/" + e.RoutePattern.RawText!.TrimStart('/'),
                Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(e => e.Methods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE"))
            .ToList();
        var administrative = writes.Where(e =>
            e.Route.StartsWith("/api/admin/", StringComparison.Ordinal)
            || e.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == StaffPolicies.Admin)
            || supervisorConfiguration.Contains(e.Route)).ToList();

        administrative.Should().HaveCountGreaterThan(15);
        administrative.Where(e => e.Endpoint.Metadata.GetMetadata<AuditedMetadata>() is null)
            .Select(e => $"{string.Join(",", e.Methods)} {e.Route}").Should().BeEmpty("every administrative write is audited");
        administrative.Where(e => e.Endpoint.Metadata.GetMetadata<NotAuditedMetadata>() is not null).Select(e => e.Route)
            .Should().BeEquivalentTo(["/api/triage/rules/validate", "/api/triage/rules/versions/{version:int}/try"], "only checks and dry runs are exempt");
    }

    [Fact]
    public async Task Old_entries_are_swept_after_the_retention_days_when_set()
    {
        await using var kept = new HelpdeskServer { Settings = { "Audit:RetentionDays=30" } };
        await kept.InitializeAsync();
        var admin = await kept.StaffAsync(Demo.Admin);
        // An entry from 31 days ago, written as the app writes them (moving the app's clock a month would
        // also fire every SLA timer of the demo data and sign everybody out).
        using (var scope = kept.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Helpdesk.Data.HelpdeskDbContext>();
            db.AuditEntries.Add(new Helpdesk.Data.Audit.AuditEntry
            {
                At = kept.Clock.GetUtcNow().UtcDateTime.AddDays(-31), ActorName = "old", Action = "api_key.issued", TargetType = "api_key",
                Changes = "{\"name\":\"old\"}", Method = "POST", Route = "/api/admin/api-keys/",
            });
            await db.SaveChangesAsync();
        }
        await (await admin.PostJsonAsync("/api/admin/api-keys", new { name = "new", scope = "Read" })).ShouldBeAsync(HttpStatusCode.Created);
        (await (await admin.Http.GetAsync("/api/admin/audit")).ReadAsync<AuditPage>()).Total.Should().Be(2);

        using (var scope = kept.Services.CreateScope())
            (await scope.ServiceProvider.GetRequiredService<AuditRetentionJob>().RunAsync(CancellationToken.None)).Should().Be(1);

        var left = await (await admin.Http.GetAsync("/api/admin/audit")).ReadAsync<AuditPage>();
        left.Items.Select(e => e.Changes).Should().ContainSingle().Which.Should().Contain("new");
        var recurring = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(kept.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection());
        recurring.Should().Contain(j => j.Id == AuditFeature.RetentionJobId, "the sweep runs daily");
    }

    [Fact]
    public async Task A_bad_retention_setting_refuses_to_start()
    {
        await using var bad = new HelpdeskServer { Settings = { "Audit:RetentionDays=0" } };

        var start = () => bad.InitializeAsync();

        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which.Message.Should().Contain("Audit:RetentionDays");
    }
}
