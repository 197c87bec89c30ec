namespace Helpdesk.Core.Tickets;

/// <summary>Who did something: recorded on every message and history entry.</summary>
public readonly record struct Actor(ActorKind Kind, string? Id, string Name)
{
    public static Actor System { get; } = new(ActorKind.System, null, "system");

    public static Actor Staff(Guid id, string name) => new(ActorKind.Staff, id.ToString(), name);

    public static Actor Customer(long? customerId, string name) =>
        new(ActorKind.Customer, customerId?.ToString(), name);
}
