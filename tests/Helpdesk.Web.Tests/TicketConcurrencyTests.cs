using System.Net;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests;

/// <summary>
/// Plays a background writer (triage, an acknowledgement, an SLA timer) that touches a ticket between
/// the moment a request loaded it and the moment it saves: once armed, the next save of that ticket
/// finds its version moved on.
/// </summary>
public sealed class BackgroundWriterClash : SaveChangesInterceptor
{
    private long _armedFor;

    public void ArmFor(long ticketNumber) => Interlocked.Exchange(ref _armedFor, ticketNumber);

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken ct = default)
    {
        var armed = Interlocked.Read(ref _armedFor);
        if (armed != 0 && eventData.Context is HelpdeskDbContext db
            && db.ChangeTracker.Entries<Ticket>().Any(e => e.Entity.Number == armed && e.State == EntityState.Modified)
            && Interlocked.CompareExchange(ref _armedFor, 0, armed) == armed)
        {
            await db.Database.ExecuteSqlAsync($"UPDATE \"Tickets\" SET \"Version\" = \"Version\" + 1 WHERE \"Number\" = {armed}", ct);
        }
        return result;
    }
}

public sealed class ClashingServerFixture : IAsyncLifetime
{
    public BackgroundWriterClash Clash { get; } = new();
    public HelpdeskServer Server { get; } = new();

    public ClashingServerFixture() =>
        Server.Configure.Add(b => b.Services.ConfigureDbContext<HelpdeskDbContext>(o => o.AddInterceptors(Clash)));

    public Task InitializeAsync() => Server.InitializeAsync();
    public Task DisposeAsync() => Server.DisposeAsync();
}

/// <summary>What an agent's change does when a background writer got to the ticket first.</summary>
public sealed class TicketConcurrencyTests(ClashingServerFixture fixture) : IClassFixture<ClashingServerFixture>
{
    private readonly HelpdeskServer _server = fixture.Server;

    [Fact]
    public async Task A_status_change_without_an_expected_version_is_applied_to_the_ticket_as_it_now_is()
    {
        var agent = await _server.StaffAsync(Demo.Agent1);
        var ticket = await agent.TicketInStatusAsync(TicketStatus.Assigned);
        var number = ticket.Ticket.Number;

        fixture.Clash.ArmFor(number);
        var response = await agent.Http.PostAsJsonAsync($"/api/tickets/{number}/status", new { status = "Resolved" });

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the agent did not name a version, so the clash is retried, not reported");
        var after = await agent.GetTicketAsync(number);
        after.Ticket.Status.Should().Be(TicketStatus.Resolved);
        after.Ticket.Version.Should().Be(ticket.Ticket.Version + 2, "the background write and the status change both count");
        after.History.Count(h => h.Field == "status" && h.To == "Resolved").Should().Be(1, "the retry does not record the change twice");
    }

    [Fact]
    public async Task A_status_change_naming_a_version_that_moved_on_meanwhile_answers_409_and_changes_nothing()
    {
        var agent = await _server.StaffAsync(Demo.Agent1);
        var ticket = await agent.TicketInStatusAsync(TicketStatus.Assigned);
        var number = ticket.Ticket.Number;

        fixture.Clash.ArmFor(number);
        var response = await agent.Http.PostAsJsonAsync($"/api/tickets/{number}/status",
            new { status = "Resolved", expectedVersion = ticket.Ticket.Version });

        response.StatusCode.Should().Be(HttpStatusCode.Conflict, "the agent decided on the version they saw");
        (await agent.GetTicketAsync(number)).Ticket.Status.Should().Be(TicketStatus.Assigned);
    }
}
