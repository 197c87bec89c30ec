using Microsoft.EntityFrameworkCore;
using Helpdesk.Data.Sla;
using Helpdesk.Data;
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
            case MessageAdded { Message.Kind: MessageKind.Customer }:
                worker.Post(e.Ticket.Id, closed: false, customerMessage: true);
                break;
            case TicketCreated:
            case MessageAdded { Message.Kind: MessageKind.Agent }:
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
/// A customer message while a response clock already runs (a stored first- or next-response due
/// time) cannot move a deadline: the clock started at the first unanswered message. Such notices
/// cost one indexed read for the whole batch instead of a recomputation each; in a busy chat that
/// is nearly every message (the chat bench: the worker had used a whole core on them). If an agent
/// reply's recomputation is still to come, it replays the full history, this message included.
/// </summary>
public sealed class SlaWorker(IServiceScopeFactory scopes, ILogger<SlaWorker> log) : BackgroundService
{
    private readonly Channel<(long TicketId, bool Closed, bool CustomerMessage)> _queue =
        Channel.CreateUnbounded<(long, bool, bool)>(new UnboundedChannelOptions { SingleReader = true });
    private long _pending;

    /// <summary>Tickets posted and not yet looked at (tests wait for zero).</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>How many notices were settled by the running-clock check without a recomputation.</summary>
    public long SkippedCustomerMessages => Interlocked.Read(ref _skipped);
    private long _skipped;

    public void Post(long ticketId, bool closed, bool customerMessage = false)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite((ticketId, closed, customerMessage)))
            Interlocked.Decrement(ref _pending);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new Dictionary<long, (bool Closed, bool OnlyCustomerMessages)>();
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            var taken = 0;
            while (batch.Count < 256 && _queue.Reader.TryRead(out var item))
            {
                taken++;
                batch[item.TicketId] = batch.TryGetValue(item.TicketId, out var seen)
                    ? (seen.Closed || item.Closed, seen.OnlyCustomerMessages && item.CustomerMessage)
                    : (item.Closed, item.CustomerMessage);
            }
            var running = await ResponseClockRunningAsync(batch.Where(b => b.Value.OnlyCustomerMessages).Select(b => b.Key).ToList(), stoppingToken);
            Interlocked.Add(ref _skipped, running.Count);
            foreach (var (ticketId, (closed, _)) in batch)
            {
                if (running.Contains(ticketId))
                    continue;
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

    private async Task<HashSet<long>> ResponseClockRunningAsync(List<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
            return [];
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
            return (await db.Tickets.AsNoTracking()
                .Where(t => ids.Contains(t.Id) && (EF.Property<DateTime?>(t, SlaColumns.FirstResponseDueAt) != null
                                                    || EF.Property<DateTime?>(t, SlaColumns.NextResponseDueAt) != null))
                .Select(t => t.Id).ToListAsync(ct)).ToHashSet();
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "SLA running-clock check failed; recomputing the {Count} tickets instead", ids.Count);
            return [];
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
