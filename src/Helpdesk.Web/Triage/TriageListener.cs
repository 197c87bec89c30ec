using Helpdesk.Core.Tickets;
using Helpdesk.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Triage;

/// <summary>
/// Triage on new tickets (subject and first message) and on each new customer message of an open
/// ticket. It works in its own scope: it runs inside the SaveChanges of the writer's context, and
/// its own commit publishes what triage changed (TicketTriaged, TriageFlagRaised) to the others.
/// </summary>
public sealed class TriageListener(IServiceScopeFactory scopes, ChatTriageQueue chats, IOptions<TriageOptions> options, ILogger<TriageListener> log) : ITicketEventListener
{
    // The description of a new ticket is also a MessageAdded; TicketCreated already triaged it.
    private readonly HashSet<TicketMessage> _seenAtCreation = new(ReferenceEqualityComparer.Instance);

    public async Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        if (!options.Value.Enabled)
            return;
        switch (e)
        {
            case TicketCreated created:
                var customer = created.Ticket.Messages.Where(m => m.Kind == MessageKind.Customer).ToList();
                _seenAtCreation.UnionWith(customer);
                var text = string.Join("\n", customer.Select(m => m.Body).Prepend(created.Ticket.Subject));
                await RunAsync(created.Ticket, customer.FirstOrDefault()?.Id, text, ct);
                break;
            case MessageAdded added when added.Message.Kind == MessageKind.Customer && added.Ticket.IsOpen && !_seenAtCreation.Contains(added.Message)
                                          && added.Ticket.Channel == TicketChannel.Chat:
                chats.Enqueue(added.Ticket.Id, added.Message.Id, added.Message.Body);
                break;
            case MessageAdded added when added.Message.Kind == MessageKind.Customer && added.Ticket.IsOpen && !_seenAtCreation.Contains(added.Message):
                await RunAsync(added.Ticket, added.Message.Id, added.Message.Body, ct);
                break;
        }
    }

    private async Task RunAsync(Ticket ticket, long? messageId, string text, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<TriageService>().TriageAsync(ticket.Id, messageId, text, ct);
        if (result is not null)
            log.LogDebug("Ticket {Number} triaged as {Type}/{Category}/{Severity} by rules v{Version}; changed: {Applied}",
                ticket.Number, result.Type, result.Category, result.Severity, result.RuleSetVersion, result.Applied);
    }
}
