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
