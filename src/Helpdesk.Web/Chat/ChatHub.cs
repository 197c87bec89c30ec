using System.Security.Claims;
using System.Text;
using System.Threading.RateLimiting;
using Helpdesk.Core.Chat;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Data.Identity;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Helpdesk.Web.Scripts;
using Helpdesk.Core.Scripts;
using Helpdesk.Web.Tickets;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Chat;

/// <summary>
/// /hubs/chat: customers (visitor token) and agents (staff cookie) on one hub. Every method checks
/// that the caller may touch the conversation it names; errors reach the caller as HubException
/// messages of the form "[code] reason", and nothing of another conversation leaks.
/// </summary>
[Authorize(AuthenticationSchemes = $"{HubSchemes.Staff},{VisitorAuthenticationHandler.SchemeName}")]
public sealed class ChatHub(
    IServiceProvider services, ChatMessageWriter writer, ChatDispatcher dispatcher, IOptionsMonitor<ChatOptions> options, TimeProvider clock,
    ForbiddenPhraseGuard guard, ChatSenders senders) : Hub<IChatClient>
{
    // SignalR builds a hub per invocation. The hot path (Send of a known conversation) needs none
    // of the scoped services, so they are resolved on first use: building a DbContext and the
    // ticket services for every message cost more CPU than storing the message.
    private HelpdeskDbContext Db => field ??= services.GetRequiredService<HelpdeskDbContext>();
    private TicketService Tickets => field ??= services.GetRequiredService<TicketService>();
    private ChatCustomers Customers => field ??= services.GetRequiredService<ChatCustomers>();
    private ChatPresence Presence => field ??= services.GetRequiredService<ChatPresence>();
    private TicketAccess Access => field ??= services.GetRequiredService<TicketAccess>();
    private ChatScripts Scripts => field ??= services.GetRequiredService<ChatScripts>();

    private const string CustomerIdKey = "customerId";
    private const string LimiterKey = "limiter";

    private ChatOptions Options => options.CurrentValue;
    private VisitorTicket? Visitor => Context.User?.AsVisitor();
    private bool IsStaff => Context.User?.IsInRole(StaffRoles.Agent) == true || IsSupervisor;
    private bool IsSupervisor => Context.User is { } user && TicketAccess.SeesEverything(user);

    public override async Task OnConnectedAsync()
    {
        Context.Items[LimiterKey] = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Options.MessageBurst,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(Options.MessagesPerSecond)),
            ReplenishmentPeriod = Options.MessagesPerSecond >= 1 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(1 / Options.MessagesPerSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

        if (Visitor is { } visitor)
        {
            var site = Options.FindSite(visitor.SiteKey);
            var origin = Context.GetHttpContext()?.Request.Headers.Origin.ToString();
            if (site is null || !WidgetOrigins.IsAllowed(site, origin, Context.GetHttpContext()?.Request))
            {
                Context.Abort();
                return;
            }
            if (await Customers.FindAsync(visitor, Context.ConnectionAborted) is { } customer)
            {
                Context.Items[CustomerIdKey] = customer.Id;
                var open = await Db.Tickets.Where(t => t.CustomerId == customer.Id && t.Channel == TicketChannel.Chat && t.ChatEndedAt == null)
                    .Select(t => t.Number).ToListAsync();
                foreach (var number in open)
                    await Groups.AddToGroupAsync(Context.ConnectionId, ChatGroups.Customer(number));
            }
        }
        else if (IsStaff && Context.User!.StaffId() is { } agentId)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, ChatGroups.Agent(agentId));
            var teams = await Db.TeamMemberships.Where(m => m.UserId == agentId).Select(m => m.TeamId).ToListAsync();
            foreach (var team in teams)
                await Groups.AddToGroupAsync(Context.ConnectionId, ChatGroups.Team(team));
            var mine = await Db.Tickets.Where(t => t.AssigneeId == agentId && t.Channel == TicketChannel.Chat && t.ChatEndedAt == null
                    && (t.Status == TicketStatus.Assigned || t.Status == TicketStatus.WaitingOnCustomer))
                .Select(t => t.Number).ToListAsync();
            foreach (var number in mine)
                await Groups.AddToGroupAsync(Context.ConnectionId, ChatGroups.Staff(number));
            await Presence.ConnectedAsync(agentId, Context.ConnectionId, Context.ConnectionAborted);
        }
        else
        {
            Context.Abort();
            return;
        }
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        (Context.Items[LimiterKey] as IDisposable)?.Dispose();
        if (Visitor is null && Context.User?.StaffId() is { } agentId && IsStaff)
            await Presence.DisconnectedAsync(agentId, Context.ConnectionId, CancellationToken.None);
        await base.OnDisconnectedAsync(exception);
    }

    // ---- customers ---------------------------------------------------------------------------

    /// <summary>Starts a conversation, or resumes the visitor's open one.</summary>
    public async Task<ChatStarted> StartChat(StartChatRequest request)
    {
        var visitor = Visitor ?? throw Error("customers_only", "Only a widget visitor starts a chat.");
        var site = Options.FindSite(visitor.SiteKey) ?? throw Error("unknown_site", "The site is not configured.");
        if (request.Name is { Length: > 100 } || request.Email is { Length: > 256 })
            throw Error("invalid", "Name or email is too long.");
        if (request.Name?.Contains('\0') == true || request.Email?.Contains('\0') == true)
            throw Error("invalid", "Name or email contains the NUL character.");
        if (!string.IsNullOrWhiteSpace(request.Text) && string.IsNullOrWhiteSpace(request.ClientMessageId))
            throw Error("invalid", "A first message needs its clientMessageId, so that a retry is not stored twice.");
        var customer = await Customers.ResolveAsync(visitor, request.Name, request.Email, Context.ConnectionAborted);
        Context.Items[CustomerIdKey] = customer.Id;

        var open = await Db.Tickets.AsNoTracking()
            .Where(t => t.CustomerId == customer.Id && t.Channel == TicketChannel.Chat && t.ChatEndedAt == null
                        && (t.Status == TicketStatus.New || t.Status == TicketStatus.Assigned || t.Status == TicketStatus.WaitingOnCustomer))
            .OrderByDescending(t => t.Id).FirstOrDefaultAsync();
        if (open is not null)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, ChatGroups.Customer(open.Number));
            if (!string.IsNullOrWhiteSpace(request.Text))
                await Send(new SendChatMessage(open.Number, request.ClientMessageId, request.Text));
            // A reloaded widget still waiting has lost its place in the queue: tell it again.
            if (open.Status == TicketStatus.New && open.TeamId is { } waitingTeam)
                await dispatcher.DispatchAsync(waitingTeam);
            return await DescribeAsync(open.Number, resumed: true);
        }

        var text = request.Text?.Trim();
        if (text is not null) CheckMessage(text);
        var teamId = await Db.Teams.Where(t => t.Key == site.TeamKey).Select(t => (int?)t.Id).FirstOrDefaultAsync();
        var subject = string.IsNullOrWhiteSpace(text) ? $"在线咨询 Chat — {customer.Name}" : Truncate(text, 80);
        // Join before the ticket exists so that no push about it (queue position, agent joined) is missed.
        var ticket = await Tickets.CreateAsync(new NewTicket(subject, TicketType.Inquiry, TicketChannel.Chat,
            Description: string.IsNullOrWhiteSpace(text) ? null : text, CustomerId: customer.Id, TeamId: teamId,
            ClientMessageId: request.ClientMessageId, Language: ScriptLanguages.Normalise(request.Language) ?? ScriptLanguages.Default),
            Actor.Customer(customer.Id, customer.Name), Context.ConnectionAborted);
        await Groups.AddToGroupAsync(Context.ConnectionId, ChatGroups.Customer(ticket.Number));
        if (ticket.TeamId is { } team)
            await dispatcher.DispatchAsync(team);
        return await DescribeAsync(ticket.Number, resumed: false);
    }

    /// <summary>
    /// The widget's "ask for a supervisor / 找主管" button: the conversation enters the escalation
    /// ladder (supervisors told live and by mail). Asking again changes nothing.
    /// </summary>
    public async Task<SupervisorRequested> AskForSupervisor(long ticketNumber)
    {
        if (Visitor is null) throw Error("customers_only", "Only the customer asks for a supervisor.");
        var ticket = await AuthorisedTicketAsync(ticketNumber);
        var recorded = await services.GetRequiredService<Escalation.EscalationService>()
            .RaiseAsync(ticket.Id, Core.Escalation.EscalationTrigger.CustomerAskedForSupervisor(), Context.ConnectionAborted);
        return new SupervisorRequested(ticket.Number, AlreadyAsked: !recorded);
    }

    // ---- both sides --------------------------------------------------------------------------

    /// <summary>Stores a message and answers only after it is committed; a resend with the same id gets the same answer.</summary>
    public async Task<ChatAck> Send(SendChatMessage message)
    {
        if (string.IsNullOrWhiteSpace(message.ClientMessageId) || message.ClientMessageId.Length > TicketLimits.ClientMessageIdMax)
            throw Error("invalid", $"Every message needs a clientMessageId of 1 to {TicketLimits.ClientMessageIdMax} characters.");
        var text = message.Text?.Trim() ?? "";
        CheckMessage(text);
        var author = await SenderAsync(message.TicketNumber);
        // Agents' wording only: what a customer writes is never refused for its words.
        if (author.Kind == ActorKind.Staff && (await guard.CheckAsync(text, Context.ConnectionAborted)) is [var forbidden, ..])
            throw new HubException(ForbiddenPhraseGuard.HubMessage(forbidden));
        if (Context.Items[LimiterKey] is RateLimiter limiter)
        {
            using var lease = limiter.AttemptAcquire();
            if (!lease.IsAcquired)
                throw Error("rate_limited", "You are sending messages too fast; wait a moment and send again.");
        }
        using var sending = senders.Register(message.TicketNumber, message.ClientMessageId, Context.ConnectionId);
        try
        {
            var result = await writer.AppendAsync(new ChatAppend(message.TicketNumber, text, author, Visitor is null ? Context.User!.StaffId() : null, message.ClientMessageId), Context.ConnectionAborted);
            return new ChatAck(result.TicketNumber, message.ClientMessageId, result.Message.Id, result.Message.Sequence, result.Duplicate, result.Message.CreatedAt);
        }
        catch (TicketRuleException e)
        {
            throw Error(e.Code, e.Message);
        }
    }

    /// <summary>
    /// Who sends into this conversation, checked once and remembered on the connection: a
    /// customer's conversation stays theirs; a staff member's access is re-checked after a few
    /// seconds (a transfer may have taken it away). Keeps the hot path to one database round trip.
    /// </summary>
    private async Task<Actor> SenderAsync(long number)
    {
        var key = "send:" + number;
        var now = clock.GetUtcNow();
        if (Context.Items[key] is (Actor cached, DateTimeOffset checkedAt) && (Visitor is not null || now - checkedAt < StaffAccessCacheTime))
            return cached;
        var ticket = await AuthorisedTicketAsync(number);
        var actor = Visitor is not null ? Actor.Customer(ticket.CustomerId, await CustomerNameAsync(ticket.CustomerId)) : Context.User!.ToActor();
        Context.Items[key] = (actor, now);
        return actor;
    }

    private static readonly TimeSpan StaffAccessCacheTime = TimeSpan.FromSeconds(5);

    /// <summary>Everything after a sequence number: what a reconnecting client missed.</summary>
    public async Task<IReadOnlyList<ChatMessage>> History(long ticketNumber, int afterSequence)
    {
        var ticket = await AuthorisedTicketAsync(ticketNumber);
        var rows = await Db.TicketMessages.AsNoTracking().Where(m => m.TicketId == ticket.Id && m.Sequence > afterSequence)
            .OrderBy(m => m.Sequence).ToListAsync();
        return rows.Where(m => Visitor is null || ChatMessage.VisibleToCustomer(m)).Select(m => ChatMessage.From(ticket.Number, m)).ToList();
    }

    public async Task Typing(long ticketNumber, bool isTyping)
    {
        var ticket = await AuthorisedTicketAsync(ticketNumber);
        if (Visitor is not null)
            await Clients.Group(ChatGroups.Staff(ticket.Number)).Typing(new TypingNotice(ticket.Number, ActorKind.Customer, await CustomerNameAsync(ticket.CustomerId), isTyping));
        else
        {
            var notice = new TypingNotice(ticket.Number, ActorKind.Staff, Context.User!.ToActor().Name, isTyping);
            await Clients.Group(ChatGroups.Customer(ticket.Number)).Typing(notice);
            await Clients.OthersInGroup(ChatGroups.Staff(ticket.Number)).Typing(notice);
        }
    }

    public async Task MarkRead(long ticketNumber, int sequence)
    {
        var ticket = await AuthorisedTicketAsync(ticketNumber);
        var side = Visitor is not null ? ActorKind.Customer : ActorKind.Staff;
        var changed = side == ActorKind.Customer
            ? await Db.Tickets.Where(t => t.Id == ticket.Id && t.CustomerReadSequence < sequence && t.LastSequence >= sequence)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.CustomerReadSequence, sequence))
            : await Db.Tickets.Where(t => t.Id == ticket.Id && t.StaffReadSequence < sequence && t.LastSequence >= sequence)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.StaffReadSequence, sequence));
        if (changed == 0) return;
        var notice = new ReadNotice(ticket.Number, side, sequence);
        if (side == ActorKind.Customer) await Clients.Group(ChatGroups.Staff(ticket.Number)).Read(notice);
        else await Clients.Group(ChatGroups.Customer(ticket.Number)).Read(notice);
    }

    public async Task EndChat(long ticketNumber)
    {
        var ticket = await AuthorisedTicketAsync(ticketNumber);
        var actor = Visitor is not null ? Actor.Customer(ticket.CustomerId, await CustomerNameAsync(ticket.CustomerId)) : Context.User!.ToActor();
        try
        {
            await Tickets.EndChatAsync(ticket.Number, actor);
        }
        catch (TicketRuleException e)
        {
            throw Error(e.Code, e.Message);
        }
        if (ticket.TeamId is { } team) await dispatcher.DispatchAsync(team);
    }

    /// <summary>The agent ends the chat after sending the approved closing question (结束语) in their name.</summary>
    public async Task EndChatWithClosing(long ticketNumber)
    {
        var agentId = RequireStaff();
        var ticket = await AuthorisedTicketAsync(ticketNumber);
        if (ticket.ChatEndedAt is not null) throw Error("chat_ended", "The conversation has already ended.");
        try
        {
            await Scripts.SayAsync(ScriptKind.Closing, ticket.Number, agentId, $"script:closing:{agentId:N}", Context.ConnectionAborted);
        }
        catch (TicketRuleException e)
        {
            throw Error(e.Code, e.Message);
        }
        await EndChat(ticketNumber);
    }

    // ---- agents ------------------------------------------------------------------------------

    public async Task SetPresence(PresenceStatus status)
    {
        var agentId = RequireStaff();
        if (!Enum.IsDefined(status)) throw Error("invalid", "Presence is Online, Away or Offline.");
        await Presence.SetAsync(agentId, status, Context.ConnectionAborted);
    }

    /// <summary>Takes a chat: the one offered, or any waiting chat of the agent's teams.</summary>
    public async Task<ChatStarted> Accept(long ticketNumber)
    {
        var agentId = RequireStaff();
        var ticket = await AuthorisedTicketAsync(ticketNumber);
        if (ticket.Channel != TicketChannel.Chat) throw Error("not_a_chat", "This ticket is not a chat.");
        if (ticket.AssigneeId is { } holder && holder != agentId) throw Error("taken", "Another agent has already taken this chat.");
        var now = clock.GetUtcNow().UtcDateTime;
        var offers = await Db.ChatOffers.Where(o => o.TicketId == ticket.Id && o.State == OfferState.Pending).ToListAsync();
        foreach (var offer in offers)
            offer.State = offer.AgentId == agentId ? OfferState.Accepted : OfferState.Withdrawn;
        await Db.SaveChangesAsync();
        foreach (var other in offers.Where(o => o.AgentId != agentId))
            await Clients.Group(ChatGroups.Agent(other.AgentId)).OfferWithdrawn(ticket.Number);
        if (ticket.AssigneeId != agentId)
        {
            try
            {
                await Tickets.AssignAsync(ticket.Number, agentId, ticket.TeamId, null, Context.User!.ToActor(), null);
            }
            catch (TicketRuleException e)
            {
                throw Error(e.Code, e.Message);
            }
            await ChatDispatcher.MarkAssignedAsync(Db, agentId, now, Context.ConnectionAborted);
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, ChatGroups.Staff(ticket.Number));
        if (ticket.AssigneeId != agentId)
            await GreetAsync(ticket.Number, agentId);
        if (ticket.TeamId is { } team) await dispatcher.DispatchAsync(team);
        return await DescribeAsync(ticket.Number, resumed: false);
    }

    /// <summary>The approved greeting in the new agent's name; the chat is theirs even if it cannot be said.</summary>
    private async Task GreetAsync(long number, Guid agentId)
    {
        try
        {
            await Scripts.GreetAsync(number, agentId, Context.ConnectionAborted);
        }
        catch (TicketRuleException)
        {
            // The customer left between the offer and the accept: nobody to greet.
        }
    }

    public async Task Decline(long ticketNumber)
    {
        var agentId = RequireStaff();
        var ticket = await AuthorisedTicketAsync(ticketNumber);
        var offer = await Db.ChatOffers.FirstOrDefaultAsync(o => o.TicketId == ticket.Id && o.AgentId == agentId && o.State == OfferState.Pending)
            ?? throw Error("no_offer", "There is no open offer of this chat for you.");
        offer.State = OfferState.Declined;
        await Db.SaveChangesAsync();
        if (ticket.TeamId is { } team) await dispatcher.DispatchAsync(team);
    }

    /// <summary>Opens a conversation in the console: joins its live group and returns its whole timeline.</summary>
    public async Task<IReadOnlyList<ChatMessage>> Open(long ticketNumber)
    {
        RequireStaff();
        var ticket = await AuthorisedTicketAsync(ticketNumber);
        await Groups.AddToGroupAsync(Context.ConnectionId, ChatGroups.Staff(ticket.Number));
        return await History(ticketNumber, 0);
    }

    /// <summary>The caller's open chats and pending offers: what a reloaded or reconnected console shows again.</summary>
    public async Task<AgentChats> ActiveChats()
    {
        var agentId = RequireStaff();
        var now = clock.GetUtcNow().UtcDateTime;
        var chats = await Db.Tickets.AsNoTracking()
            .Where(t => t.AssigneeId == agentId && t.Channel == TicketChannel.Chat && t.ChatEndedAt == null
                        && (t.Status == TicketStatus.Assigned || t.Status == TicketStatus.WaitingOnCustomer))
            .OrderBy(t => t.Id)
            .Select(t => new
            {
                t.Number, t.Subject, t.CustomerId, t.Status, t.LastSequence, t.CustomerReadSequence, t.StaffReadSequence,
                CustomerName = Db.Customers.Where(c => c.Id == t.CustomerId).Select(c => c.Name).FirstOrDefault(),
            })
            .ToListAsync();
        var offers = await Db.ChatOffers.AsNoTracking()
            .Where(o => o.AgentId == agentId && o.State == OfferState.Pending && o.ExpiresAt > now)
            .Join(Db.Tickets, o => o.TicketId, t => t.Id, (o, t) => new
            {
                t.Number, t.Subject, o.ExpiresAt,
                CustomerName = Db.Customers.Where(c => c.Id == t.CustomerId).Select(c => c.Name).FirstOrDefault(),
            })
            .OrderBy(o => o.ExpiresAt)
            .ToListAsync();
        return new AgentChats(
            chats.Select(c => new AgentChat(c.Number, c.Subject, c.CustomerId, c.CustomerName ?? "", c.Status.ToString(), c.LastSequence,
                c.CustomerReadSequence, c.StaffReadSequence)).ToList(),
            offers.Select(o => new ChatOfferNotice(o.Number, o.Subject, o.CustomerName ?? "", o.ExpiresAt)).ToList(),
            now);
    }

    public async Task Close(long ticketNumber)
    {
        RequireStaff();
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, ChatGroups.Staff(ticketNumber));
    }

    /// <summary>Hands the chat to another agent, or back to a team's queue (no agent).</summary>
    public async Task Transfer(long ticketNumber, Guid? agentId, int? teamId)
    {
        RequireStaff();
        var ticket = await AuthorisedTicketAsync(ticketNumber);
        if (agentId is null && teamId is null) throw Error("invalid", "Name an agent or a team.");
        try
        {
            await Tickets.AssignAsync(ticket.Number, agentId, teamId ?? ticket.TeamId, null, Context.User!.ToActor(), null);
        }
        catch (TicketRuleException e)
        {
            throw Error(e.Code, e.Message);
        }
        await dispatcher.DispatchAllAsync(new[] { ticket.TeamId, teamId }.Where(t => t is not null).Select(t => t!.Value));
    }

    // ---- checks ------------------------------------------------------------------------------

    private async Task<Ticket> AuthorisedTicketAsync(long number)
    {
        var ticket = await Db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Number == number);
        // The same answer for "no such ticket" and "not yours": a forged number learns nothing.
        var denied = Error("not_found", $"No conversation {number} for you.");
        if (ticket is null) throw denied;
        if (Visitor is not null)
        {
            if (Context.Items[CustomerIdKey] is not long customerId || ticket.CustomerId != customerId || ticket.Channel != TicketChannel.Chat)
                throw denied;
            return ticket;
        }
        RequireStaff();
        return await Access.StaffMayAccessAsync(Context.User!, ticket, Context.ConnectionAborted) ? ticket : throw denied;
    }

    private Guid RequireStaff() =>
        IsStaff && Visitor is null && Context.User!.StaffId() is { } id ? id : throw Error("staff_only", "Only staff can do this.");

    private void CheckMessage(string text)
    {
        if (text.Length == 0) throw Error("empty", "The message is empty.");
        // No text a person writes holds NUL, and PostgreSQL cannot store it (it would fail the writer's batch).
        if (text.Contains('\0')) throw Error("invalid", "The message contains the NUL character.");
        if (Encoding.UTF8.GetByteCount(text) > Options.MaxMessageBytes)
            throw Error("too_long", $"The message is longer than {Options.MaxMessageBytes} bytes; split it or send a file.");
    }

    private async Task<string> CustomerNameAsync(long? customerId) =>
        customerId is { } id ? await Db.Customers.Where(c => c.Id == id).Select(c => c.Name).FirstOrDefaultAsync() ?? "customer" : "customer";

    private async Task<ChatStarted> DescribeAsync(long number, bool resumed)
    {
        var t = await Db.Tickets.AsNoTracking().FirstAsync(x => x.Number == number);
        var agent = t.AssigneeId is { } a ? await Db.Users.Where(u => u.Id == a).Select(u => u.DisplayName).FirstOrDefaultAsync() : null;
        return new ChatStarted(t.Number, t.Status.ToString(), agent, t.LastSequence, resumed, t.CustomerReadSequence, t.StaffReadSequence);
    }

    private static HubException Error(string code, string message) => new($"[{code}] {message}");

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}

public static class HubSchemes
{
    public const string Staff = "Identity.Application";
}
