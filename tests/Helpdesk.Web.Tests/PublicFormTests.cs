using System.Net;
using System.Text;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;

namespace Helpdesk.Web.Tests;

/// <summary>
/// POST /api/public/tickets: the web form of the company's site, anonymous.
/// It is rate-limited (20 a minute per address), so this class stays under 20 submissions.
/// </summary>
public sealed class PublicFormTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    private Task<StaffClient> Agent => server.StaffAsync(Demo.Agent2);

    /// <summary>A visitor: no cookies, no antiforgery token, no account.</summary>
    private HttpClient Visitor() => new() { BaseAddress = server.BaseAddress };

    private async Task<long> NewestNumberAsync() =>
        (await (await Agent).Http.GetFromJsonAsync<TicketPage>("/api/tickets?sort=Newest&limit=1", TestJson.Options))!.Items.Single().Number;

    [Fact]
    public async Task Visitor_opens_a_web_form_ticket_and_becomes_a_customer()
    {
        using var visitor = Visitor();
        var email = $"{TicketsClient.UniqueWord("v")}@example.com";

        var response = await visitor.PostAsJsonAsync("/api/public/tickets", new
        {
            name = "黄蓉 Huang Rong", email, subject = "发票抬头错误", description = "请把发票抬头改为 桃花岛有限公司。",
        });

        var receipt = await response.ShouldBeAsync(HttpStatusCode.Created);
        receipt.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(["number", "subject"], "a visitor learns the number, nothing more");
        var number = receipt.GetProperty("number").GetInt64();
        number.Should().BeGreaterThan(TicketLimits.FirstNumber);

        var agent = await Agent;
        var ticket = await agent.GetTicketAsync(number);
        ticket.Ticket.Channel.Should().Be(TicketChannel.WebForm);
        ticket.Ticket.Type.Should().Be(TicketType.Inquiry);
        ticket.Ticket.Status.Should().Be(TicketStatus.New);
        ticket.Ticket.Subject.Should().Be("发票抬头错误");
        ticket.Ticket.CustomerId.Should().NotBeNull();
        ticket.Ticket.CustomerName.Should().Be("黄蓉 Huang Rong");
        var first = ticket.Timeline.Should().ContainSingle(m => m.Kind == MessageKind.Customer).Which;
        first.Body.Should().Be("请把发票抬头改为 桃花岛有限公司。");
        first.AuthorName.Should().Be("黄蓉 Huang Rong");
        ticket.History.Single().Should().Match<HistoryEntry>(h => h.Field == "created" && h.ActorKind == ActorKind.Customer);
    }

    [Fact]
    public async Task Second_form_from_the_same_email_joins_the_same_customer()
    {
        using var visitor = Visitor();
        var email = $"{TicketsClient.UniqueWord("v")}@example.com";

        var first = (await (await visitor.PostAsJsonAsync("/api/public/tickets", new { name = "Ann", email, subject = "One", description = "First." })).ShouldBeAsync(HttpStatusCode.Created)).GetProperty("number").GetInt64();
        var second = (await (await visitor.PostAsJsonAsync("/api/public/tickets", new { name = "Ann B.", email, subject = "Two", description = "Second." })).ShouldBeAsync(HttpStatusCode.Created)).GetProperty("number").GetInt64();

        var agent = await Agent;
        var customerId = (await agent.GetTicketAsync(first)).Ticket.CustomerId;
        (await agent.GetTicketAsync(second)).Ticket.CustomerId.Should().Be(customerId);
        var theirs = (await agent.Http.GetFromJsonAsync<TicketPage>($"/api/tickets?customerId={customerId}", TestJson.Options))!.Items;
        theirs.Select(t => t.Number).Should().BeEquivalentTo([first, second]);
    }

    [Fact]
    public async Task Complaint_from_the_form_lands_in_the_after_sales_complaint_queue()
    {
        using var visitor = Visitor();
        var agent = await Agent;
        var afterSales = (await agent.Http.GetFromJsonAsync<List<TeamInfo>>("/api/teams", TestJson.Options))!.Single(t => t.Key == "after-sales");

        var response = await visitor.PostAsJsonAsync("/api/public/tickets", new
        {
            name = "Bob", email = "bob@example.com", subject = "Rude courier", description = "He threw the parcel.", type = "Complaint", category = "ServiceAttitude",
        });

        var number = (await response.ShouldBeAsync(HttpStatusCode.Created)).GetProperty("number").GetInt64();
        var ticket = (await agent.GetTicketAsync(number)).Ticket;
        ticket.Type.Should().Be(TicketType.Complaint);
        ticket.Category.Should().Be(AfterSalesCategory.ServiceAttitude);
        ticket.TeamId.Should().Be(afterSales.Id);
        ticket.QueueId.Should().Be(afterSales.Queues.Single(q => q.IsComplaintQueue).Id);
    }

    public static TheoryData<string, string, string> BadForms => new()
    {
        { "no name", """{"email":"a@example.com","subject":"S","description":"D"}""", "name" },
        { "no email", """{"name":"A","subject":"S","description":"D"}""", "email" },
        { "bad email", """{"name":"A","email":"a-at-example.com","subject":"S","description":"D"}""", "email" },
        { "empty subject", """{"name":"A","email":"a@example.com","subject":"","description":"D"}""", "subject" },
        { "subject of 201 characters", $$"""{"name":"A","email":"a@example.com","subject":"{{new string('s', 201)}}","description":"D"}""", "subject" },
        { "no description", """{"name":"A","email":"a@example.com","subject":"S"}""", "description" },
        { "unknown type", """{"name":"A","email":"a@example.com","subject":"S","description":"D","type":"Bogus"}""", "type" },
        { "category as a number", """{"name":"A","email":"a@example.com","subject":"S","description":"D","category":2}""", "category" },
    };

    [Theory]
    [MemberData(nameof(BadForms))]
    public async Task Bad_form_is_400_naming_the_field_and_creates_nothing(string tried, string json, string field)
    {
        using var visitor = Visitor();
        var newest = await NewestNumberAsync();

        var response = await visitor.PostAsync("/api/public/tickets", new StringContent(json, Encoding.UTF8, "application/json"));

        await response.ShouldBeInvalidAsync(field);
        (await NewestNumberAsync()).Should().Be(newest, "nothing is created with {0}", tried);
    }
}
