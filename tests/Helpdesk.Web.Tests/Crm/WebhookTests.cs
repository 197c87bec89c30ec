using System.Net;
using System.Text.Json;
using Helpdesk.Core.Crm;
using Helpdesk.Web.Crm;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Crm;

public sealed class WebhookTests : IAsyncLifetime
{
    private readonly CrmReceiver _receiver = new();
    private readonly HelpdeskServer _server = new() { Settings = { "Jobs:SchedulePollingInterval=00:00:01" } };

    public async Task InitializeAsync()
    {
        await _receiver.StartAsync();
        await _server.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_new_ticket_reaches_the_CRM_signed_with_HMAC_and_logged_for_admins()
    {
        var subscription = await _server.SubscribeAsync(_receiver, WebhookEvents.TicketCreated, WebhookEvents.TicketResolved, WebhookEvents.CustomerUpdated);
        var agent = await _server.StaffAsync(Demo.Agent1);
        var list = await agent.Http.GetFromJsonAsync<Helpdesk.Web.Tickets.TicketPage>("/api/tickets?limit=200", TestJson.Options);
        var customerId = list!.Items.First(t => t.CustomerId is not null).CustomerId!.Value;
        var subject = TicketsClient.UniqueWord("hook");
        var ticket = await agent.NewTicketAsync(subject, customerId: customerId, assigneeId: agent.Id);

        var created = await _receiver.WaitForAsync(r => r.Event == "ticket.created" && r.Body.Contains(subject), "ticket.created");
        created.SignatureValid.Should().BeTrue();
        using var doc = JsonDocument.Parse(created.Body);
        doc.RootElement.GetProperty("id").GetString().Should().Be(created.DeliveryId);
        doc.RootElement.GetProperty("data").GetProperty("number").GetInt64().Should().Be(ticket.Ticket.Number);

        // The ticket wrote an interaction-log entry on its customer: that is a customer change too.
        var updated = await _receiver.WaitForAsync(r => r.Event == "customer.updated" && r.Body.Contains(subject), "customer.updated");
        updated.SignatureValid.Should().BeTrue();
        JsonDocument.Parse(updated.Body).RootElement.GetProperty("data").GetProperty("id").GetInt64().Should().Be(customerId);

        await agent.SetStatusAsync(ticket.Ticket.Number, Helpdesk.Core.Tickets.TicketStatus.Resolved);
        var resolved = await _receiver.WaitForAsync(r => r.Event == "ticket.resolved" && r.Body.Contains(subject), "ticket.resolved");
        resolved.SignatureValid.Should().BeTrue();

        var log = await CrmClient.EventuallyAsync(async () =>
        {
            var rows = await _server.DeliveriesAsync(subscription);
            return rows.Any(d => d.Id.ToString() == created.DeliveryId && d.Status == WebhookDeliveryStatus.Delivered) ? rows : null;
        }, "the delivery log to show the delivery");
        log.Single(d => d.Id.ToString() == created.DeliveryId).Should().Match<DeliveryView>(d => d.Attempts == 1 && d.LastStatusCode == 200 && d.Event == "ticket.created");
        _receiver.Received.Count(r => r.DeliveryId == created.DeliveryId).Should().Be(1);
    }

    [Fact]
    public async Task A_low_survey_answer_reaches_the_CRM_as_survey_answered_and_flags_the_customer_a_churn_risk()
    {
        await _server.SubscribeAsync(_receiver, WebhookEvents.SurveyAnswered, WebhookEvents.CustomerChurnRisk);
        var agent = await _server.StaffAsync(Demo.Agent1);
        var key = await _server.IssueKeyAsync("ReadWrite");
        using var crm = _server.CrmHttp(key.Secret);
        var customer = await crm.PutAsJsonAsync($"/api/crm/customers/crm-{Guid.NewGuid():N}",
            new { name = "流失测试客户", email = $"{TicketsClient.UniqueWord("churn")}@example.cn", tier = "普通客户", credit = 3 });
        customer.StatusCode.Should().Be(HttpStatusCode.Created);
        var customerId = (await customer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var ticket = await agent.NewTicketAsync(TicketsClient.UniqueWord("survey"), customerId: customerId, assigneeId: agent.Id);
        await agent.SetStatusAsync(ticket.Ticket.Number, Helpdesk.Core.Tickets.TicketStatus.Resolved);

        // The survey was issued on resolution; its link token is what the customer's mail carries.
        string token;
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Helpdesk.Data.HelpdeskDbContext>();
            var survey = await CrmClient.EventuallyAsync(() => db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.TicketId == ticket.Ticket.Id), "the survey");
            token = scope.ServiceProvider.GetRequiredService<Helpdesk.Web.Surveys.SurveyIssuer>().TokenFor(survey);
        }
        using var browser = new HttpClient { BaseAddress = _server.BaseAddress };
        (await browser.PostAsJsonAsync("/api/surveys/answer", new { token, score = 1, solved = false })).StatusCode.Should().Be(HttpStatusCode.OK);

        var answered = await _receiver.WaitForAsync(r => r.Event == "survey.answered" && r.Body.Contains($"\"ticketNumber\":{ticket.Ticket.Number}"), "survey.answered");
        answered.SignatureValid.Should().BeTrue();
        var data = JsonDocument.Parse(answered.Body).RootElement.GetProperty("data");
        data.GetProperty("score").GetInt32().Should().Be(1);
        data.GetProperty("solved").GetBoolean().Should().BeFalse();
        data.GetProperty("customerId").GetInt64().Should().Be(customerId);

        var churn = await _receiver.WaitForAsync(r => r.Event == "customer.churn_risk" && JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("id").GetInt64() == customerId,
            "customer.churn_risk");
        churn.Body.Should().Contain("survey score 1");
    }

    [Fact]
    public async Task Subscriptions_are_for_admins_and_checked()
    {
        var agent = await _server.StaffAsync(Demo.Agent1);
        (await agent.Http.PostAsJsonAsync("/api/admin/webhooks", new { url = _receiver.Url, secret = _receiver.Secret, events = new[] { "ticket.created" } }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var admin = await _server.StaffAsync(Demo.Admin);
        await (await admin.Http.PostAsJsonAsync("/api/admin/webhooks", new { url = "ftp://x", secret = "short", events = new[] { "ticket.exploded" } }))
            .ShouldBeInvalidAsync("url", "secret", "events");
        // survey.answered can be subscribed to now; the surveys work raises it.
        (await admin.Http.PostAsJsonAsync("/api/admin/webhooks", new { url = _receiver.Url, secret = _receiver.Secret, events = new[] { "survey.answered" } }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
    }
}
