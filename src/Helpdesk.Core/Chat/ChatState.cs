namespace Helpdesk.Core.Chat;

/// <summary>An agent's presence, shared by every node through the database.</summary>
public sealed class AgentPresence
{
    public Guid AgentId { get; set; }
    public PresenceStatus Status { get; set; }
    /// <summary>Open console connections; the agent goes offline when the last one closes.</summary>
    public int Connections { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? LastAssignedAt { get; set; }
    /// <summary>This agent's own chat capacity, set by a supervisor; null: the installation's (Chat:AgentCapacity).</summary>
    public int? Capacity { get; set; }
}

/// <summary>
/// One open console connection of an agent, on one node. The node renews its rows while it runs;
/// rows a node stopped renewing (it crashed) are dropped by the others, so a dead node's consoles
/// do not keep their agents online.
/// </summary>
public sealed class AgentConnection
{
    public string ConnectionId { get; set; } = "";
    public Guid AgentId { get; set; }
    public string Node { get; set; } = "";
    public DateTime SeenAt { get; set; }
}

public enum OfferState { Pending = 0, Accepted = 1, Declined = 2, Expired = 3, Withdrawn = 4 }

/// <summary>A chat offered to one agent, who accepts or lets it pass to the next.</summary>
public sealed class ChatOffer
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public Guid AgentId { get; set; }
    public DateTime OfferedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public OfferState State { get; set; }
}
