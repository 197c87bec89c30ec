using Helpdesk.Core.Chat;
using Helpdesk.Core.Tickets;

namespace Helpdesk.Web.Chat;

/// <summary>
/// One timeline entry as the chat clients see it. A system entry carries its event's from/to values
/// (a status, a staff id, a team id) as the ticket timeline does, so a console words it in its own
/// language instead of showing the server's English body.
/// </summary>
public sealed record ChatMessage(
    long TicketNumber, long Id, int Sequence, MessageKind Kind, string Body, ActorKind AuthorKind, string AuthorName,
    DateTime CreatedAt, string? ClientMessageId, string? EventCode, ChatAttachment? Attachment,
    string? EventFrom = null, string? EventTo = null, string? EventReason = null)
{
    public static ChatMessage From(long ticketNumber, TicketMessage m) =>
        new(ticketNumber, m.Id, m.Sequence, m.Kind, m.Body, m.AuthorKind, m.AuthorName, m.CreatedAt, m.ClientMessageId, m.EventCode,
            m.AttachmentId is { } id ? new ChatAttachment(id, m.AttachmentName!, m.AttachmentType!, m.AttachmentSize ?? 0, $"/api/attachments/{id}") : null,
            m.EventFrom, m.EventTo, m.EventReason);

    /// <summary>Internal notes and most system entries are for staff only.</summary>
    public static bool VisibleToCustomer(TicketMessage m) =>
        m.Kind is MessageKind.Customer or MessageKind.Agent || (m.Kind == MessageKind.System && m.EventCode is "chat_ended");
}

public sealed record ChatAttachment(Guid Id, string FileName, string ContentType, long Size, string Url);

/// <summary>The server's answer to a sent message: stored (or already stored: a retry) under this sequence.</summary>
public sealed record ChatAck(long TicketNumber, string ClientMessageId, long MessageId, int Sequence, bool Duplicate, DateTime CreatedAt);

/// <param name="Language">The widget's language (zh-CN or en): the scripts said in this chat are in it.</param>
public sealed record StartChatRequest(string? Text, string? ClientMessageId, string? Name, string? Email, string? Language = null);

/// <summary>
/// A started or resumed conversation. The read marks let a reloaded client show receipts again:
/// the customer's messages up to <paramref name="StaffReadSequence"/> have been read by staff.
/// </summary>
public sealed record ChatStarted(long TicketNumber, string Status, string? AgentName, int LastSequence, bool Resumed,
    int CustomerReadSequence = 0, int StaffReadSequence = 0);

public sealed record SendChatMessage(long TicketNumber, string? ClientMessageId, string? Text);

public sealed record TypingNotice(long TicketNumber, ActorKind Side, string Name, bool IsTyping);

public sealed record ReadNotice(long TicketNumber, ActorKind Side, int Sequence);

/// <param name="Greeting">The approved queue greeting with the position filled in, by language (zh-CN, en); null when none is approved.</param>
public sealed record QueueNotice(long TicketNumber, int Position, int? EstimatedWaitSeconds, bool AgentsOnline,
    IReadOnlyDictionary<string, string>? Greeting = null);

public sealed record AgentJoinedNotice(long TicketNumber, string AgentName);

public sealed record ChatOfferNotice(long TicketNumber, string Subject, string CustomerName, DateTime ExpiresAt);

/// <summary>
/// What an agent's console restores after a reload or a reconnect: the open chats the agent holds,
/// with the read marks of both sides, and the offers still waiting for an answer. The server's
/// clock lets the console count an offer down to its ExpiresAt even when the agent's PC clock is off.
/// </summary>
public sealed record AgentChats(IReadOnlyList<AgentChat> Chats, IReadOnlyList<ChatOfferNotice> Offers, DateTime ServerTime);

public sealed record AgentChat(
    long TicketNumber, string Subject, long? CustomerId, string CustomerName, string Status, int LastSequence,
    int CustomerReadSequence, int StaffReadSequence);

public sealed record ChatAssignedNotice(long TicketNumber, string Subject, string CustomerName, Guid? AgentId, int? TeamId);

public sealed record ChatEndedNotice(long TicketNumber, ActorKind By);

public sealed record TicketStatusNotice(long TicketNumber, TicketStatus Status, int Version);

/// <summary>The answer to the widget's supervisor button.</summary>
public sealed record SupervisorRequested(long TicketNumber, bool AlreadyAsked);

public sealed record PresenceNotice(Guid AgentId, PresenceStatus Status);

/// <summary>What the hub calls on its clients (customers' widgets and agents' consoles).</summary>
public interface IChatClient
{
    Task Message(ChatMessage message);
    Task Typing(TypingNotice notice);
    Task Read(ReadNotice notice);
    Task Queue(QueueNotice notice);
    Task AgentJoined(AgentJoinedNotice notice);
    Task ChatEnded(ChatEndedNotice notice);
    Task Offer(ChatOfferNotice notice);
    Task OfferWithdrawn(long ticketNumber);
    Task ChatAssigned(ChatAssignedNotice notice);
    Task ChatUnassigned(long ticketNumber);
    Task TicketStatus(TicketStatusNotice notice);
    Task Presence(PresenceNotice notice);
    /// <summary>An escalation or de-escalation (issue 6) for the assignee, supervisors, admins or whoever has the ticket open.</summary>
    Task Escalation(Escalation.EscalationNotice notice);
    /// <summary>The satisfaction survey, inline in the widget after the ticket was resolved (Surveys feature).</summary>
    Task Survey(Surveys.SurveyInvitationNotice notice);
}

/// <summary>SignalR group names, in one place.</summary>
public static class ChatGroups
{
    public static string Customer(long ticketNumber) => $"ticket:{ticketNumber}:customer";
    public static string Staff(long ticketNumber) => $"ticket:{ticketNumber}:staff";
    public static string Agent(Guid agentId) => $"agent:{agentId}";
    public static string Team(int teamId) => $"team:{teamId}";
}
