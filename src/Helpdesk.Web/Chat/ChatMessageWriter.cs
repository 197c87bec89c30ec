using System.Data.Common;
using System.Threading.Channels;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Chat;

/// <summary>A chat message waiting to be stored.</summary>
public sealed record ChatAppend(long TicketNumber, string Body, Actor Author, Guid? AgentId, string ClientMessageId);

/// <summary>
/// Group commit for chat messages (design §3.5): messages that arrive while a commit is running
/// are stored together in the next one, and each sender is acknowledged only after the commit
/// that holds their message. Under load that is one transaction for many messages instead of
/// one each; when idle it is one message, one transaction, no added wait.
/// A message refused by the ticket's rules fails alone; a batch the database refuses is retried
/// one message at a time, so one bad message never takes others down with it.
/// </summary>
public sealed class ChatMessageWriter : BackgroundService
{
    private const int MaxBatch = 256;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ILogger<ChatMessageWriter> _log;

    public ChatMessageWriter(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ChatMessageWriter> log)
    {
        _scopes = scopes;
        _clock = clock;
        _log = log;
    }

    /// <summary>Batches committed so far and messages in them: the bench reads these.</summary>
    public long Batches => Interlocked.Read(ref _batches);
    public long Messages => Interlocked.Read(ref _messages);
    /// <summary>Batches written without EF's change tracker (the common case).</summary>
    public long UntrackedBatches => Interlocked.Read(ref _untracked);
    private long _batches, _messages, _untracked;

    public Task<MessageAddedResult> AppendAsync(ChatAppend append, CancellationToken ct = default)
    {
        var pending = new Pending(append, new TaskCompletionSource<MessageAddedResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
            throw new InvalidOperationException("The chat writer has stopped.");
        return pending.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
                    batch.Add(next);
                await CommitAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
                left.Done.TrySetException(new InvalidOperationException("The server is stopping; send the message again."));
        }
    }

    private async Task CommitAsync(List<Pending> batch, CancellationToken ct)
    {
        try
        {
            await CommitOnceAsync(batch, ct);
        }
        catch (Exception e) when (e is DbUpdateException or DbException && batch.Count > 1)
        {
            // Someone else wrote one of these tickets meanwhile: redo each message on its own.
            foreach (var one in batch)
                await CommitAloneAsync(one, ct);
        }
        catch (Exception e) when (e is DbUpdateException or DbException)
        {
            await CommitAloneAsync(batch[0], ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogError(e, "Chat batch of {Count} failed", batch.Count);
            foreach (var p in batch) p.Done.TrySetException(e);
        }
    }

    private async Task CommitAloneAsync(Pending one, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CommitOnceAsync([one], ct, lookForResends: true);
                return;
            }
            catch (DbUpdateException e) when (attempt < 5)
            {
                _log.LogDebug(e, "Retrying chat message {Id}", one.Append.ClientMessageId);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                one.Done.TrySetException(e);
                return;
            }
        }
    }

    private async Task CommitOnceAsync(List<Pending> batch, CancellationToken ct, bool lookForResends = false)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        var now = _clock.GetUtcNow().UtcDateTime;
        if (!lookForResends && await TryAppendUntrackedAsync(scope.ServiceProvider, db, batch, now, ct))
            return;

        var numbers = batch.Select(p => p.Append.TicketNumber).Distinct().ToList();
        var tickets = await db.Tickets.Where(t => numbers.Contains(t.Number)).ToDictionaryAsync(t => t.Number, ct);
        // A resend is rare: the batch path leaves it to the unique index (a clash sends the batch
        // down the one-by-one path, which looks for the stored message first).
        var seen = new Dictionary<(long, string), TicketMessage>();
        if (lookForResends)
        {
            var ticketIds = tickets.Values.Select(t => t.Id).ToList();
            var clientIds = batch.Select(p => p.Append.ClientMessageId).Distinct().ToList();
            var stored = await db.TicketMessages.AsNoTracking()
                .Where(m => ticketIds.Contains(m.TicketId) && clientIds.Contains(m.ClientMessageId!))
                .ToListAsync(ct);
            seen = stored.ToDictionary(m => (m.TicketId, m.ClientMessageId!));
        }

        var outcomes = new List<(Pending Pending, Func<MessageAddedResult>? Result, Exception? Error)>(batch.Count);
        var added = new Dictionary<(long, string), TicketMessage>();
        foreach (var p in batch)
        {
            var a = p.Append;
            if (!tickets.TryGetValue(a.TicketNumber, out var ticket))
            {
                outcomes.Add((p, null, new NotFoundException($"Ticket {a.TicketNumber} does not exist.")));
                continue;
            }
            if (seen.TryGetValue((ticket.Id, a.ClientMessageId), out var earlier))
            {
                outcomes.Add((p, () => new MessageAddedResult(ticket.Number, earlier, true), null));
                continue;
            }
            if (added.TryGetValue((ticket.Id, a.ClientMessageId), out var inBatch))
            {
                outcomes.Add((p, () => new MessageAddedResult(ticket.Number, inBatch, true), null));
                continue;
            }
            try
            {
                var message = Apply(ticket, a, now);
                added[(ticket.Id, a.ClientMessageId)] = message;
                outcomes.Add((p, () => new MessageAddedResult(ticket.Number, message, false), null));
            }
            catch (TicketRuleException e)
            {
                outcomes.Add((p, null, e));
            }
        }

        if (added.Count > 0)
        {
            await db.SaveChangesAsync(ct);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _messages, added.Count);
        }
        foreach (var (p, result, error) in outcomes)
        {
            if (error is not null) p.Done.TrySetException(error);
            else p.Done.TrySetResult(result!());
        }
    }

    /// <summary>
    /// The common case, plain messages on open conversations, written without EF's change tracker
    /// (<see cref="TimelineAppender"/>). False, with nothing written or answered, when the batch
    /// needs the tracked path: a message that changes more than the timeline (a reopened ticket,
    /// an agent taking a chat), or a ticket another writer changed meanwhile.
    /// </summary>
    private async Task<bool> TryAppendUntrackedAsync(IServiceProvider services, HelpdeskDbContext db, List<Pending> batch, DateTime now, CancellationToken ct)
    {
        var numbers = batch.Select(p => p.Append.TicketNumber).Distinct().ToList();
        var tickets = await db.Tickets.AsNoTracking().Where(t => numbers.Contains(t.Number)).ToDictionaryAsync(t => t.Number, ct);
        var watched = tickets.Values.ToDictionary(t => t.Number, t => TimelineAppend.Watch(db, t));

        var outcomes = new List<(Pending Pending, Func<MessageAddedResult>? Result, Exception? Error)>(batch.Count);
        var added = new Dictionary<(long, string), TicketMessage>();
        foreach (var p in batch)
        {
            var a = p.Append;
            if (!tickets.TryGetValue(a.TicketNumber, out var ticket))
            {
                outcomes.Add((p, null, new NotFoundException($"Ticket {a.TicketNumber} does not exist.")));
                continue;
            }
            if (added.TryGetValue((ticket.Id, a.ClientMessageId), out var inBatch))
            {
                outcomes.Add((p, () => new MessageAddedResult(ticket.Number, inBatch, true), null));
                continue;
            }
            try
            {
                var message = Apply(ticket, a, now);
                added[(ticket.Id, a.ClientMessageId)] = message;
                outcomes.Add((p, () => new MessageAddedResult(ticket.Number, message, false), null));
            }
            catch (TicketRuleException e)
            {
                outcomes.Add((p, null, e));
            }
        }

        if (added.Count > 0)
        {
            var changed = watched.Values.Where(w => w.Ticket.Messages.Count > 0).ToList();
            if (!changed.All(w => TimelineAppender.CanAppend(db, w)))
                return false;
            if (!await TimelineAppender.TryWriteAsync(db, changed, ct))
                return false;
            Interlocked.Increment(ref _batches);
            Interlocked.Increment(ref _untracked);
            Interlocked.Add(ref _messages, added.Count);
            await services.GetRequiredService<TicketEventPublisher>().PublishAsync(changed.Select(w => w.Ticket), ct);
        }
        foreach (var (p, result, error) in outcomes)
        {
            if (error is not null) p.Done.TrySetException(error);
            else p.Done.TrySetResult(result!());
        }
        return true;
    }

    private static TicketMessage Apply(Ticket ticket, ChatAppend a, DateTime now)
    {
        if (ticket.Channel == TicketChannel.Chat && ticket.ChatEndedAt is not null)
            throw new TicketRuleException("chat_ended", "This conversation has ended; start a new one.");
        if (a.Author.Kind == ActorKind.Customer)
        {
            var outcome = ticket.AddCustomerMessage(a.Body, a.Author, now, a.ClientMessageId, out var message);
            return message ?? throw new TicketRuleException("ticket_closed", "This conversation is closed; start a new one.");
        }
        return ticket.AddAgentReply(a.Body, a.Author, a.AgentId!.Value, now, a.ClientMessageId);
    }

    private sealed record Pending(ChatAppend Append, TaskCompletionSource<MessageAddedResult> Done);
}

public sealed record MessageAddedResult(long TicketNumber, TicketMessage Message, bool Duplicate);
