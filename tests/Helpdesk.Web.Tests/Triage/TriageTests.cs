using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Helpdesk.Core.Tickets;
using Helpdesk.Core.Triage;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Infrastructure;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;
using Helpdesk.Web.Triage;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Triage;

/// <summary>Every ticket event the app published, as the escalation feature would receive them.</summary>
public sealed class RecordedEvents : ITicketEventListener
{
    public ConcurrentQueue<TicketEvent> All { get; } = new();

    public Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        All.Enqueue(e);
        return Task.CompletedTask;
    }
}

public sealed class TriageServerFixture : IAsyncLifetime
{
    public RecordedEvents Events { get; } = new();
    public HelpdeskServer Server { get; }

    public TriageServerFixture()
    {
        Server = new HelpdeskServer();
        Server.Configure.Add(b => b.Services.AddSingleton<ITicketEventListener>(Events));
    }

    public Task InitializeAsync() => Server.InitializeAsync();
    public Task DisposeAsync() => Server.DisposeAsync();
}

public sealed class TriageTests(TriageServerFixture fixture) : IClassFixture<TriageServerFixture>
{
    private readonly HelpdeskServer _server = fixture.Server;

    private async Task<TicketTriageView> TriageOfAsync(StaffClient client, long number)
    {
        var response = await client.Http.GetAsync($"/api/tickets/{number}/triage");
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadAsync<TicketTriageView>();
    }

    private async Task<(int General, int Complaints)> QueuesOfAsync(int teamId)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        var queues = await db.Queues.Where(q => q.TeamId == teamId).ToListAsync();
        return (queues.Single(q => !q.IsComplaintQueue).Id, queues.Single(q => q.IsComplaintQueue).Id);
    }

    [Fact]
    public async Task Web_form_complaint_is_triaged_routed_to_the_complaint_queue_and_prioritised()
    {
        using var visitor = new HttpClient { BaseAddress = _server.BaseAddress };
        var email = $"{TicketsClient.UniqueWord("c")}@example.com";
        var receipt = await (await visitor.PostAsJsonAsync("/api/public/tickets", new
        {
            name = "周洁", email, subject = "退款问题", description = "退款申请提交两周了还没到账，你们到底什么时候处理？太过分了！",
        })).ShouldBeAsync(HttpStatusCode.Created);
        var number = receipt.GetProperty("number").GetInt64();

        var agent = await _server.StaffAsync(Demo.Agent2);
        var ticket = await agent.GetTicketAsync(number);
        ticket.Ticket.Type.Should().Be(TicketType.Complaint, "the visitor chose no type; triage found a complaint");
        ticket.Ticket.Category.Should().Be(AfterSalesCategory.Refund);
        var (_, complaints) = await QueuesOfAsync(ticket.Ticket.TeamId!.Value);
        ticket.Ticket.QueueId.Should().Be(complaints);
        ticket.History.Should().Contain(h => h.Field == "type" && h.ActorKind == ActorKind.System && h.To == "Complaint"
            && h.Reason!.StartsWith("triage rule "));
        ticket.Timeline.Should().NotContain(m => m.Kind == MessageKind.System && m.AuthorName == "triage", "triage writes history, not the conversation");

        var triage = await TriageOfAsync(agent, number);
        triage.HandlingMode.Should().Be(HandlingMode.Immediate, "money complaints are handled at once");
        triage.Flags.Should().Contain(nameof(TriageFlags.MoneyAtStake));
        triage.Latest!.Explanation.Fired.Should().Contain(f => f.RuleId == "category.refund" && f.Spans.Any(s => s.Text == "退款"));
        triage.Latest.Applied.Should().Contain(["type", "category", "queue", "handling"]);
        ticket.Ticket.Priority.Should().Be(TriageOutcome.PriorityFor(triage.Latest.Severity) is var p && p > TicketPriority.Normal ? p : TicketPriority.Normal,
            "priority follows severity (P1 Urgent … P4 Low) but never drops below what the ticket had");
    }

    [Fact]
    public async Task Threat_raises_the_flag_event_once_for_the_escalation_ladder()
    {
        var agent = await _server.StaffAsync(Demo.Agent2);
        var created = await agent.NewTicketAsync(subject: "Order never arrived", type: "Inquiry", customerId: 1,
            description: "Three weeks and nothing. If I don't get my money back I will file a chargeback and talk to my lawyer.");
        var number = created.Ticket.Number;

        var raised = fixture.Events.All.OfType<TriageFlagRaised>().Where(e => e.Ticket.Number == number).ToList();
        raised.Should().ContainSingle().Which.Raised.Should().HaveFlag(TriageFlags.RegulatorOrMediaThreat);
        raised[0].RuleIds.Should().Contain("flag.threat");
        fixture.Events.All.OfType<TicketTriaged>().Should().Contain(e => e.Ticket.Number == number && e.Changed.Contains("type"));
        created.Ticket.Type.Should().Be(TicketType.Complaint, "the answer of the create already shows the triaged ticket");
        created.Ticket.Priority.Should().BeOneOf(TicketPriority.High, TicketPriority.Urgent);

        await agent.PostMessageAsync(number, "customer-messages", "I said it before: my lawyer is ready and I will sue.");
        fixture.Events.All.OfType<TriageFlagRaised>().Count(e => e.Ticket.Number == number)
            .Should().Be(1, "a flag the ticket has is not raised again");
        var triage = await TriageOfAsync(agent, number);
        triage.Results.Should().HaveCount(2, "the ticket and the later customer message were each triaged");
        triage.Results[0].MessageId.Should().NotBeNull();
        triage.Flags.Should().Contain(nameof(TriageFlags.RegulatorOrMediaThreat));
        (await agent.GetTicketAsync(number)).History.Should().Contain(h => h.Field == "flags" && h.To!.Contains("RegulatorOrMediaThreat"));
    }

    [Fact]
    public async Task A_chat_turns_into_a_complaint_when_the_customer_complains()
    {
        await using var customer = await ChatConnection.VisitorAsync(_server);
        var started = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("你好，请问这款耳机支持降噪吗？", Guid.NewGuid().ToString("N"), "林女士", null));
        var agent = await _server.StaffAsync(Demo.Supervisor);
        var before = await agent.GetTicketAsync(started.TicketNumber);
        before.Ticket.Type.Should().Be(TicketType.Inquiry);

        await customer.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, Guid.NewGuid().ToString("N"),
            "上次买的耳机用了三天就坏了，客服态度还很差，我要投诉！"));

        // Chat messages are triaged off the writer's path (ChatTriageQueue): wait for its pass.
        var queue = _server.Services.GetRequiredService<ChatTriageQueue>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!(queue.Idle && (await agent.GetTicketAsync(started.TicketNumber)).Ticket.Type == TicketType.Complaint) && waited.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(20);
        var after = await agent.GetTicketAsync(started.TicketNumber);
        after.Ticket.Type.Should().Be(TicketType.Complaint);
        var (_, complaints) = await QueuesOfAsync(after.Ticket.TeamId!.Value);
        after.Ticket.QueueId.Should().Be(complaints);
        after.Ticket.Priority.Should().BeOneOf(TicketPriority.Normal, TicketPriority.High, TicketPriority.Urgent);
        (await TriageOfAsync(agent, started.TicketNumber)).Latest!.Explanation.Fired.Should().Contain(f => f.RuleId == "complaint.explicit");
    }

    private async Task UntilTriageIdleAsync()
    {
        var queue = _server.Services.GetRequiredService<ChatTriageQueue>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!queue.Idle && waited.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(20);
        queue.Idle.Should().BeTrue("the triage queue finishes its pass");
    }

    [Fact]
    public async Task A_busy_chat_is_triaged_at_its_first_message_then_at_most_every_interval_with_the_messages_between_together()
    {
        var queue = _server.Services.GetRequiredService<ChatTriageQueue>();
        await using var customer = await ChatConnection.VisitorAsync(_server);
        var started = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("你好，想问一下发货时间", Guid.NewGuid().ToString("N"), "赵女士", null));
        var agent = await _server.StaffAsync(Demo.Supervisor);
        Task<ChatAck> Say(string text) => customer.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, Guid.NewGuid().ToString("N"), text));

        await Say("耳机收到就是坏的，我要投诉！");
        await UntilTriageIdleAsync();
        var first = await TriageOfAsync(agent, started.TicketNumber);
        first.Latest!.Type.Should().Be(TicketType.Complaint, "the conversation's first message is triaged at once");
        var passes = queue.Passes;

        // Within the interval: held back, then triaged together.
        await Say("到现在也没人理我");
        var threat = await Say("再不处理我就打12315");
        queue.Idle.Should().BeFalse("the two messages wait for the interval");
        queue.Passes.Should().Be(passes);
        (await TriageOfAsync(agent, started.TicketNumber)).Results.Should().HaveCount(first.Results.Count);

        _server.Clock.Advance(TimeSpan.FromSeconds(11));
        await UntilTriageIdleAsync();
        queue.Passes.Should().Be(passes + 1, "one pass for both messages");
        var after = await TriageOfAsync(agent, started.TicketNumber);
        after.Results.Should().HaveCount(first.Results.Count + 1);
        after.Latest!.MessageId.Should().Be(threat.MessageId, "the pass is recorded against the last message it read");
        after.Flags.Should().Contain(nameof(TriageFlags.RegulatorOrMediaThreat));

        // A pass that only repeats the last result stores nothing.
        _server.Clock.Advance(TimeSpan.FromSeconds(11));
        await Say("12315 我已经在准备了");
        await UntilTriageIdleAsync();
        (await TriageOfAsync(agent, started.TicketNumber)).Results.Should().HaveCount(after.Results.Count);
    }

    [Fact]
    public async Task An_inquiry_stays_in_the_general_queue_and_its_result_is_stored()
    {
        var agent = await _server.StaffAsync(Demo.Agent1);
        var created = await agent.NewTicketAsync(subject: "营业时间", description: "请问你们周末几点开门？");
        created.Ticket.Type.Should().Be(TicketType.Inquiry);
        var (general, _) = await QueuesOfAsync(created.Ticket.TeamId!.Value);
        created.Ticket.QueueId.Should().Be(general);
        var triage = await TriageOfAsync(agent, created.Ticket.Number);
        triage.Latest!.Type.Should().Be(TicketType.Inquiry);
        triage.Latest.Severity.Should().Be(TriageSeverity.P4);
        created.History.Should().NotContain(h => h.Field == "type" || h.Field == "priority");
    }

    [Fact]
    public async Task What_an_agent_set_by_hand_is_not_changed_by_later_triage()
    {
        var agent = await _server.StaffAsync(Demo.Agent2);
        var created = await agent.NewTicketAsync(subject: "Question", description: "How do I pair the headphones?");
        var number = created.Ticket.Number;
        var patch = await agent.Http.PatchAsJsonAsync($"/api/tickets/{number}", new { priority = "Low" });
        await patch.ShouldBeAsync(HttpStatusCode.OK);

        await agent.PostMessageAsync(number, "customer-messages", "This is the third time I ask!! Terrible service, I want to file a complaint now.");

        var after = await agent.GetTicketAsync(number);
        after.Ticket.Type.Should().Be(TicketType.Complaint, "the type was never set by hand");
        after.Ticket.Priority.Should().Be(TicketPriority.Low, "the agent chose Low; automatic triage does not overrule a person");
        (await TriageOfAsync(agent, number)).ManualFields.Should().Contain("Priority");
    }

    [Fact]
    public async Task Agent_corrects_a_result_the_correction_is_kept_and_counted_in_accuracy()
    {
        var agent = await _server.StaffAsync(Demo.Agent2);
        var supervisor = await _server.StaffAsync(Demo.Supervisor);
        var before = await (await supervisor.Http.GetAsync("/api/triage/accuracy?period=day")).ReadAsync<TriageAccuracy>();
        var created = await agent.NewTicketAsync(subject: "Delivery", description: "Not happy: the parcel arrived a week late and the box was crushed.");
        var number = created.Ticket.Number;
        created.Ticket.Type.Should().Be(TicketType.Complaint);

        var response = await agent.PostJsonAsync($"/api/tickets/{number}/triage/correction", new { type = "Inquiry", category = "OrderException", severity = "P4" });
        var view = (await response.ShouldBeAsync(HttpStatusCode.Created)).Deserialize<TicketTriageView>(TestJson.Options)!;
        view.Corrections.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            StaffId = agent.Id, FromType = TicketType.Complaint, ToType = TicketType.Inquiry, ToCategory = AfterSalesCategory.OrderException, ToSeverity = TriageSeverity.P4,
        });
        var ticket = await agent.GetTicketAsync(number);
        ticket.Ticket.Type.Should().Be(TicketType.Inquiry);
        ticket.Ticket.Priority.Should().Be(TicketPriority.Low);
        ticket.History.Should().Contain(h => h.Field == "type" && h.ActorKind == ActorKind.Staff && h.Reason == "triage correction");

        // A later complaint-like message does not undo the agent's correction.
        await agent.PostMessageAsync(number, "customer-messages", "Still angry about this, unacceptable!");
        (await agent.GetTicketAsync(number)).Ticket.Type.Should().Be(TicketType.Inquiry);

        var after = await (await supervisor.Http.GetAsync("/api/triage/accuracy?period=day")).ReadAsync<TriageAccuracy>();
        after.Corrected.Should().Be(before.Corrected + 1);
        after.Triaged.Should().BeGreaterThanOrEqualTo(before.Triaged + 1);
        after.Buckets.Should().ContainSingle(b => b.Start == DateOnly.FromDateTime(_server.Clock.GetUtcNow().UtcDateTime))
            .Which.TypeAccuracy.Should().BeLessThan(1);
        after.Accuracy.Should().BeApproximately((after.Triaged - after.Corrected) / (double)after.Triaged, 0.0001);
        var weekly = await (await supervisor.Http.GetAsync("/api/triage/accuracy?period=week")).ReadAsync<TriageAccuracy>();
        weekly.Buckets.Should().OnlyContain(b => b.Start.DayOfWeek == DayOfWeek.Monday);
    }

    [Fact]
    public async Task Bad_corrections_and_accuracy_queries_are_refused_clearly()
    {
        var agent = await _server.StaffAsync(Demo.Agent2);
        var created = await agent.NewTicketAsync(description: "请问怎么开发票？");
        await (await agent.PostJsonAsync($"/api/tickets/{created.Ticket.Number}/triage/correction", new { }))
            .ShouldBeInvalidAsync("type");
        await (await agent.PostJsonAsync($"/api/tickets/{created.Ticket.Number}/triage/correction", new { type = "Complaint", expectedVersion = 1 }))
            .ShouldBeRefusedAsync("stale_version");
        await (await agent.PostJsonAsync("/api/tickets/999999/triage/correction", new { type = "Complaint" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await agent.ShouldBeUnchangedAsync(created);
        var supervisor = await _server.StaffAsync(Demo.Supervisor);
        await (await supervisor.Http.GetAsync("/api/triage/accuracy?period=month")).ShouldBeInvalidAsync("period");
        await (await supervisor.Http.GetAsync("/api/triage/accuracy?from=2026-12-01&to=2026-11-01")).ShouldBeInvalidAsync("to");
        (await agent.Http.GetAsync("/api/triage/accuracy")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "accuracy is for supervisors");
    }
}

