namespace Helpdesk.Core.Chat;

public enum PresenceStatus { Offline = 0, Online = 1, Away = 2 }

/// <summary>An agent as routing sees them: presence, how many chats they hold, when they last got one,
/// and their own capacity when a supervisor set one (null: the installation's).</summary>
public readonly record struct AgentAvailability(Guid AgentId, PresenceStatus Presence, int ActiveChats, DateTime? LastAssignedAt, int? Capacity = null);

/// <summary>
/// Which agent gets the next chat: an online agent of the team under their capacity, the least
/// loaded first; on a tie, the one who waited longest since their last chat, so work spreads.
/// </summary>
public static class AgentRouting
{
    public const int DefaultCapacity = 5;

    public static Guid? PickAgent(IEnumerable<AgentAvailability> agents, int capacity, IReadOnlySet<Guid>? exclude = null) =>
        agents
            .Where(a => a.Presence == PresenceStatus.Online && a.ActiveChats < (a.Capacity ?? capacity) && (exclude is null || !exclude.Contains(a.AgentId)))
            .OrderBy(a => a.ActiveChats)
            .ThenBy(a => a.LastAssignedAt ?? DateTime.MinValue)
            .ThenBy(a => a.AgentId)
            .Select(a => (Guid?)a.AgentId)
            .FirstOrDefault();

    /// <summary>Free chat slots among the online agents: zero means a new chat has to wait.</summary>
    public static int FreeSlots(IEnumerable<AgentAvailability> agents, int capacity) =>
        agents.Where(a => a.Presence == PresenceStatus.Online).Sum(a => Math.Max(0, (a.Capacity ?? capacity) - a.ActiveChats));
}

/// <summary>A waiting customer's place in the queue and the wait we expect.</summary>
public readonly record struct QueuePosition(int Position, TimeSpan EstimatedWait);

public static class QueueEstimate
{
    /// <summary>
    /// Position is 1-based. Each online agent works through their chats in parallel; a slot frees
    /// on average every (handle time / online slots). With nobody online there is no estimate.
    /// </summary>
    public static QueuePosition For(int position, int onlineAgents, int capacity, TimeSpan averageHandleTime, int freeSlots)
    {
        if (position <= 0) throw new ArgumentOutOfRangeException(nameof(position));
        if (onlineAgents <= 0) return new QueuePosition(position, TimeSpan.MaxValue);
        if (position <= freeSlots) return new QueuePosition(position, TimeSpan.Zero);
        var slots = onlineAgents * Math.Max(1, capacity);
        var ahead = position - freeSlots;
        return new QueuePosition(position, TimeSpan.FromSeconds(Math.Ceiling(averageHandleTime.TotalSeconds * ahead / slots)));
    }
}
