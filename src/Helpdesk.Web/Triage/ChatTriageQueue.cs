using System.Threading.Channels;

namespace Helpdesk.Web.Triage;

/// <summary>
/// Triage of chat messages, off the chat writer's path. A chat message is acknowledged once it is
/// committed; triaging it (customer context, result row, maybe a ticket change: its own commit)
/// inline would make every sender wait for a second transaction. Messages of one conversation that
/// arrive while a pass runs are triaged together in the next, so a busy chat costs one pass, not
/// one per message. Messages still queued when the app stops are triaged before it exits.
/// </summary>
public sealed class ChatTriageQueue(IServiceScopeFactory scopes, ILogger<ChatTriageQueue> log) : BackgroundService
{
    private const int MaxPass = 500;
    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(long ticketId, long messageId, string text)
    {
        Interlocked.Increment(ref _waiting);
        if (!_queue.Writer.TryWrite(new Item(ticketId, messageId, text)))
            Interlocked.Decrement(ref _waiting);
    }

    private long _waiting;

    /// <summary>Passes run so far; tests wait on it instead of sleeping.</summary>
    public long Passes => Interlocked.Read(ref _passes);
    private long _passes;

    /// <summary>True when nothing waits and no pass runs.</summary>
    public bool Idle => Interlocked.Read(ref _waiting) == 0 && Volatile.Read(ref _running) == 0;
    private int _running;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
                await PassAsync(CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await PassAsync(CancellationToken.None);
        }
    }

    private async Task PassAsync(CancellationToken ct)
    {
        Interlocked.Exchange(ref _running, 1);
        try
        {
            var items = new List<Item>();
            while (items.Count < MaxPass && _queue.Reader.TryRead(out var item))
                items.Add(item);
            Interlocked.Add(ref _waiting, -items.Count);
            foreach (var conversation in items.GroupBy(i => i.TicketId))
            {
                var last = conversation.Last();
                var text = string.Join("\n", conversation.Select(i => i.Text));
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<TriageService>().TriageAsync(conversation.Key, last.MessageId, text, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Triage is advice: a failure is logged and the conversation goes on untriaged.
                    log.LogError(e, "Triage of chat ticket {TicketId} failed", conversation.Key);
                }
            }
            Interlocked.Increment(ref _passes);
        }
        finally
        {
            Interlocked.Exchange(ref _running, 0);
        }
    }

    private sealed record Item(long TicketId, long MessageId, string Text);
}
