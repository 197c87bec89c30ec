using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Chat;

/// <summary>
/// The chat writer's group commit has two paths: plain messages are written without EF's change
/// tracker (one INSERT each, one version-guarded UPDATE per ticket); anything that changes more
/// than the timeline goes through the aggregate and EF. Both must store the same thing.
/// </summary>
public sealed class ChatMessageWriterTests : IClassFixture<HelpdeskServer>
{
    private readonly HelpdeskServer _server;

    public ChatMessageWriterTests(HelpdeskServer server) => _server = server;

    private ChatMessageWriter Writer => _server.Services.GetRequiredService<ChatMessageWriter>();

    private async Task<Ticket> OpenAsync(string subject, Guid? assignee = null)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var tickets = scope.ServiceProvider.GetRequiredService<TicketService>();
        return await tickets.CreateAsync(new NewTicket(subject, TicketType.Inquiry, TicketChannel.Chat, Description: "你好", AssigneeId: assignee), Actor.Customer(null, "王芳"));
    }

    private async Task<T> QueryAsync<T>(Func<HelpdeskDbContext, Task<T>> query)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>());
    }

    [Fact]
    public async Task A_burst_into_several_conversations_is_stored_in_order_with_every_column_and_the_ticket_versions_moved()
    {
        var tickets = new List<Ticket>();
        for (var i = 0; i < 4; i++)
            tickets.Add(await OpenAsync($"并发 {i}"));
        var before = await QueryAsync(db => db.Tickets.AsNoTracking().Where(t => tickets.Select(x => x.Id).Contains(t.Id)).ToDictionaryAsync(t => t.Id));
        var now = _server.Clock.GetUtcNow().UtcDateTime;
        var untracked = Writer.UntrackedBatches;

        // Sent together, so the writer stores them in shared transactions.
        var sends = tickets.SelectMany(t => Enumerable.Range(1, 30).Select(n =>
            (Ticket: t, N: n, Task: Writer.AppendAsync(new ChatAppend(t.Number, $"消息 {n} <b>不是标记</b>", Actor.Customer(77, "王芳"), null, $"{t.Number}-{n}"))))).ToList();
        await Task.WhenAll(sends.Select(s => s.Task));

        foreach (var ticket in tickets)
        {
            var stored = await QueryAsync(db => db.TicketMessages.AsNoTracking().Where(m => m.TicketId == ticket.Id).OrderBy(m => m.Sequence).ToListAsync());
            var first = before[ticket.Id].LastSequence;
            var appended = stored.Where(m => m.Sequence > first).ToList();
            appended.Select(m => m.Body).Should().Equal(Enumerable.Range(1, 30).Select(n => $"消息 {n} <b>不是标记</b>"), "each conversation keeps its order");
            appended.Select(m => m.Sequence).Should().Equal(Enumerable.Range(first + 1, 30), "sequences have no gaps");
            appended.Should().AllSatisfy(m =>
            {
                m.Kind.Should().Be(MessageKind.Customer);
                m.AuthorKind.Should().Be(ActorKind.Customer);
                m.AuthorId.Should().Be("77");
                m.AuthorName.Should().Be("王芳");
                m.CreatedAt.Should().Be(now);
                m.CreatedAt.Kind.Should().Be(DateTimeKind.Utc);
                m.AttachmentId.Should().BeNull();
            });
            appended.Select(m => m.ClientMessageId).Should().Equal(Enumerable.Range(1, 30).Select(n => $"{ticket.Number}-{n}"));

            var after = await QueryAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.Id == ticket.Id));
            after.LastSequence.Should().Be(first + 30);
            after.Version.Should().Be(before[ticket.Id].Version + 30);
            after.Status.Should().Be(before[ticket.Id].Status, "a plain message changes no status");
        }

        Writer.UntrackedBatches.Should().BeGreaterThan(untracked, "plain messages take the path without the change tracker");

        // Every sender got the id and sequence of what was stored.
        foreach (var s in sends)
        {
            var result = await s.Task;
            result.Duplicate.Should().BeFalse();
            result.Message.Id.Should().BePositive();
            result.Message.TicketId.Should().Be(s.Ticket.Id);
            var stored = await QueryAsync(db => db.TicketMessages.AsNoTracking().SingleAsync(m => m.Id == result.Message.Id));
            stored.ClientMessageId.Should().Be($"{s.Ticket.Number}-{s.N}");
            stored.Sequence.Should().Be(result.Message.Sequence);
        }
    }

    [Fact]
    public async Task A_resend_in_a_later_batch_gets_the_stored_message_and_adds_nothing()
    {
        var ticket = await OpenAsync("重发");
        var first = await Writer.AppendAsync(new ChatAppend(ticket.Number, "一次", Actor.Customer(null, "王芳"), null, "once"));
        var others = Enumerable.Range(0, 10).Select(n => Writer.AppendAsync(new ChatAppend(ticket.Number, $"其他 {n}", Actor.Customer(null, "王芳"), null, $"other-{n}"))).ToList();
        var again = Writer.AppendAsync(new ChatAppend(ticket.Number, "一次", Actor.Customer(null, "王芳"), null, "once"));
        await Task.WhenAll(others);

        var resent = await again;
        resent.Duplicate.Should().BeTrue();
        resent.Message.Id.Should().Be(first.Message.Id);
        resent.Message.Sequence.Should().Be(first.Message.Sequence);
        (await QueryAsync(db => db.TicketMessages.CountAsync(m => m.TicketId == ticket.Id && m.ClientMessageId == "once"))).Should().Be(1);
        (await QueryAsync(db => db.TicketMessages.CountAsync(m => m.TicketId == ticket.Id && m.ClientMessageId!.StartsWith("other-")))).Should().Be(10,
            "the messages that shared a batch with the resend are all stored");
    }

    [Fact]
    public async Task A_message_that_changes_the_ticket_status_goes_through_the_aggregate_and_records_history()
    {
        var agent = await QueryAsync(db => db.Users.Where(u => u.Email == "agent1@demo.local").Select(u => u.Id).SingleAsync());
        var ticket = await OpenAsync("等待客户", agent);
        await using (var scope = _server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<TicketService>().ChangeStatusAsync(ticket.Number, TicketStatus.WaitingOnCustomer, Actor.Staff(agent, "Agent"), null, null);
        var plain = await OpenAsync("旁边的会话");

        // The two share a batch: one needs EF's path, the other would not.
        var reply = Writer.AppendAsync(new ChatAppend(ticket.Number, "我回来了", Actor.Customer(null, "王芳"), null, "back"));
        var side = Writer.AppendAsync(new ChatAppend(plain.Number, "顺便问一下", Actor.Customer(null, "王芳"), null, "side"));
        await Task.WhenAll(reply, side);

        var stored = await QueryAsync(db => db.Tickets.AsNoTracking().Include(t => t.History).SingleAsync(t => t.Id == ticket.Id));
        stored.Status.Should().Be(TicketStatus.Assigned, "a customer's answer hands the ticket back to the agent");
        stored.History.Should().Contain(h => h.Field == "status" && h.To == nameof(TicketStatus.Assigned));
        (await QueryAsync(db => db.TicketMessages.CountAsync(m => m.ClientMessageId == "side" && m.TicketId == plain.Id))).Should().Be(1);
    }

    [Fact]
    public async Task A_message_into_an_ended_chat_is_refused_alone()
    {
        var ended = await OpenAsync("已结束");
        await using (var scope = _server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<TicketService>().EndChatAsync(ended.Number, Actor.Customer(null, "王芳"));
        var open = await OpenAsync("进行中");

        var refused = Writer.AppendAsync(new ChatAppend(ended.Number, "还在吗", Actor.Customer(null, "王芳"), null, "late"));
        var accepted = Writer.AppendAsync(new ChatAppend(open.Number, "在的", Actor.Customer(null, "王芳"), null, "fine"));

        await FluentActions.Awaiting(() => refused).Should().ThrowAsync<TicketRuleException>().Where(e => e.Code == "chat_ended");
        (await accepted).Message.Id.Should().BePositive();
    }
}
