using System.Net;
using System.Net.Http.Headers;
using Helpdesk.Core.Customers;
using Helpdesk.Web.Crm;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.Web.Tests.Crm;

public sealed class CrmApiTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    private static object Record(string name, string tier = "大客户", int credit = 4) => new
    {
        name, surname = "王", gender = "男", email = $"{Guid.NewGuid():N}@crm.example", region = "华北", tier, credit,
        accountManager = "李经理", companyGroup = "华润集团",
        contacts = new[] { new { externalId = "c-1", name = "张三", gender = "男", position = "采购", phone = "010-1234", mobile = "13800000000", notes = "" } },
        orders = new[] { new { orderNumber = "SO-1", placedAt = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), amount = 1200.50m, currency = "CNY", paymentStatus = "部分回款" } },
    };

    [Fact]
    public async Task Without_a_key_the_CRM_API_answers_401_and_a_wrong_or_revoked_key_too()
    {
        using var none = server.CrmHttp(null);
        var response = await none.GetAsync("/api/crm/changes");
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Contain("X-Api-Key");

        using var wrong = server.CrmHttp("hdk_AAAAAAAA_" + new string('x', 43));
        (await wrong.GetAsync("/api/crm/changes")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var key = await server.IssueKeyAsync("Read");
        using var crm = server.CrmHttp(key.Secret);
        (await crm.GetAsync("/api/crm/changes")).StatusCode.Should().Be(HttpStatusCode.OK);
        var admin = await server.StaffAsync(Demo.Admin);
        (await admin.Http.DeleteAsync($"/api/admin/api-keys/{key.Key.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await crm.GetAsync("/api/crm/changes")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // A staff cookie is not a CRM key.
        (await admin.Http.GetAsync("/api/crm/changes")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_read_only_key_reads_but_its_write_gets_403_and_changes_nothing()
    {
        var key = await server.IssueKeyAsync("Read");
        using var crm = server.CrmHttp(key.Secret);
        var ext = "ro-" + Guid.NewGuid().ToString("N");
        var response = await crm.PutAsJsonAsync($"/api/crm/customers/{ext}", Record("只读公司"));
        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await crm.PostAsJsonAsync("/api/crm/customers/bulk", new { records = new[] { new { externalId = ext, name = "x" } } })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await crm.GetAsync($"/api/crm/customers/{ext}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Keys_are_shown_once_and_stored_hashed()
    {
        var key = await server.IssueKeyAsync("ReadWrite");
        key.Secret.Should().StartWith(key.Key.Prefix + "_").And.HaveLength(12 + 1 + 43);
        var admin = await server.StaffAsync(Demo.Admin);
        var list = await admin.Http.GetStringAsync("/api/admin/api-keys");
        list.Should().Contain(key.Key.Prefix).And.NotContain(key.Secret);
        var agent = await server.StaffAsync(Demo.Agent1);
        (await agent.Http.PostAsJsonAsync("/api/admin/api-keys", new { name = "x", scope = "Read" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        await (await admin.Http.PostAsJsonAsync("/api/admin/api-keys", new { name = "", scope = "Everything" })).ShouldBeInvalidAsync("name", "scope");
    }

    [Fact]
    public async Task Upsert_by_external_id_is_idempotent_and_a_stale_If_Match_gets_412()
    {
        var key = await server.IssueKeyAsync("ReadWrite");
        using var crm = server.CrmHttp(key.Secret);
        var ext = "crm-" + Guid.NewGuid().ToString("N");
        var body = Record("北京远景科技");

        var first = await crm.PutAsJsonAsync($"/api/crm/customers/{ext}", body);
        await first.ShouldBeAsync(HttpStatusCode.Created);
        var created = await first.ReadAsync<CustomerRecordView>();
        created.Tier.Should().Be(CustomerTier.KeyAccount);
        created.Contacts.Should().ContainSingle(c => c.Name == "张三" && c.ExternalId == "c-1");
        created.Orders.Should().ContainSingle(o => o.OrderNumber == "SO-1" && o.PaymentStatus == PaymentStatus.PartiallyPaid && o.Amount == 1200.50m);
        var etag = first.Headers.ETag!.Tag;

        var again = await crm.PutAsJsonAsync($"/api/crm/customers/{ext}", body);
        await again.ShouldBeAsync(HttpStatusCode.OK);
        again.Headers.GetValues("X-Upsert-Outcome").Should().Equal("unchanged");
        again.Headers.ETag!.Tag.Should().Be(etag);
        (await again.ReadAsync<CustomerRecordView>()).Contacts.Should().HaveCount(1, "the same contact id is updated, not added again");

        // Two writers read the same version; the second write is refused with 412.
        using var write1 = new HttpRequestMessage(HttpMethod.Put, $"/api/crm/customers/{ext}") { Content = JsonContent.Create(new { credit = 5 }) };
        write1.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        var ok = await crm.SendAsync(write1);
        await ok.ShouldBeAsync(HttpStatusCode.OK);
        ok.Headers.ETag!.Tag.Should().NotBe(etag);
        using var write2 = new HttpRequestMessage(HttpMethod.Put, $"/api/crm/customers/{ext}") { Content = JsonContent.Create(new { credit = 1 }) };
        write2.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        await (await crm.SendAsync(write2)).ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);

        var now = await crm.GetAsync($"/api/crm/customers/{ext}");
        (await now.ReadAsync<CustomerRecordView>()).Credit.Should().Be(5, "the stale write changed nothing");
        var byId = await crm.GetFromJsonAsync<CustomerRecordView>($"/api/crm/customers/by-id/{created.Id}", TestJson.Options);
        byId!.ExternalId.Should().Be(ext);
    }

    [Fact]
    public async Task Bad_records_are_refused_field_by_field()
    {
        var key = await server.IssueKeyAsync("ReadWrite");
        using var crm = server.CrmHttp(key.Secret);
        var response = await crm.PutAsJsonAsync($"/api/crm/customers/bad-{Guid.NewGuid():N}", new { name = "", credit = 9, tier = "VIP", email = "no-at" });
        await response.ShouldBeInvalidAsync("name", "credit", "tier", "email");
    }

    [Fact]
    public async Task Bulk_upsert_reports_each_record_and_refuses_more_than_1000()
    {
        var key = await server.IssueKeyAsync("ReadWrite");
        using var crm = server.CrmHttp(key.Secret);
        var run = Guid.NewGuid().ToString("N")[..8];
        var records = Enumerable.Range(0, 1000).Select(i => (object)new { externalId = $"b-{run}-{i}", name = $"批量客户 {i}", credit = 1 + i % 5 }).ToList();
        records[10] = new { externalId = $"b-{run}-10", name = "坏记录", credit = 0 };
        records[20] = new { externalId = $"b-{run}-19", name = "重复" };
        var response = await crm.PostAsJsonAsync("/api/crm/customers/bulk", new { records });
        await response.ShouldBeAsync(HttpStatusCode.OK);
        var result = await response.ReadAsync<BulkUpsertResponse>();
        result.Created.Should().Be(998);
        result.Invalid.Should().Be(2);
        result.Results[10].Errors!.Should().ContainKey("credit");
        result.Results[20].Errors!.Should().ContainKey("externalId");
        result.Results[999].Outcome.Should().Be("created");

        var again = await (await crm.PostAsJsonAsync("/api/crm/customers/bulk", new { records = new[] { new { externalId = $"b-{run}-1", name = "批量客户 1", credit = 2 }, new { externalId = $"b-{run}-2", name = "改名", credit = 3 } } }))
            .ReadAsync<BulkUpsertResponse>();
        again.Results.Select(r => r.Outcome).Should().Equal("unchanged", "updated");

        var tooMany = Enumerable.Range(0, 1001).Select(i => new { externalId = $"t-{run}-{i}", name = "x" }).ToList();
        await (await crm.PostAsJsonAsync("/api/crm/customers/bulk", new { records = tooMany })).ShouldBeInvalidAsync("records");
        (await crm.GetAsync($"/api/crm/customers/t-{run}-0")).StatusCode.Should().Be(HttpStatusCode.NotFound, "a refused call writes nothing");
    }

    [Fact]
    public async Task The_changes_feed_pages_by_cursor_and_misses_nothing()
    {
        var key = await server.IssueKeyAsync("ReadWrite");
        using var crm = server.CrmHttp(key.Secret);
        var start = await crm.GetFromJsonAsync<ChangesPage>("/api/crm/changes?after=0&limit=1000", TestJson.Options);
        var cursor = start!.Changes.Count == 0 ? 0 : start.Changes[^1].Sequence;
        while (start.HasMore)
        {
            start = await crm.GetFromJsonAsync<ChangesPage>($"/api/crm/changes?after={cursor}&limit=1000", TestJson.Options);
            cursor = start!.Next;
        }

        var run = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 5; i++)
            await (await crm.PutAsJsonAsync($"/api/crm/customers/f-{run}-{i}", new { name = $"变更 {i}" })).ShouldBeAsync(HttpStatusCode.Created);
        // A change made by support (an agent's log entry) is in the feed too.
        var id = (await crm.GetFromJsonAsync<CustomerRecordView>($"/api/crm/customers/f-{run}-0", TestJson.Options))!.Id;
        var agent = await server.StaffAsync(Demo.Agent1);
        await (await agent.Http.PostAsJsonAsync($"/api/customers/{id}/interactions", new { summary = "电话回访", place = "电话" })).ShouldBeAsync(HttpStatusCode.Created);

        var seen = new List<ChangeEntry>();
        for (var page = 0; page < 10; page++)
        {
            var p = await crm.GetFromJsonAsync<ChangesPage>($"/api/crm/changes?after={cursor}&limit=2", TestJson.Options);
            p!.Changes.Should().HaveCountLessThanOrEqualTo(2);
            seen.AddRange(p.Changes);
            cursor = p.Next;
            if (!p.HasMore) break;
        }
        seen.Select(s => s.Sequence).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        var mine = seen.Where(s => s.Customer?.ExternalId?.StartsWith($"f-{run}-") == true).ToList();
        mine.Where(s => s.Kind == "created").Select(s => s.Customer!.ExternalId).Should().BeEquivalentTo(Enumerable.Range(0, 5).Select(i => $"f-{run}-{i}"));
        mine.Should().Contain(s => s.Kind == "updated" && s.CustomerId == id);
        mine.Single(s => s.Kind == "updated").Customer!.Interactions.Should().Contain(i => i.Summary == "电话回访" && i.Source == "agent");

        var empty = await crm.GetFromJsonAsync<ChangesPage>($"/api/crm/changes?after={cursor}", TestJson.Options);
        empty!.Changes.Should().BeEmpty();
        empty.Next.Should().Be(cursor);
        await (await crm.GetAsync("/api/crm/changes?after=abc&limit=5000")).ShouldBeInvalidAsync("after", "limit");
    }
}
