namespace Helpdesk.Core.Tickets;

/// <summary>
/// A request the ticket's rules refuse. <see cref="Code"/> is stable for clients
/// (e.g. "illegal_transition"); <see cref="Exception.Message"/> is the reason for a person.
/// </summary>
public sealed class TicketRuleException(string code, string reason) : Exception(reason)
{
    public string Code { get; } = code;
}
