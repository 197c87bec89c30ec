using System.Threading.Channels;
using Helpdesk.Core.Escalation;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Infrastructure;

namespace Helpdesk.Web.Sla;

/// <summary>
/// Hears every ticket event that can move a deadline (creation, a customer message or public
/// reply, a status change, a team change, a priority change, a merge) and hands the ticket to the
/// <see cref="SlaWorker"/>. It does no work itself: the chat writer publishes inside its hot path,
/// and an acknowledgement must not wait for SLA math.
/// </summary>
public sealed class SlaScheduler(SlaWorker worker) : ITicketEventListener
{
    public Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        switch (e)
        {
            case TicketCreated:
            case MessageAdded { Message.Kind: MessageKind.Customer or MessageKind.Agent }:
            case TicketAssigned a when a.FromTeam != a.ToTeam:
            case PriorityChanged:
            case TicketTriaged: // type, priority or handling mode can pick a stricter policy
                worker.Post(e.Ticket.Id, closed: false);
                break;
            case StatusChanged s:
                worker.Post(e.Ticket.Id, closed: !TicketLifecycle.IsOpen(s.To) && TicketLifecycle.IsOpen(s.From));
                break;
            case TicketMerged m:
                worker.Post(m.Ticket.Id, closed: true);
                worker.Post(m.Target.Id, closed: false);
                break;
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// Recomputes the SLA of tickets that changed, one at a time in the background, folding repeated
/// notices of the same ticket into one look. An event lost in a crash costs nothing lasting: the
/// ticket's timer (or the reconciler) recomputes from the stored history.
/// </summary>
public sealed class SlaWorker(IServiceScopeFactory scopes, ILogger<SlaWorker> log) : BackgroundService
{
    private readonly Channel<(long TicketId, bool Closed)> _queue = Channel.CreateUnbounded<(long, bool)>(new UnboundedChannelOptions { SingleReader = true });
    private long _pending;

    /// <summary>Tickets posted and not yet looked at (tests wait for zero).</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public void Post(long ticketId, bool closed)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite((ticketId, closed)))
            Interlocked.Decrement(ref _pending);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new Dictionary<long, bool>();
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            var taken = 0;
            while (batch.Count < 256 && _queue.Reader.TryRead(out var item))
            {
                taken++;
                batch[item.TicketId] = batch.GetValueOrDefault(item.TicketId) || item.Closed;
            }
            foreach (var (ticketId, closed) in batch)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<SlaProcessor>()
                        .ProcessAsync(ticketId, new SlaWork(SlaCause.TicketChanged, Closed: closed), stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    log.LogError(e, "SLA of ticket {TicketId} not recomputed; its timer or the reconciler will", ticketId);
                }
            }
            Interlocked.Add(ref _pending, -taken);
        }
    }
}

/// <summary>
/// A customer threatening the regulator or the press (12315, 消协, 曝光, a lawyer, a chargeback):
/// triage raises the flag once per ticket, and the ticket enters the escalation ladder at once
/// (issue 7 point 4), whatever its SLA clocks say.
/// </summary>
public sealed class TriageThreatListener(IServiceScopeFactory scopes) : ITicketEventListener
{
    public async Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        if (e is not TriageFlagRaised raised || !raised.Raised.HasFlag(Helpdesk.Core.Triage.TriageFlags.RegulatorOrMediaThreat)) return;
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Escalation.EscalationService>()
            .RaiseAsync(e.Ticket.Id, EscalationTrigger.TriageThreat(raised.RuleIds.Count > 0 ? string.Join(", ", raised.RuleIds) : null), ct);
    }
}

/// <summary>Customer messages asking for a supervisor ("找你们领导", "I want to speak to your manager") enter the ladder.</summary>
public sealed class SupervisorRequestListener(IServiceScopeFactory scopes) : ITicketEventListener
{
    public async Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        if (e is not MessageAdded { Message.Kind: MessageKind.Customer } added) return;
        if (Helpdesk.Core.Escalation.SupervisorRequestRecogniser.Recognise(added.Message.Body) is not { } phrase) return;
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Escalation.EscalationService>()
            .RaiseAsync(e.Ticket.Id, EscalationTrigger.CustomerAskedForSupervisor(phrase), ct);
    }
}
