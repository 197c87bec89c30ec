using System.Net;
using Helpdesk.Core.Customers;
using Helpdesk.Web.Crm;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.Web.Tests;

public sealed class CustomerCardTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    [Fact]
    public async Task Staff_see_a_customers_card_with_ticket_counts()
    {
        var agent = await server.StaffAsync(Demo.Agent1);
        var list = await agent.Http.GetFromJsonAsync<Helpdesk.Web.Tickets.TicketPage>("/api/tickets?limit=200", TestJson.Options);
        var customerId = list!.Items.First(t => t.CustomerName == "陈明").CustomerId!.Value;

        var card = await agent.Http.GetFromJsonAsync<CustomerCard>($"/api/customers/{customerId}", TestJson.Options);
        card!.Name.Should().Be("陈明");
        card.Tier.Should().Be(CustomerTier.KeyAccount);
        card.Region.Should().Be("华东");
        card.TotalTickets.Should().BeGreaterThan(0);
        card.OpenTickets.Should().BeLessThanOrEqualTo(card.TotalTickets);
    }

    [Fact]
    public async Task Unknown_or_malformed_customer_ids_and_anonymous_calls_are_refused()
    {
        var agent = await server.StaffAsync(Demo.Agent1);
        await (await agent.Http.GetAsync("/api/customers/999999")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await agent.Http.GetAsync("/api/customers/abc")).ShouldBeInvalidAsync("id");
        using var anon = server.CreateClient();
        (await anon.Http.GetAsync("/api/customers/1")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
