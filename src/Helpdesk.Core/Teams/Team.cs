namespace Helpdesk.Core.Teams;

/// <summary>A group of agents (售前 Pre-sales, 售后 After-sales) that owns queues of tickets.</summary>
public sealed class Team
{
    public int Id { get; set; }
    /// <summary>Stable key used by configuration and routing ("pre-sales").</summary>
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string NameZh { get; set; } = "";
    public List<TicketQueue> Queues { get; set; } = [];
}

/// <summary>A team's queue; each team has a general queue and a complaint queue.</summary>
public sealed class TicketQueue
{
    public int Id { get; set; }
    public int TeamId { get; set; }
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string NameZh { get; set; } = "";
    public bool IsComplaintQueue { get; set; }
}
