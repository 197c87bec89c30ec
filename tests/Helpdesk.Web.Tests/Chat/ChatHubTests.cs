using System.Net;
using Helpdesk.Core.Chat;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Chat;

/// <summary>
/// The chat hub over real WebSockets on a real port: a fresh server per test, because presence
/// and queues are shared state of the whole app.
/// </summary>
public sealed class ChatHubTests : IAsyncLifetime
{
    private readonly HelpdeskServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();
    public Task DisposeAsync() => _server.DisposeAsync();

    private static string NewId() => Guid.NewGuid().ToString("N");

    private async Task<(StaffClient Http, ChatConnection Hub)> OnlineAgentAsync(string email = "agent1@demo.local")
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

    private Guid AgentId(string email) => Db(db => db.Users.Single(u => u.Email == email).Id);

    private Guid OfferedTo(long ticketNumber) => Db(db => db.ChatOffers
        .Where(o => o.State == OfferState.Pending && db.Tickets.Any(t => t.Id == o.TicketId && t.Number == ticketNumber))
        .Select(o => o.AgentId).Single());

    [Fact]
    public async Task Customer_chat_is_offered_to_an_online_agent_who_accepts_and_both_sides_talk()
    {
        var (_, agent) = await OnlineAgentAsync();
        await using var customer = await ChatConnection.VisitorAsync(_server);

        var started = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("你好，我想咨询一下退货", NewId(), "林晓红", "lin@example.cn"));
        started.Status.Should().Be("New");

        var offer = await agent.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), o => o.TicketNumber == started.TicketNumber);
        offer.CustomerName.Should().Be("林晓红");
        var accepted = await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), started.TicketNumber);
        accepted.AgentName.Should().Be("李娜 Li Na");

        (await customer.NextAsync<AgentJoinedNotice>(nameof(IChatClient.AgentJoined))).AgentName.Should().Be("李娜 Li Na");

        var reply = NewId();
        var ack = await agent.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, reply, "您好，欢迎咨询"));
        ack.Sequence.Should().BeGreaterThan(0);
        ack.Duplicate.Should().BeFalse();
        var atCustomer = await customer.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.ClientMessageId == reply);
        atCustomer.Body.Should().Be("您好，欢迎咨询");
        atCustomer.Kind.Should().Be(MessageKind.Agent);

        var question = NewId();
        await customer.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, question, "耳机左耳没声音"));
        (await agent.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.ClientMessageId == question)).AuthorName.Should().Be("林晓红");

        var ticket = Db(db => db.Tickets.AsNoTracking().Single(t => t.Number == started.TicketNumber));
        ticket.Channel.Should().Be(TicketChannel.Chat);
        ticket.Status.Should().Be(TicketStatus.Assigned);
        ticket.TeamId.Should().Be(Db(db => db.Teams.Single(t => t.Key == "pre-sales").Id));
    }

    [Fact]
    public async Task A_message_reaches_the_senders_other_tab_and_the_agent_but_is_not_pushed_back_to_the_sending_connection()
    {
        var (_, agent) = await OnlineAgentAsync();
        await using var tab1 = await ChatConnection.VisitorAsync(_server);
        var started = await tab1.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("你好", NewId(), "周敏", null));
        await agent.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), o => o.TicketNumber == started.TicketNumber);
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), started.TicketNumber);
        // The same shopper in a second tab (same visitor token): joins the conversation on connecting.
        await using var tab2 = await ChatConnection.VisitorAsync(_server, token: tab1.VisitorToken);

        var mine = NewId();
        var ack = await tab1.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, mine, "第二个标签页也要看到"));
        (await tab2.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.ClientMessageId == mine)).Sequence.Should().Be(ack.Sequence);
        (await agent.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.ClientMessageId == mine)).Body.Should().Be("第二个标签页也要看到");

        // Pushes to one connection arrive in order: an echo of a connection's own message would come
        // before the next message someone else sends, so everything up to that one is read.
        static async Task<List<ChatMessage>> UpToAsync(ChatConnection c, string clientId)
        {
            var seen = new List<ChatMessage>();
            do seen.Add(await c.NextAsync<ChatMessage>(nameof(IChatClient.Message)));
            while (seen[^1].ClientMessageId != clientId);
            return seen;
        }
        var reply = NewId();
        await agent.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, reply, "好的"));
        (await UpToAsync(tab1, reply)).Should().NotContain(m => m.ClientMessageId == mine, "the sending connection has the message from its acknowledgement");
        var later = NewId();
        await tab2.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, later, "谢谢"));
        (await UpToAsync(agent, later)).Should().NotContain(m => m.ClientMessageId == reply, "nor does the agent's sending connection get its own reply back");
        (await tab1.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.ClientMessageId == later)).Body.Should().Be("谢谢", "tab 1 is another tab for tab 2's message");
    }

    [Fact]
    public async Task The_database_keeps_one_pending_offer_per_chat_so_two_nodes_cannot_both_offer_it()
    {
        var (_, agent) = await OnlineAgentAsync();
        await using var customer = await ChatConnection.VisitorAsync(_server);
        var started = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("在吗", NewId(), "吴刚", null));
        await agent.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), o => o.TicketNumber == started.TicketNumber);
        var ticketId = Db(db => db.Tickets.Single(t => t.Number == started.TicketNumber).Id);
        var now = DateTime.UtcNow;

        // What a second node's dispatcher would write if it read the chat as unoffered a moment earlier.
        var second = () => Db(db =>
        {
            db.ChatOffers.Add(new ChatOffer { TicketId = ticketId, AgentId = AgentId("agent2@demo.local"), OfferedAt = now, ExpiresAt = now.AddSeconds(30), State = OfferState.Pending });
            return db.SaveChanges();
        });
        second.Should().Throw<DbUpdateException>("a chat has at most one pending offer");
        OfferedTo(started.TicketNumber).Should().Be(AgentId("agent1@demo.local"), "the first offer stands");

        // Offers that are no longer pending are history, any number of them.
        Db(db =>
        {
            db.ChatOffers.Add(new ChatOffer { TicketId = ticketId, AgentId = AgentId("agent2@demo.local"), OfferedAt = now, ExpiresAt = now, State = OfferState.Declined });
            return db.SaveChanges();
        }).Should().Be(1);
    }

    [Fact]
    public async Task A_resent_message_is_acknowledged_with_the_same_sequence_and_stored_once()
    {
        await using var customer = await ChatConnection.VisitorAsync(_server);
        var started = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, null, null));
        var id = NewId();
        var first = await customer.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, id, "在吗？"));
        var again = await customer.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, id, "在吗？"));
        again.Sequence.Should().Be(first.Sequence);
        again.MessageId.Should().Be(first.MessageId);
        again.Duplicate.Should().BeTrue();
        Db(db => db.TicketMessages.Count(m => m.ClientMessageId == id)).Should().Be(1);
    }

    [Fact]
    public async Task Messages_sent_at_once_are_all_stored_in_order_without_gaps()
    {
        await using var customer = await ChatConnection.VisitorAsync(_server);
        var started = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, null, null));
        var sends = Enumerable.Range(0, 15).Select(i => customer.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(started.TicketNumber, $"m{i}", $"message {i}"))).ToList();
        var acks = await Task.WhenAll(sends);
        acks.Select(a => a.Sequence).Should().OnlyHaveUniqueItems();
        var history = await customer.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), started.TicketNumber, 0);
        history.Where(m => m.Kind == MessageKind.Customer).Select(m => m.ClientMessageId).Should().BeEquivalentTo(acks.Select(a => a.ClientMessageId));
        history.Select(m => m.Sequence).Should().BeInAscendingOrder();
    }

    [Fact]
    public async Task A_customer_cannot_read_or_write_another_customers_conversation()
    {
        await using var alice = await ChatConnection.VisitorAsync(_server);
        var hers = await alice.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("我的订单号是 SO-1", NewId(), "Alice", null));
        await using var mallory = await ChatConnection.VisitorAsync(_server);
        await mallory.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, null, null));

        var read = () => mallory.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), hers.TicketNumber, 0);
        (await read.Should().ThrowAsync<HubException>()).Which.Message.Should().Contain("[not_found]");
        var write = () => mallory.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(hers.TicketNumber, NewId(), "hi"));
        (await write.Should().ThrowAsync<HubException>()).Which.Message.Should().Contain("[not_found]");
        var seeded = Db(db => db.Tickets.OrderBy(t => t.Number).First().Number);
        await FluentActions.Awaiting(() => mallory.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), seeded, 0)).Should().ThrowAsync<HubException>();
        Db(db => db.TicketMessages.Count(m => m.TicketId == db.Tickets.Single(t => t.Number == hers.TicketNumber).Id && m.Kind == MessageKind.Customer)).Should().Be(1);
    }

    [Fact]
    public async Task An_agent_cannot_open_a_chat_of_a_team_they_are_not_in()
    {
        await using var customer = await ChatConnection.VisitorAsync(_server);
        var chat = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("hello", NewId(), null, null));
        var (_, afterSales) = await OnlineAgentAsync("agent2@demo.local");
        await FluentActions.Awaiting(() => afterSales.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.Open), chat.TicketNumber))
            .Should().ThrowAsync<HubException>().WithMessage("*not_found*");
        var (_, supervisor) = await OnlineAgentAsync("supervisor@demo.local");
        (await supervisor.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.Open), chat.TicketNumber)).Should().Contain(m => m.Body == "hello");
    }

    [Fact]
    public async Task A_reloaded_console_gets_back_its_open_chats_with_read_marks_and_its_pending_offers()
    {
        var (_, agent) = await OnlineAgentAsync();
        await using var held = await ChatConnection.VisitorAsync(_server);
        var first = await held.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("我要退货", NewId(), "林晓红", null));
        await agent.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), o => o.TicketNumber == first.TicketNumber);
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), first.TicketNumber);
        var reply = await agent.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(first.TicketNumber, NewId(), "您好"));
        await held.Hub.InvokeAsync(nameof(ChatHub.MarkRead), first.TicketNumber, reply.Sequence);
        await agent.Hub.InvokeAsync(nameof(ChatHub.MarkRead), first.TicketNumber, 1);

        await using var waiting = await ChatConnection.VisitorAsync(_server);
        var second = await waiting.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("在吗", NewId(), "王先生", null));
        var offered = await agent.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), o => o.TicketNumber == second.TicketNumber);

        // An ended chat is no longer the agent's to show.
        await using var gone = await ChatConnection.VisitorAsync(_server);
        var third = await gone.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, null, null));
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), third.TicketNumber);
        await gone.Hub.InvokeAsync(nameof(ChatHub.EndChat), third.TicketNumber);

        var http = await _server.SignedInAsync("agent1@demo.local");
        await using var reloaded = await ChatConnection.StaffAsync(_server, http);
        var restored = await reloaded.Hub.InvokeAsync<AgentChats>(nameof(ChatHub.ActiveChats));

        var chat = restored.Chats.Should().ContainSingle().Which;
        chat.TicketNumber.Should().Be(first.TicketNumber);
        chat.CustomerName.Should().Be("林晓红");
        chat.CustomerId.Should().Be(Db(db => db.Tickets.Single(t => t.Number == first.TicketNumber).CustomerId));
        chat.Status.Should().Be("Assigned");
        chat.LastSequence.Should().Be(reply.Sequence);
        chat.CustomerReadSequence.Should().Be(reply.Sequence);
        chat.StaffReadSequence.Should().Be(1);
        var offer = restored.Offers.Should().ContainSingle().Which;
        offer.TicketNumber.Should().Be(second.TicketNumber);
        offer.CustomerName.Should().Be("王先生");
        offer.ExpiresAt.Should().Be(offered.ExpiresAt);
        restored.ServerTime.Should().Be(_server.Clock.GetUtcNow().UtcDateTime);

        // Another agent sees none of it; a visitor may not ask.
        var (_, other) = await OnlineAgentAsync("agent2@demo.local");
        var theirs = await other.Hub.InvokeAsync<AgentChats>(nameof(ChatHub.ActiveChats));
        theirs.Chats.Should().BeEmpty();
        theirs.Offers.Should().BeEmpty();
        await FluentActions.Awaiting(() => waiting.Hub.InvokeAsync<AgentChats>(nameof(ChatHub.ActiveChats)))
            .Should().ThrowAsync<HubException>().WithMessage("*[staff_only]*");
    }

    [Fact]
    public async Task System_entries_reach_the_console_with_their_event_values_and_the_customer_sees_only_the_end()
    {
        var (_, agent) = await OnlineAgentAsync();
        await using var customer = await ChatConnection.VisitorAsync(_server);
        var chat = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("你好", NewId(), null, null));
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), chat.TicketNumber);
        var timeline = await agent.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.Open), chat.TicketNumber);
        var assigned = timeline.Single(m => m.EventCode == "assigned");
        assigned.EventTo.Should().Be(AgentId("agent1@demo.local").ToString());
        timeline.Single(m => m.EventCode == "status_changed").Should().Match<ChatMessage>(m => m.EventFrom == "New" && m.EventTo == "Assigned");

        await agent.Hub.InvokeAsync(nameof(ChatHub.EndChat), chat.TicketNumber);
        var ended = await customer.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.EventCode == "chat_ended");
        ended.EventTo.Should().Be("Staff");
        (await customer.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), chat.TicketNumber, 0))
            .Where(m => m.Kind == MessageKind.System).Select(m => m.EventCode).Should().Equal("chat_ended");
    }

    [Fact]
    public async Task The_demo_shops_signed_in_member_chats_as_the_seeded_customer_with_her_record()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        var session = await http.PostAsJsonAsync("/api/widget/sessions", new
        {
            siteKey = "demo", userId = "shop-user-1001",
            userHash = VisitorIdentity.ComputeUserHash("shop-user-1001", "demo-identity-secret-change-me"),
        });
        var token = (await session.Content.ReadFromJsonAsync<WidgetSession>())!.VisitorToken;
        await using var member = await ChatConnection.VisitorAsync(_server, token: token);
        var chat = await member.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("我的积分呢？", NewId(), null, null));

        var customerId = Db(db => db.Tickets.Single(t => t.Number == chat.TicketNumber).CustomerId);
        var agent = await _server.SignedInAsync("agent1@demo.local");
        var card = await agent.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/customers/{customerId}");
        card.GetProperty("name").GetString().Should().Be("王芳");
        card.GetProperty("identified").GetBoolean().Should().BeTrue();
        card.GetProperty("mobile").GetString().Should().Be("13500135000");
        card.GetProperty("totalTickets").GetInt32().Should().BeGreaterThan(1, "her earlier tickets are hers too");
        Db(db => db.Customers.Count(c => c.ExternalId == "shop-user-1001")).Should().Be(1);
    }

    [Fact]
    public async Task Over_long_message_and_too_fast_sending_get_a_clear_error_and_other_chats_go_on()
    {
        await using var noisy = await ChatConnection.VisitorAsync(_server);
        var chat = await noisy.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, null, null));
        var tooLong = new string('长', 1400); // 4,200 bytes in UTF-8
        await FluentActions.Awaiting(() => noisy.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(chat.TicketNumber, NewId(), tooLong)))
            .Should().ThrowAsync<HubException>().WithMessage("*[too_long]*4096 bytes*");

        var errors = 0;
        for (var i = 0; i < 40; i++)
        {
            try { await noisy.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(chat.TicketNumber, NewId(), $"spam {i}")); }
            catch (HubException e) when (e.Message.Contains("[rate_limited]")) { errors++; }
        }
        errors.Should().BeGreaterThan(0);

        await using var calm = await ChatConnection.VisitorAsync(_server);
        var other = await calm.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, null, null));
        (await calm.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(other.TicketNumber, NewId(), "正常消息"))).Sequence.Should().BeGreaterThan(0);
        noisy.Hub.State.Should().Be(HubConnectionState.Connected);
    }

    [Fact]
    public async Task A_page_from_an_origin_not_configured_for_the_site_is_refused()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/widget/sessions") { Content = JsonContent.Create(new { siteKey = "demo" }) };
        request.Headers.Add("Origin", "http://evil.example");
        (await http.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var unknown = await http.PostAsJsonAsync("/api/widget/sessions", new { siteKey = "nope" });
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("siteKey");

        await FluentActions.Awaiting(() => ChatConnection.VisitorAsync(_server, origin: "http://evil.example")).Should().ThrowAsync<Exception>();
    }

    [Fact]
    public async Task A_forged_visitor_token_cannot_connect()
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_server.BaseAddress, "/hubs/chat"), o =>
            {
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>("forged-token");
            }).Build();
        await FluentActions.Awaiting(() => hub.StartAsync()).Should().ThrowAsync<Exception>();
    }

    [Fact]
    public async Task The_host_site_can_identify_its_user_with_an_hmac_and_a_wrong_hash_is_refused()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        var good = await http.PostAsJsonAsync("/api/widget/sessions", new { siteKey = "demo", userId = "shop-user-42", userHash = VisitorIdentity.ComputeUserHash("shop-user-42", "demo-identity-secret-change-me") });
        good.StatusCode.Should().Be(HttpStatusCode.OK);
        (await good.Content.ReadFromJsonAsync<WidgetSession>())!.Identified.Should().BeTrue();
        var bad = await http.PostAsJsonAsync("/api/widget/sessions", new { siteKey = "demo", userId = "shop-user-42", userHash = "00" });
        bad.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Visitor_token_keeps_the_same_visitor_and_conversation_across_reloads()
    {
        await using var first = await ChatConnection.VisitorAsync(_server);
        var chat = await first.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("第一条", NewId(), null, null));
        await first.Hub.StopAsync();

        await using var reloaded = await ChatConnection.VisitorAsync(_server, token: first.VisitorToken);
        var resumed = await reloaded.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, null, null));
        resumed.TicketNumber.Should().Be(chat.TicketNumber);
        resumed.Resumed.Should().BeTrue();
        (await reloaded.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), chat.TicketNumber, 0)).Should().Contain(m => m.Body == "第一条");
    }

    [Fact]
    public async Task A_reloaded_widget_learns_what_staff_have_read_when_it_resumes()
    {
        var (_, agent) = await OnlineAgentAsync();
        await using var first = await ChatConnection.VisitorAsync(_server);
        var chat = await first.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("第一条", NewId(), null, null));
        chat.StaffReadSequence.Should().Be(0);
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), chat.TicketNumber);
        var second = await first.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(chat.TicketNumber, NewId(), "第二条"));
        await agent.Hub.InvokeAsync(nameof(ChatHub.MarkRead), chat.TicketNumber, second.Sequence);
        await first.Hub.StopAsync();

        await using var reloaded = await ChatConnection.VisitorAsync(_server, token: first.VisitorToken);
        var resumed = await reloaded.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, null, null));
        resumed.StaffReadSequence.Should().Be(second.Sequence);
        resumed.CustomerReadSequence.Should().Be(0);
    }

    [Fact]
    public async Task A_reloaded_widget_still_waiting_is_told_its_place_in_the_queue_again()
    {
        await using var first = await ChatConnection.VisitorAsync(_server);
        var chat = await first.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("有人吗", NewId(), null, null));
        (await first.NextAsync<QueueNotice>(nameof(IChatClient.Queue))).Position.Should().Be(1);
        await first.Hub.StopAsync();

        await using var reloaded = await ChatConnection.VisitorAsync(_server, token: first.VisitorToken);
        var resumed = await reloaded.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(null, null, null, null));
        resumed.Resumed.Should().BeTrue();
        var queue = await reloaded.NextAsync<QueueNotice>(nameof(IChatClient.Queue), q => q.TicketNumber == chat.TicketNumber);
        queue.Position.Should().Be(1);
        queue.AgentsOnline.Should().BeFalse();
    }

    [Fact]
    public async Task After_a_dropped_connection_the_customer_gets_what_was_missed_exactly_once()
    {
        var (_, agent) = await OnlineAgentAsync();
        await using var customer = await ChatConnection.VisitorAsync(_server);
        var chat = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("hello", NewId(), null, null));
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), chat.TicketNumber);
        var seen = await customer.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), chat.TicketNumber, 0);
        var lastSeen = seen.Max(m => m.Sequence);

        await customer.Hub.StopAsync();
        var whileAway = new List<int>();
        for (var i = 0; i < 3; i++)
            whileAway.Add((await agent.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(chat.TicketNumber, NewId(), $"away {i}"))).Sequence);

        await customer.Hub.StartAsync();
        var missed = await customer.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), chat.TicketNumber, lastSeen);
        missed.Where(m => m.Kind == MessageKind.Agent).Select(m => m.Sequence).Should().Equal(whileAway);
        missed.Select(m => m.Body).Should().NotContain(b => b == "hello");
    }

    [Fact]
    public async Task A_reply_through_the_rest_api_reaches_the_widget_and_internal_notes_do_not()
    {
        var (http, agent) = await OnlineAgentAsync();
        await using var customer = await ChatConnection.VisitorAsync(_server);
        var chat = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("hi", NewId(), null, null));
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), chat.TicketNumber);

        (await http.Http.PostAsJsonAsync($"/api/tickets/{chat.TicketNumber}/notes", new { body = "内部备注：VIP" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await http.Http.PostAsJsonAsync($"/api/tickets/{chat.TicketNumber}/replies", new { body = "from the console" })).StatusCode.Should().Be(HttpStatusCode.Created);
        await customer.NextAsync<ChatMessage>(nameof(IChatClient.Message), m => m.Body == "from the console");
        customer.Received<ChatMessage>(nameof(IChatClient.Message)).Should().NotContain(m => m.Kind == MessageKind.InternalNote);
        (await customer.Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(ChatHub.History), chat.TicketNumber, 0)).Should().NotContain(m => m.Kind == MessageKind.InternalNote || m.Body.Contains("VIP"));
    }

    [Fact]
    public async Task An_offer_not_accepted_in_time_passes_to_the_next_agent()
    {
        var (_, first) = await OnlineAgentAsync("agent1@demo.local");
        var (_, second) = await OnlineAgentAsync("supervisor@demo.local");
        await using var customer = await ChatConnection.VisitorAsync(_server);
        var chat = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("anyone?", NewId(), null, null));

        // Routing ran before StartChat answered: the pending offer names the agent asked.
        var (asked, other) = OfferedTo(chat.TicketNumber) == AgentId("agent1@demo.local") ? (first, second) : (second, first);
        (await asked.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer))).TicketNumber.Should().Be(chat.TicketNumber);

        _server.Clock.Advance(TimeSpan.FromSeconds(31));
        await _server.Services.GetRequiredService<ChatOfferExpiry>().ExpireAsync(default);
        (await asked.NextAsync<long>(nameof(IChatClient.OfferWithdrawn))).Should().Be(chat.TicketNumber);
        (await other.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer))).TicketNumber.Should().Be(chat.TicketNumber);
    }

    [Fact]
    public async Task Least_loaded_agent_gets_the_next_chat()
    {
        var (_, a1) = await OnlineAgentAsync("agent1@demo.local");
        var (_, sup) = await OnlineAgentAsync("supervisor@demo.local");
        await using var c1 = await ChatConnection.VisitorAsync(_server);
        var chat1 = await c1.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("one", NewId(), null, null));
        // Whoever got the first offer takes it; the second chat must go to the other agent.
        var (winner, loser) = OfferedTo(chat1.TicketNumber) == AgentId("agent1@demo.local") ? (a1, sup) : (sup, a1);
        await winner.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), chat1.TicketNumber);

        await using var c2 = await ChatConnection.VisitorAsync(_server);
        var chat2 = await c2.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("two", NewId(), null, null));
        (await loser.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), o => o.TicketNumber == chat2.TicketNumber)).Should().NotBeNull();
    }

    [Fact]
    public async Task With_nobody_online_the_customer_sees_the_queue_and_can_leave_a_message()
    {
        await using var customer = await ChatConnection.VisitorAsync(_server);
        var chat = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("有人吗", NewId(), null, null));
        var queue = await customer.NextAsync<QueueNotice>(nameof(IChatClient.Queue), q => q.TicketNumber == chat.TicketNumber);
        queue.Position.Should().Be(1);
        queue.AgentsOnline.Should().BeFalse();
        queue.EstimatedWaitSeconds.Should().BeNull();

        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        var status = await http.GetFromJsonAsync<WidgetStatus>("/api/widget/status?siteKey=demo");
        status!.OfferOfflineMessage.Should().BeTrue();

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/widget/offline-messages") { Content = JsonContent.Create(new { name = "陈明", email = "chen@example.cn", text = "请明天联系我" }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", customer.VisitorToken);
        var left = await http.SendAsync(request);
        left.StatusCode.Should().Be(HttpStatusCode.Created);
        Db(db => db.Tickets.AsNoTracking().OrderByDescending(t => t.Id).First()).Should().BeEquivalentTo(new { Channel = TicketChannel.Email }, o => o.ExcludingMissingMembers());

        var bad = new HttpRequestMessage(HttpMethod.Post, "/api/widget/offline-messages") { Content = JsonContent.Create(new { name = "", email = "not-an-email", text = "" }) };
        bad.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", customer.VisitorToken);
        var refused = await http.SendAsync(bad);
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("email").And.Contain("text");
    }

    [Fact]
    public async Task Typing_read_receipts_and_ending_reach_the_other_side()
    {
        var (_, agent) = await OnlineAgentAsync();
        await using var customer = await ChatConnection.VisitorAsync(_server);
        var chat = await customer.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest("hi", NewId(), "Emily", null));
        await agent.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), chat.TicketNumber);

        await customer.Hub.InvokeAsync(nameof(ChatHub.Typing), chat.TicketNumber, true);
        (await agent.NextAsync<TypingNotice>(nameof(IChatClient.Typing))).Should().BeEquivalentTo(new { Side = Helpdesk.Core.Tickets.ActorKind.Customer, IsTyping = true, Name = "Emily" });

        var ack = await agent.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(chat.TicketNumber, NewId(), "hello Emily"));
        await customer.Hub.InvokeAsync(nameof(ChatHub.MarkRead), chat.TicketNumber, ack.Sequence);
        (await agent.NextAsync<ReadNotice>(nameof(IChatClient.Read))).Sequence.Should().Be(ack.Sequence);

        await agent.Hub.InvokeAsync(nameof(ChatHub.EndChat), chat.TicketNumber);
        (await customer.NextAsync<ChatEndedNotice>(nameof(IChatClient.ChatEnded))).TicketNumber.Should().Be(chat.TicketNumber);
        Db(db => db.Tickets.AsNoTracking().Single(t => t.Number == chat.TicketNumber).Status).Should().Be(TicketStatus.Resolved);
        await FluentActions.Awaiting(() => customer.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(chat.TicketNumber, NewId(), "one more")))
            .Should().ThrowAsync<HubException>();
    }
}
