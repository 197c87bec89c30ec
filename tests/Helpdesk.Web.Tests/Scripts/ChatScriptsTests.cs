using System.Net;
using Helpdesk.Core.Chat;
using Helpdesk.Core.Scripts;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Scripts;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Scripts;

/// <summary>
/// Scripts said in live chats over real SignalR clients: the greeting on accept, the queue
/// greeting, the closing, the idle protocol on the fake clock, and the guard on hub sends.
/// A fresh server per test: presence, queues and the clock are state of the whole app.
/// </summary>
public sealed class ChatScriptsTests : IAsyncLifetime
{
    private const string Greeting = "您好，欢迎咨询演示商城客户服务，客服代表李娜 Li Na很高兴为您服务，请问有什么可以帮助您？";
    private readonly HelpdeskServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();
    public Task DisposeAsync() => _server.DisposeAsync();

    private static string NewId() => Guid.NewGuid().ToString("N");

    private async Task<(StaffClient Http, ChatConnection Hub)> OnlineAgentAsync(string email = Demo.Agent1)
    {
        var http = await _server.SignedInAsync(email);
        var hub = await ChatConnection.StaffAsync(_server, http);
        await hub.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
        return (http, hub);
    }

    private T Db<T>(Func<HelpdeskDbContext, T> read)
    {
        using var scope = _server.Services.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>());
    }

    private List<TicketMessage> Timeline(long number) =>
        Db(db => db.TicketMessages.AsNoTracking().Where(m => m.TicketId == db.Tickets.Single(t => t.Number == number).Id).OrderBy(m => m.Sequence).ToList());

    /// <summary>A customer starts a chat and the online agent takes it.</summary>
    private async Task<(ChatConnection Customer, ChatConnection Agent, long Number, ChatStarted Accepted)> AcceptedChatAsync(
        string language = "zh-CN", string name = "陈明")
    {
        var (_, agent) = await OnlineAgentAsync();
        var customer = await ChatConnection.VisitorAsync(_server);
        var started = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("你好", NewId(), name, null, language));
        await agent.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), o => o.TicketNumber == started.TicketNumber);
        var accepted = await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), started.TicketNumber);
        return (customer, agent, started.TicketNumber, accepted);
    }

    [Fact]
    public async Task Accepting_a_chat_sends_the_approved_greeting_in_the_agents_name_stored_like_any_message()
    {
        var (customer, agent, number, accepted) = await AcceptedChatAsync();
        await using var _ = customer;

        var atCustomer = await customer.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Kind == MessageKind.Agent);
        atCustomer.Body.Should().Be(Greeting);
        atCustomer.AuthorName.Should().Be("李娜 Li Na");
        atCustomer.ClientMessageId.Should().Be(ChatScripts.GreetingId(Db(db => db.Users.Single(u => u.Email == Demo.Agent1).Id)));
        (await agent.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Kind == MessageKind.Agent)).Body.Should().Be(Greeting);
        accepted.LastSequence.Should().Be(atCustomer.Sequence, "Accept answers after the greeting is committed");
        Timeline(number).Where(m => m.Kind == MessageKind.Agent).Select(m => m.Body).Should().Equal(Greeting);

        // Accepting again (a double click, a retry) greets once.
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), number);
        Timeline(number).Count(m => m.Kind == MessageKind.Agent).Should().Be(1);
    }

    [Fact]
    public async Task An_english_widget_gets_the_english_greeting_and_the_known_customer_is_addressed_by_name()
    {
        var supervisor = await _server.SignedInAsync(Demo.Supervisor);
        var created = await supervisor.PostJsonAsync("/api/scripts", new
        {
            kind = "Greeting", name = "Pre-sales greeting", language = "en", teamId = Db(db => db.Teams.Single(t => t.Key == "pre-sales").Id), channel = "Chat",
            text = "Hello {customer.salutation}, welcome to {company}! {agent.name} here.",
        });
        var script = await created.ReadAsync<ScriptDto>();

        // A draft is never said to a customer: the language-wide approved greeting is.
        var (first, _, _, _) = await AcceptedChatAsync("en", "David Miller");
        await using (first)
            (await first.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Kind == MessageKind.Agent)).Body
                .Should().Be("Hello, welcome to Demo Shop customer service. This is 李娜 Li Na, happy to help. How may I help you today?");

        (await supervisor.PostJsonAsync($"/api/scripts/{script.Id}/approve", new { })).StatusCode.Should().Be(HttpStatusCode.OK);
        await using var second = await ChatConnection.VisitorAsync(_server);
        var started = await second.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("hi", NewId(), "王先生", null, "en-GB"));
        var (_, agent) = await OnlineAgentAsync();
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), started.TicketNumber);
        (await second.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Kind == MessageKind.Agent)).Body
            .Should().Be("Hello Mr 王, welcome to Demo Shop! 李娜 Li Na here.", "the team's approved chat greeting beats the language-wide one");
        Db(db => db.Tickets.Single(t => t.Number == started.TicketNumber).Language).Should().Be("en");
    }

    [Fact]
    public async Task With_auto_assignment_the_agent_greets_without_accepting()
    {
        await _server.DisposeAsync();
        var server = new HelpdeskServer { Settings = { "Chat:AutoAssign=true" } };
        await server.InitializeAsync();
        try
        {
            var http = await server.SignedInAsync(Demo.Agent1);
            await using var agent = await ChatConnection.StaffAsync(server, http);
            await agent.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
            await using var customer = await ChatConnection.VisitorAsync(server);
            await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("在吗", NewId(), "林女士", null, "zh-CN"));
            (await customer.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Kind == MessageKind.Agent)).Body.Should().Be(Greeting);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_waiting_customer_gets_the_queue_greeting_with_their_position_in_both_languages()
    {
        await using var first = await ChatConnection.VisitorAsync(_server);
        await first.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("有人吗", NewId(), null, null, "zh-CN"));
        await using var second = await ChatConnection.VisitorAsync(_server);
        var mine = await second.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("hello?", NewId(), null, null, "en"));

        var notice = await second.NextAsync<QueueNotice>(nameof(IChatClient.Queue), q => q.TicketNumber == mine.TicketNumber);
        notice.Position.Should().Be(2);
        notice.Greeting!["zh-CN"].Should().Be("您好，欢迎咨询演示商城客户服务！您目前排在第2位，请稍等，客服代表马上为您服务。");
        notice.Greeting["en"].Should().Be("Welcome to Demo Shop customer service! You are number 2 in the queue; an agent will be with you shortly.");
        Timeline(mine.TicketNumber).Should().NotContain(m => m.Kind == MessageKind.Agent, "the queue greeting is a notice, not an agent's message");
    }

    [Fact]
    public async Task The_agent_can_end_with_the_closing_question_which_the_customer_sees_before_the_end()
    {
        var (customer, agent, number, _) = await AcceptedChatAsync();
        await using var _ = customer;
        await agent.Hub.InvokeAsync(nameof(ChatHub.EndChatWithClosing), number);
        var closing = await customer.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Body == "请问还有其他需要帮助的地方吗？");
        closing.Kind.Should().Be(MessageKind.Agent);
        (await customer.NextAsync<ChatEndedNotice>(nameof(IChatClient.ChatEnded))).TicketNumber.Should().Be(number);
        var timeline = Timeline(number);
        timeline.Last(m => m.Kind == MessageKind.Agent).Body.Should().Be("请问还有其他需要帮助的地方吗？");
        timeline.Last().EventCode.Should().Be("status_changed");
        timeline.Should().ContainSingle(m => m.EventCode == "chat_ended").Which.Sequence.Should().BeGreaterThan(closing.Sequence);
        await FluentActions.Awaiting(() => agent.Hub.InvokeAsync(nameof(ChatHub.EndChatWithClosing), number))
            .Should().ThrowAsync<HubException>().WithMessage("*[chat_ended]*");
    }

    [Fact]
    public async Task A_silent_customer_gets_the_idle_prompt_after_120_seconds_then_the_closing_and_the_end_after_120_more()
    {
        var idle = _server.Services.GetRequiredService<ChatIdleProtocol>();
        var (customer, agent, number, _) = await AcceptedChatAsync();
        await using var _ = customer;
        await customer.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Body == Greeting);

        // The customer answers: the clock starts again from the agent's next message.
        _server.Clock.Advance(TimeSpan.FromSeconds(100));
        await customer.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, NewId(), "我想退货"));
        _server.Clock.Advance(TimeSpan.FromSeconds(100));
        (await idle.RunOnceAsync(default)).Should().Be(0, "the customer wrote last");
        await agent.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, NewId(), "好的，请提供订单号"));

        _server.Clock.Advance(TimeSpan.FromSeconds(119));
        (await idle.RunOnceAsync(default)).Should().Be(0, "119 s of silence is not yet 120");
        Timeline(number).Should().NotContain(m => IdleProtocol.IsProtocolMessage(m.ClientMessageId));

        // The protocol's own timer on the fake clock takes it from here.
        _server.Clock.Advance(TimeSpan.FromSeconds(1));
        var prompt = await customer.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => IdleProtocol.IsProtocolMessage(m.ClientMessageId));
        prompt.Body.Should().Be("您好，请问您还在线吗？如果还有问题，请随时告诉我。", "a widget visitor's gender is not known: 您");
        prompt.Kind.Should().Be(MessageKind.Agent);
        prompt.AuthorName.Should().Be("李娜 Li Na");

        _server.Clock.Advance(TimeSpan.FromSeconds(119));
        (await idle.RunOnceAsync(default)).Should().Be(0);
        Db(db => db.Tickets.Single(t => t.Number == number).ChatEndedAt).Should().BeNull();

        _server.Clock.Advance(TimeSpan.FromSeconds(1));
        var closing = await customer.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Body == "请问还有其他需要帮助的地方吗？");
        closing.ClientMessageId.Should().EndWith(":close");
        (await customer.NextAsync<ChatEndedNotice>(nameof(IChatClient.ChatEnded))).TicketNumber.Should().Be(number);
        var ticket = Db(db => db.Tickets.AsNoTracking().Single(t => t.Number == number));
        ticket.ChatEndedAt.Should().Be(_server.Clock.GetUtcNow().UtcDateTime);
        ticket.Status.Should().Be(TicketStatus.Resolved);
        Timeline(number).Count(m => IdleProtocol.IsProtocolMessage(m.ClientMessageId)).Should().Be(2, "one prompt, one closing, each stored once");

        _server.Clock.Advance(TimeSpan.FromMinutes(10));
        (await idle.RunOnceAsync(default)).Should().Be(0, "an ended chat is left alone");
    }

    [Fact]
    public async Task Idle_timings_and_the_number_of_prompts_come_from_configuration()
    {
        await _server.DisposeAsync();
        var server = new HelpdeskServer { Settings = { "Scripts:IdlePromptSeconds=30", "Scripts:IdleCloseSeconds=60", "Scripts:IdlePrompts=2" } };
        await server.InitializeAsync();
        try
        {
            var idle = server.Services.GetRequiredService<ChatIdleProtocol>();
            var http = await server.SignedInAsync(Demo.Agent1);
            await using var agent = await ChatConnection.StaffAsync(server, http);
            await agent.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
            await using var customer = await ChatConnection.VisitorAsync(server);
            var chat = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("hi", NewId(), "Emily", null, "en"));
            await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), chat.TicketNumber);

            var expected = new[] { (30, "1"), (30, "2"), (60, "close") };
            foreach (var (seconds, step) in expected)
            {
                server.Clock.Advance(TimeSpan.FromSeconds(seconds - 1));
                (await idle.RunOnceAsync(default)).Should().Be(0);
                server.Clock.Advance(TimeSpan.FromSeconds(1));
                (await customer.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.ClientMessageId?.EndsWith(":" + step) == true)).Kind.Should().Be(MessageKind.Agent);
            }
            (await customer.NextAsync<ChatEndedNotice>(nameof(IChatClient.ChatEnded))).TicketNumber.Should().Be(chat.TicketNumber);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_agents_forbidden_phrase_is_refused_by_the_hub_and_nothing_is_stored_while_the_customer_may_say_it()
    {
        var (customer, agent, number, _) = await AcceptedChatAsync();
        await using var _ = customer;
        var before = Timeline(number).Count;
        var id = NewId();
        var refusal = await FluentActions.Awaiting(() => agent.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, id, "那您就慢 慢，等着吧")))
            .Should().ThrowAsync<HubException>();
        refusal.Which.Message.Should().Contain("HubException: [forbidden_phrase]").And.Contain("慢慢等着吧").And.Contain("慢 慢，等着吧")
            .And.Contain("非常抱歉让您久等了，我正在加紧为您处理，请您稍等。");
        Timeline(number).Should().HaveCount(before, "a refused message is not stored");
        Db(db => db.TicketMessages.Any(m => m.ClientMessageId == id)).Should().BeFalse();

        // The connection is fine and the approved wording goes through.
        await agent.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, NewId(), "非常抱歉让您久等了，我正在加紧为您处理，请您稍等。"));
        await customer.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(number, NewId(), "你们是不是想让我慢慢等着吧？"));
        Timeline(number).Should().HaveCount(before + 2);
    }
}
