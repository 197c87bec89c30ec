using Hangfire;
using Hangfire.PostgreSql;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Sla;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tests.Sla;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.PostgreSql;

/// <summary>One PostgreSQL cluster and one app on a database of its own, with demo data (off by default on a networked database).</summary>
public sealed class PostgreSqlAppFixture : IAsyncLifetime
{
    public PostgreSqlServer Database { get; private set; } = null!;
    public HelpdeskServer App { get; private set; } = null!;
    public string ConnectionString { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await PostgreSqlServer.StartAsync();
        ConnectionString = await Database.CreateDatabaseAsync();
        App = SlaTestKit.FastJobsServer("Database:Provider=PostgreSql", $"ConnectionStrings:Helpdesk={ConnectionString}", "Demo:Enabled=true");
        await App.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}

/// <summary>
/// Issue 11 point 2: PostgreSQL as a supported provider, against a real server. The app migrates a
/// fresh database, seeds, and the paths that use provider-specific SQL work on it: the chat
/// writer's untracked INSERT ... RETURNING, case-insensitive search (ILIKE), Hangfire's own
/// PostgreSQL storage running the SLA timers.
/// </summary>
public sealed class PostgreSqlTests(PostgreSqlAppFixture fixture) : IClassFixture<PostgreSqlAppFixture>
{
    private HelpdeskServer App => fixture.App;

    [Fact]
    public async Task A_fresh_database_is_migrated_to_the_model_and_seeded()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        db.Database.ProviderName.Should().Be("Npgsql.EntityFrameworkCore.PostgreSQL");
        (await db.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
        db.Database.HasPendingModelChanges().Should().BeFalse();
        (await db.Users.CountAsync()).Should().BeGreaterThanOrEqualTo(4, "the demo staff were seeded");
        (await db.Tickets.CountAsync()).Should().BeGreaterThan(0, "the demo tickets were seeded");
        App.Services.GetRequiredService<JobStorage>().Should().BeOfType<PostgreSqlStorage>("several nodes share one job store");
    }

    [Fact]
    public async Task Tickets_are_created_answered_resolved_and_found_by_text_without_regard_to_case()
    {
        var agent = await App.StaffAsync(Demo.Agent1);
        var word = TicketsClient.UniqueWord("Kettle");
        var ticket = await agent.NewTicketAsync($"The {word} leaks", description: "时间 2026-11-23 下单，水壶漏水。", assigneeId: agent.Id);
        await agent.PostMessageAsync(ticket.Ticket.Number, "replies", "我们马上为您换货。");
        await agent.SetStatusAsync(ticket.Ticket.Number, TicketStatus.Resolved);

        var found = await agent.Http.GetFromJsonAsync<Helpdesk.Web.Tickets.TicketPage>($"/api/tickets?q={word.ToLowerInvariant()}", TestJson.Options);
        found!.Items.Should().ContainSingle().Which.Number.Should().Be(ticket.Ticket.Number);
        var detail = await agent.GetTicketAsync(ticket.Ticket.Number);
        detail.Ticket.Status.Should().Be(TicketStatus.Resolved);
        detail.Timeline.Should().Contain(m => m.Kind == MessageKind.Agent && m.Body == "我们马上为您换货。");
        detail.Ticket.CreatedAt.Kind.Should().Be(DateTimeKind.Utc);
        detail.Ticket.CreatedAt.Should().Be(App.Clock.GetUtcNow().UtcDateTime, "timestamptz keeps the instant exactly");
    }

    [Fact]
    public async Task Chat_messages_go_through_the_untracked_writer_and_come_back_in_order_exactly_once()
    {
        await using var customer = await ChatConnection.VisitorAsync(App);
        var started = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("你好，我想问一下物流", Guid.NewGuid().ToString("N"), "陈先生", null));
        var ids = Enumerable.Range(1, 12).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        var acks = await Task.WhenAll(ids.Select((id, i) =>
            customer.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, id, $"消息 {i + 1}"))));
        var resent = await customer.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, ids[3], "消息 4"));

        resent.Duplicate.Should().BeTrue();
        resent.MessageId.Should().Be(acks[3].MessageId);
        var history = await customer.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), started.TicketNumber, 0);
        history.Where(m => m.ClientMessageId != null && ids.Contains(m.ClientMessageId)).Select(m => m.ClientMessageId)
            .Should().BeEquivalentTo(ids, "every acknowledged message is stored once");
        history.Select(m => m.Sequence).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        App.Services.GetRequiredService<ChatMessageWriter>().UntrackedBatches.Should().BeGreaterThan(0, "the fast path ran on PostgreSQL");
    }

    [Fact]
    public async Task An_SLA_breach_job_runs_from_the_PostgreSQL_job_store_and_escalates()
    {
        var agent = await App.StaffAsync(Demo.Agent1);
        var number = (await agent.NewTicketAsync("Question about the warranty card", assigneeId: agent.Id)).Ticket.Number;
        await agent.ScheduledAsync(number);
        var timer = await App.TimerAsync(number);
        App.Services.GetRequiredService<JobStorage>().GetConnection().GetJobData(timer.JobId!).Should().NotBeNull("the timer is stored in PostgreSQL");

        App.Clock.Advance(TimeSpan.FromHours(4.5));
        App.RunNow(timer.JobId!);

        var escalated = await agent.EscalatedToAsync(number, 2);
        escalated.Escalation.Reasons.Should().Contain("sla_breach:first_response");
    }
}
