using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Chat;

/// <summary>
/// Pushes committed changes of chat tickets to the people in the conversation: messages (staff
/// see all, the customer only what is meant for them), the agent joining, status, the end.
/// Because it listens to ticket events, a reply written through the REST API reaches the
/// customer's widget just like one from the chat panel.
/// </summary>
/// It reads names through its own scope: it runs inside the SaveChanges of the writer's context.
public sealed class ChatRealtimeListener(IHubContext<ChatHub, IChatClient> hub, IServiceScopeFactory scopes, ChatSenders senders) : ITicketEventListener
{
    public async Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        var ticket = e.Ticket;
        if (ticket.Channel != TicketChannel.Chat)
            return;
        var number = ticket.Number;
        switch (e)
        {
            case MessageAdded m:
                var message = ChatMessage.From(number, m.Message);
                // The sending connection has the message in its acknowledgement (ChatSenders).
                var sender = senders.ConnectionOf(number, m.Message.ClientMessageId);
                var staff = ChatGroups.Staff(number);
                await (sender is null ? hub.Clients.Group(staff) : hub.Clients.GroupExcept(staff, sender)).Message(message);
                if (ChatMessage.VisibleToCustomer(m.Message))
                {
                    var customer = ChatGroups.Customer(number);
                    await (sender is null ? hub.Clients.Group(customer) : hub.Clients.GroupExcept(customer, sender)).Message(message);
                }
                if (m.Message.EventCode == "chat_ended")
                {
                    var notice = new ChatEndedNotice(number, m.Message.AuthorKind);
                    await hub.Clients.Group(ChatGroups.Customer(number)).ChatEnded(notice);
                    await hub.Clients.Group(ChatGroups.Staff(number)).ChatEnded(notice);
                }
                break;
            case TicketAssigned a:
                await using (var scope = scopes.CreateAsyncScope())
                {
                var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
                var customer = ticket.CustomerId is { } c ? await db.Customers.Where(x => x.Id == c).Select(x => x.Name).FirstOrDefaultAsync(ct) : null;
                if (a.ToAssignee is { } agent)
                {
                    var name = await db.Users.Where(u => u.Id == agent).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
                    await hub.Clients.Group(ChatGroups.Customer(number)).AgentJoined(new AgentJoinedNotice(number, name));
                    await hub.Clients.Group(ChatGroups.Agent(agent)).ChatAssigned(new ChatAssignedNotice(number, ticket.Subject, customer ?? "", agent, ticket.TeamId));
                }
                if (a.FromAssignee is { } previous && previous != a.ToAssignee)
                    await hub.Clients.Group(ChatGroups.Agent(previous)).ChatUnassigned(number);
                }
                break;
            case StatusChanged:
                await hub.Clients.Group(ChatGroups.Staff(number)).TicketStatus(new TicketStatusNotice(number, ticket.Status, ticket.Version));
                break;
        }
    }
}
