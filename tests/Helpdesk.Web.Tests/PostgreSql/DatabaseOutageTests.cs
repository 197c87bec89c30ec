using System.Net;
using Helpdesk.Web.Email;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.PostgreSql;

/// <summary>The mail bed on a PostgreSQL database of its own, which a test can stop and start.</summary>
public sealed class OutageBed : EmailTestBed
{
    private string _connection = null!;
    public PostgreSqlServer Database { get; private set; } = null!;

    protected override IEnumerable<string> ExtraSettings => ["Database:Provider=PostgreSql", $"ConnectionStrings:Helpdesk={_connection}", "Demo:Enabled=true"];

    public override async Task InitializeAsync()
    {
        Database = await PostgreSqlServer.StartAsync();
        _connection = await Database.CreateDatabaseAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}

/// <summary>
/// Issue 11 point 3: the database unreachable for a while. The API answers 503 problem details
/// (retry later) instead of hanging or a 500; mail intake stops taking mail (leaving it unmarked on
/// the server) and takes it once the database is back; nothing accepted before is lost.
/// </summary>
public sealed class DatabaseOutageTests(OutageBed bed) : IClassFixture<OutageBed>
{
    [Fact]
    public async Task While_the_database_is_down_the_API_answers_503_and_mail_waits_on_the_server_then_everything_resumes()
    {
        var agent = await bed.App.StaffAsync(Demo.Agent1);
        var before = TicketsClient.UniqueWord("before");
        await bed.AppendAsync(RawMail.Simple($"{before}@mail.example.cn", $"Before {before}", $"mail before the outage {before}", $"{before}@mail.example.cn"));
        var first = await bed.TicketWithAsync(before, agent);

        await bed.Database.StopAsync();
        try
        {
            var list = await agent.Http.GetAsync("/api/tickets");
            var problem = await list.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
            problem.GetProperty("code").GetString().Should().Be("database_unavailable");
            list.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(5));
            var create = await agent.Http.PostAsJsonAsync("/api/tickets", new { subject = "during the outage", type = "Inquiry", priority = "Normal", category = "None", description = "x" });
            create.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "a write is refused clearly, not half done");
            (await agent.Http.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

            var during = TicketsClient.UniqueWord("during");
            await bed.AppendAsync(RawMail.Simple($"{during}@mail.example.cn", $"During {during}", $"mail during the outage {during}", $"{during}@mail.example.cn"));
            var status = bed.App.Services.GetRequiredService<MailIntakeStatus>();
            await Eventually.TrueAsync(() => Task.FromResult(status.Of("support")?.Problem is not null), "the intake to notice the outage");
            (await bed.FlagCountsAsync()).Unflagged.Should().BeGreaterThanOrEqualTo(1, "the mail stays unmarked on the server while it cannot be committed");

            await bed.Database.StartAgainAsync();
            // The intake waits its back-off on the app's clock.
            bed.App.Clock.Advance(TimeSpan.FromMinutes(2));
            var taken = await bed.TicketWithAsync(during, agent);
            taken.Ticket.Subject.Should().Be($"During {during}");
            await Eventually.TrueAsync(async () => (await bed.FlagCountsAsync()).Unflagged == 0, "every mail marked after its commit");
            (await agent.Http.GetFromJsonAsync<TicketPage>($"/api/tickets?q={during}", TestJson.Options))!.Items.Should().ContainSingle("taken once");
            (await agent.GetTicketAsync(first.Ticket.Number)).Ticket.Subject.Should().Be($"Before {before}", "what was accepted before the outage is all there");
            (await agent.Http.GetFromJsonAsync<TicketPage>("/api/tickets?q=during%20the%20outage", TestJson.Options))!.Items
                .Should().NotContain(t => t.Subject == "during the outage", "the refused create left nothing behind");
        }
        finally
        {
            try { await bed.Database.StartAgainAsync(); } catch (InvalidOperationException) { } // already running
        }
    }
}
