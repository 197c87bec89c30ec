using Helpdesk.Core.Tickets;
using Helpdesk.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Triage;

/// <summary>
/// Triage on new tickets (subject and first message) and on each new customer message of an open
/// ticket. It works in its own scope: it runs inside the SaveChanges of the writer's context, and
/// its own commit publishes what triage changed (TicketTriaged, TriageFlagRaised) to the others.
/// The tickets of one publication are triaged together once it is handled, in one transaction:
/// a batch of mail taken in with one commit is not triaged with a commit per mail.
/// </summary>
public sealed class TriageListener(IServiceScopeFactory scopes, ChatTriageQueue chats, IOptions<TriageOptions> options, ILogger<TriageListener> log) : ITicketEventListener
{
    // The description of a new ticket is also a MessageAdded; TicketCreated already triaged it.
    private readonly HashSet<TicketMessage> _seenAtCreation = new(ReferenceEqualityComparer.Instance);
    private readonly List<TriageRequest> _pending = [];

    public Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        if (!options.Value.Enabled)
            return Task.CompletedTask;
        switch (e)
        {
            case TicketCreated created:
                var customer = created.Ticket.Messages.Where(m => m.Kind == MessageKind.Customer).ToList();
                _seenAtCreation.UnionWith(customer);
                var text = string.Join("\n", customer.Select(m => m.Body).Prepend(created.Ticket.Subject));
                _pending.Add(new TriageRequest(created.Ticket.Id, customer.FirstOrDefault()?.Id, text));
                break;
            case MessageAdded added when added.Message.Kind == MessageKind.Customer && added.Ticket.IsOpen && !_seenAtCreation.Contains(added.Message)
                                          && added.Ticket.Channel == TicketChannel.Chat:
                chats.Enqueue(added.Ticket.Id, added.Message.Id, added.Message.Body);
                break;
            case MessageAdded added when added.Message.Kind == MessageKind.Customer && added.Ticket.IsOpen && !_seenAtCreation.Contains(added.Message):
                _pending.Add(new TriageRequest(added.Ticket.Id, added.Message.Id, added.Message.Body));
                break;
        }
        return Task.CompletedTask;
    }

    public async Task EventsPublishedAsync(CancellationToken ct)
    {
        if (_pending.Count == 0)
            return;
        var requests = _pending.ToList();
        _pending.Clear();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var results = await scope.ServiceProvider.GetRequiredService<TriageService>().TriageManyAsync(requests, ct);
            log.LogDebug("{Count} tickets triaged together; {Changed} changed by triage", results.Count, results.Count(r => r.Applied.Length > 0));
        }
        catch (Exception e) when (requests.Count > 1 && e is not OperationCanceledException)
        {
            // Someone changed one of these tickets meanwhile, or one request is bad: each on its own,
            // so one never leaves the others untriaged.
            log.LogDebug(e, "Triage of {Count} tickets together failed; one by one", requests.Count);
            foreach (var request in requests)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<TriageService>().TriageAsync(request.TicketId, request.MessageId, request.Text, ct);
                }
                catch (Exception one) when (one is not OperationCanceledException)
                {
                    log.LogError(one, "Triage of ticket {TicketId} failed", request.TicketId);
                }
            }
        }
    }
}
