using System.Net;
using System.Text;
using Helpdesk.Core.Crm;
using Helpdesk.Core.Customers;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Crm;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Crm;

public sealed class CustomerRecordTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    private async Task<CustomerRecordView> CreateAsync(object record)
    {
        var key = await server.IssueKeyAsync("ReadWrite");
        using var crm = server.CrmHttp(key.Secret);
        var response = await crm.PutAsJsonAsync($"/api/crm/customers/r-{Guid.NewGuid():N}", record);
        await response.ShouldBeAsync(HttpStatusCode.Created);
        return await response.ReadAsync<CustomerRecordView>();
    }

    private async Task<CustomerRecordView> RecordAsync(long id)
    {
        var agent = await server.StaffAsync(Demo.Agent1);
        return (await agent.Http.GetFromJsonAsync<CustomerRecordView>($"/api/customers/{id}/record", TestJson.Options))!;
    }

    [Fact]
    public async Task Tickets_and_agents_add_to_the_interaction_log()
    {
        var customer = await CreateAsync(new { name = "交往记录公司" });
        var agent = await server.StaffAsync(Demo.Agent1);
        var ticket = await agent.NewTicketAsync("退货咨询", customerId: customer.Id);
        await (await agent.Http.PostAsJsonAsync($"/api/customers/{customer.Id}/interactions",
            new { summary = "上门拜访", place = "上海办公室", details = "讨论续约", notes = "客户满意" })).ShouldBeAsync(HttpStatusCode.Created);
        await (await agent.Http.PostAsJsonAsync($"/api/customers/{customer.Id}/interactions", new { summary = "" })).ShouldBeInvalidAsync("summary");

        var record = await RecordAsync(customer.Id);
        record.Interactions.Should().Contain(i => i.Source == "ticket" && i.TicketNumber == ticket.Ticket.Number && i.Summary.Contains("退货咨询"));
        record.Interactions.Should().Contain(i => i.Source == "agent" && i.Summary == "上门拜访" && i.Place == "上海办公室" && i.Author != null);
        record.Version.Should().Be(customer.Version + 2, "each change raises the row version");
        record.TotalTickets.Should().Be(1);
    }

    [Fact]
    public async Task Duplicates_merge_with_every_ticket_contact_log_entry_and_order()
    {
        var email = $"{Guid.NewGuid():N}@dup.example";
        var survivor = await CreateAsync(new { name = "刘洋", email, contacts = new[] { new { externalId = "k1", name = "甲" } } });
        var duplicate = await CreateAsync(new
        {
            name = "刘洋 (重复)", email = email.ToUpperInvariant(), mobile = "13911112222",
            contacts = new[] { new { externalId = "k2", name = "乙" } },
            orders = new[] { new { orderNumber = "SO-9", amount = 10m, paymentStatus = "Paid" } },
        });
        var agent = await server.StaffAsync(Demo.Agent1);
        var t1 = await agent.NewTicketAsync("重复客户工单一", customerId: duplicate.Id);
        var t2 = await agent.NewTicketAsync("重复客户工单二", customerId: duplicate.Id);
        var before = await RecordAsync(duplicate.Id);

        var candidates = await agent.Http.GetFromJsonAsync<List<CustomerCard>>($"/api/customers/{survivor.Id}/duplicates", TestJson.Options);
        candidates!.Select(c => c.Id).Should().Contain(duplicate.Id);

        var response = await agent.Http.PostAsJsonAsync($"/api/customers/{survivor.Id}/merge", new { duplicateId = duplicate.Id });
        await response.ShouldBeAsync(HttpStatusCode.OK);
        var merged = await response.ReadAsync<MergeResult>();
        merged.Tickets.Should().Be(2);
        merged.Survivor.Contacts.Select(c => c.Name).Should().BeEquivalentTo("甲", "乙");
        merged.Survivor.Orders.Should().ContainSingle(o => o.OrderNumber == "SO-9");
        merged.Survivor.Mobile.Should().Be("13911112222", "empty fields are filled from the duplicate");
        merged.Survivor.TotalTickets.Should().Be(2);
        foreach (var entry in before.Interactions)
            merged.Survivor.Interactions.Should().Contain(i => i.Id == entry.Id, "log entry {0} moves over", entry.Summary);
        merged.Survivor.Interactions.Should().Contain(i => i.Source == "merge" && i.Summary.Contains($"#{duplicate.Id}"));
        (await agent.GetTicketAsync(t1.Ticket.Number)).Ticket.CustomerId.Should().Be(survivor.Id);
        (await agent.GetTicketAsync(t2.Ticket.Number)).Ticket.CustomerId.Should().Be(survivor.Id);

        var stub = await RecordAsync(duplicate.Id);
        stub.MergedIntoId.Should().Be(survivor.Id);
        stub.Interactions.Should().ContainSingle(i => i.Source == "merge");
        // The CRM's id of the duplicate leads to the survivor.
        var key = await server.IssueKeyAsync("Read");
        using var crm = server.CrmHttp(key.Secret);
        (await crm.GetFromJsonAsync<CustomerRecordView>($"/api/crm/customers/{duplicate.ExternalId}", TestJson.Options))!.Id.Should().Be(survivor.Id);

        var stranger = await CreateAsync(new { name = "无关客户", email = $"{Guid.NewGuid():N}@other.example" });
        (await (await agent.Http.PostAsJsonAsync($"/api/customers/{survivor.Id}/merge", new { duplicateId = stranger.Id }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict)).Code().Should().Be("not_duplicates");
        (await RecordAsync(stranger.Id)).MergedIntoId.Should().BeNull();
    }

    [Fact]
    public async Task Two_complaints_in_30_days_flag_churn_risk_and_a_low_survey_score_does_too()
    {
        var customer = await CreateAsync(new { name = "投诉客户" });
        var agent = await server.StaffAsync(Demo.Agent1);
        await agent.NewTicketAsync("第一次投诉", type: "Complaint", customerId: customer.Id);
        (await RecordAsync(customer.Id)).ChurnRisk.Should().Be(ChurnRisk.Low);
        await agent.NewTicketAsync("第二次投诉", type: "Complaint", customerId: customer.Id);
        var flagged = await CrmClient.EventuallyAsync(async () => await RecordAsync(customer.Id) is { ChurnRisk: ChurnRisk.High } r ? r : null, "churn risk");
        flagged.ChurnReason.Should().Contain("2 complaints");
        var card = await agent.Http.GetFromJsonAsync<CustomerCard>($"/api/customers/{customer.Id}", TestJson.Options);
        card!.ChurnRisk.Should().Be(ChurnRisk.High);

        var other = await CreateAsync(new { name = "低分客户" });
        using (var scope = server.Services.CreateScope())
        {
            var churn = scope.ServiceProvider.GetRequiredService<ChurnRiskService>();
            (await churn.RecordSurveyScoreAsync(other.Id, 3, CancellationToken.None)).Should().BeFalse();
            (await churn.RecordSurveyScoreAsync(other.Id, 2, CancellationToken.None)).Should().BeTrue();
        }
        (await RecordAsync(other.Id)).Should().Match<CustomerRecordView>(r => r.ChurnRisk == ChurnRisk.High && r.ChurnReason == "survey score 2");
    }

    [Fact]
    public async Task CSV_import_takes_good_rows_lists_bad_ones_by_line_and_a_dry_run_writes_nothing()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var csv = $"""
            外部编号,客户名称,性别,邮箱,地区,客户等级,信用度,客户经理,所属集团
            csv-{run}-1,杭州云帆,男,a{run}@csv.example,华东,大客户,4,王经理,云帆集团
            csv-{run}-2,,女,b{run}@csv.example,华南,普通客户,3,,
            csv-{run}-3,成都天府,女,c{run}@csv.example,西南,VIP,9,,
            csv-{run}-4,"沈阳, 北方",,d{run}@csv.example,东北,合作,2,,
            """;
        var supervisor = await server.StaffAsync(Demo.Supervisor);
        var dry = await (await supervisor.Http.PostAsync("/api/customers/import?kind=customers&dryRun=true", CrmClient.Csv(csv))).ReadAsync<CsvImportReport>();
        dry.Should().Match<CsvImportReport>(r => r.DryRun && r.Rows == 4 && r.Created == 2 && r.Invalid == 2);
        dry.Errors.Select(e => e.Row).Should().Equal(3, 4);
        dry.Errors[0].Errors.Should().Contain(e => e.StartsWith("name:"));
        dry.Errors[1].Errors.Should().Contain(e => e.StartsWith("tier:")).And.Contain(e => e.StartsWith("credit:"));
        var key = await server.IssueKeyAsync("Read");
        using var crm = server.CrmHttp(key.Secret);
        (await crm.GetAsync($"/api/crm/customers/csv-{run}-1")).StatusCode.Should().Be(HttpStatusCode.NotFound, "a dry run writes nothing");

        var real = await (await supervisor.Http.PostAsync("/api/customers/import?kind=customers", CrmClient.Csv(csv))).ReadAsync<CsvImportReport>();
        real.Should().Match<CsvImportReport>(r => !r.DryRun && r.Created == 2 && r.Invalid == 2);
        var imported = await crm.GetFromJsonAsync<CustomerRecordView>($"/api/crm/customers/csv-{run}-4", TestJson.Options);
        imported!.Name.Should().Be("沈阳, 北方");
        imported.Tier.Should().Be(CustomerTier.Partner);
        (await crm.GetFromJsonAsync<CustomerRecordView>($"/api/crm/customers/csv-{run}-1", TestJson.Options))!.Should()
            .Match<CustomerRecordView>(c => c.Region == "华东" && c.Credit == 4 && c.Gender == Gender.Male && c.CompanyGroup == "云帆集团");

        // Contacts, English headers, no BOM; the same file twice updates rather than adds.
        var contacts = $"CustomerExternalId,ContactExternalId,Name,Position,Mobile\ncsv-{run}-1,p1,赵敏,经理,13700000000\nnobody-{run},p2,钱多,,\n";
        var c1 = await (await supervisor.Http.PostAsync("/api/customers/import?kind=contacts", CrmClient.Csv(contacts, bom: false))).ReadAsync<CsvImportReport>();
        c1.Should().Match<CsvImportReport>(r => r.Created == 1 && r.Invalid == 1);
        c1.Errors.Single().Errors.Single().Should().Contain($"nobody-{run}");
        var c2 = await (await supervisor.Http.PostAsync("/api/customers/import?kind=contacts", CrmClient.Csv(contacts))).ReadAsync<CsvImportReport>();
        c2.Updated.Should().Be(1);
        (await crm.GetFromJsonAsync<CustomerRecordView>($"/api/crm/customers/csv-{run}-1", TestJson.Options))!.Contacts.Should().ContainSingle(c => c.Name == "赵敏");
    }

    [Fact]
    public async Task CSV_export_is_UTF8_with_BOM_and_bad_files_or_roles_are_refused()
    {
        var supervisor = await server.StaffAsync(Demo.Supervisor);
        var bytes = await supervisor.Http.GetByteArrayAsync("/api/customers/export.csv?headers=zh");
        bytes.Take(3).Should().Equal(0xEF, 0xBB, 0xBF);
        var text = Encoding.UTF8.GetString(bytes.AsSpan(3));
        text.Should().StartWith("外部编号,客户名称").And.Contain("陈明");
        var english = Encoding.UTF8.GetString(await supervisor.Http.GetByteArrayAsync("/api/customers/export.csv?kind=contacts"));
        english.TrimStart('\uFEFF').Should().StartWith("CustomerExternalId,CustomerEmail,ContactExternalId,Name");

        await (await supervisor.Http.PostAsync("/api/customers/import", CrmClient.Csv("Name,Shoe size\nx,42\n"))).ShouldBeInvalidAsync("file");
        await (await supervisor.Http.PostAsync("/api/customers/import", CrmClient.Csv(""))).ShouldBeInvalidAsync("file");
        var agent = await server.StaffAsync(Demo.Agent1);
        (await agent.Http.PostAsync("/api/customers/import", CrmClient.Csv("Name\nx\n"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
