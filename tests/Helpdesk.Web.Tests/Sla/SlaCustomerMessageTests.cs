using Helpdesk.Core.Sla;
using Helpdesk.Web.Sla;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Sla;

/// <summary>
/// A customer message while a response clock already runs cannot move a deadline, so the SLA worker
/// settles it with one read instead of a recomputation; the message after an agent's reply still
/// starts the next-response clock.
/// </summary>
public sealed class SlaCustomerMessageTests : IAsyncLifetime
{
    private readonly HelpdeskServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();
    public Task DisposeAsync() => _server.DisposeAsync();

    private SlaWorker Worker => _server.Services.GetRequiredService<SlaWorker>();

    private Task IdleAsync() => Eventually.ReturnsAsync(() => Task.FromResult(Worker.Pending), p => p == 0, "the SLA worker to be idle");

    [Fact]
    public async Task A_second_customer_message_is_settled_without_recomputing_and_the_one_after_a_reply_starts_the_next_response_clock()
    {
        var agent = await _server.StaffAsync(Demo.Agent1);
        var created = await agent.NewTicketAsync(subject: "发票抬头", customerId: 1, description: "发票抬头写错了，能重开吗？");
        var number = created.Ticket.Number;
        var first = await agent.ScheduledAsync(number);
        var firstDue = first.Targets.Single(t => t.Target == SlaTarget.FirstResponse).DueAt;
        firstDue.Should().NotBeNull("the first-response clock runs");
        await IdleAsync();

        var skippedBefore = Worker.SkippedCustomerMessages;
        await agent.PostMessageAsync(number, "customer-messages", "补充一下：公司税号是 91310000MA1FL0XXXX。");
        await IdleAsync();
        Worker.SkippedCustomerMessages.Should().Be(skippedBefore + 1, "the first-response clock was already running");
        var after = await agent.SlaAsync(number);
        after.SlaVersion.Should().Be(first.SlaVersion, "nothing was recomputed or written");
        after.Targets.Single(t => t.Target == SlaTarget.FirstResponse).DueAt.Should().Be(firstDue);

        // The view's targets are replayed live from the timeline; SlaVersion counts the worker's writes.
        // The worker is posted to before the request answers, so "idle" means the message was handled.
        await agent.PostMessageAsync(number, "replies", "可以的，请把正确的抬头发给我们。");
        await IdleAsync();
        var answered = await agent.SlaAsync(number);
        answered.Targets.Single(t => t.Target == SlaTarget.FirstResponse).StoppedAt.Should().NotBeNull("the first response is recorded");
        answered.Targets.Should().NotContain(t => t.Target == SlaTarget.NextResponse && t.StoppedAt == null, "nobody is waiting for us");

        var skippedBeforeQuestion = Worker.SkippedCustomerMessages;
        await agent.PostMessageAsync(number, "customer-messages", "抬头是：上海某某贸易有限公司。");
        await IdleAsync();
        var waiting = await agent.SlaAsync(number);
        waiting.Targets.Should().Contain(t => t.Target == SlaTarget.NextResponse && t.StoppedAt == null && t.DueAt != null, "the next-response clock runs");
        waiting.SlaVersion.Should().BeGreaterThan(answered.SlaVersion, "the worker stored the new deadline");
        Worker.SkippedCustomerMessages.Should().Be(skippedBeforeQuestion, "no response clock ran when this message came, so it was recomputed");
    }
}
