using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Triage;

/// <summary>
/// Triage of chat messages, off the chat writer's path. A chat message is acknowledged once it is
/// committed; triaging it inline (customer context, a result row, maybe a ticket change: its own
/// commit) made every sender wait for a second transaction. Here a conversation's first message
/// is triaged at once and later ones at most every <see cref="TriageOptions.ChatIntervalSeconds"/>,
/// all messages that arrived meanwhile together; a pass that only repeats the last result stores
/// nothing. So a busy chat costs a bounded number of passes, and SQLite's one writer stays with
/// the chat. Messages still waiting when the app stops are triaged before it exits.
/// </summary>
public sealed class ChatTriageQueue(IServiceScopeFactory scopes, TimeProvider clock, IOptionsMonitor<TriageOptions> options,
    ILogger<ChatTriageQueue> log) : BackgroundService
{
    private readonly object _gate = new();
    private readonly Dictionary<long, Waiting> _waiting = [];
    private readonly Dictionary<long, DateTimeOffset> _lastPass = [];
    private readonly SemaphoreSlim _signal = new(0);
    private int _running;

    public void Enqueue(long ticketId, long messageId, string text)
    {
        lock (_gate)
        {
            if (_waiting.TryGetValue(ticketId, out var w))
                _waiting[ticketId] = w with { LastMessageId = messageId, Text = w.Text + "\n" + text };
            else
                _waiting[ticketId] = new Waiting(messageId, text);
        }
        _signal.Release();
    }

    /// <summary>Passes run so far; tests wait on it instead of sleeping.</summary>
    public long Passes => Interlocked.Read(ref _passes);
    private long _passes;

    /// <summary>True when nothing waits and no pass runs.</summary>
    public bool Idle
    {
        get
        {
            lock (_gate) return _waiting.Count == 0 && Volatile.Read(ref _running) == 0;
        }
    }

    private TimeSpan Interval => TimeSpan.FromSeconds(options.CurrentValue.ChatIntervalSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = await PassAsync(all: false);
                // Wake for a new message, or when the earliest held conversation is due.
                if (next is { } wait)
                    await SignalOrDelayAsync(wait, stoppingToken);
                else
                    await _signal.WaitAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await PassAsync(all: true);
        }
    }

    private async Task SignalOrDelayAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var signal = _signal.WaitAsync(cts.Token);
        await Task.WhenAny(signal, Task.Delay(wait, clock, cts.Token));
        // A waiter left behind would swallow the next message's signal.
        await cts.CancelAsync();
        try { await signal; } catch (OperationCanceledException) { }
        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>Triages the conversations that are due; returns how long until the next one held back is.</summary>
    private async Task<TimeSpan?> PassAsync(bool all)
    {
        Interlocked.Exchange(ref _running, 1);
        try
        {
            var now = clock.GetUtcNow();
            List<(long TicketId, Waiting Work)> due = [];
            TimeSpan? next = null;
            lock (_gate)
            {
                foreach (var (ticketId, work) in _waiting)
                {
                    var wait = _lastPass.TryGetValue(ticketId, out var last) ? last + Interval - now : TimeSpan.Zero;
                    if (all || wait <= TimeSpan.Zero)
                        due.Add((ticketId, work));
                    else if (next is null || wait < next)
                        next = wait;
                }
                foreach (var (ticketId, _) in due)
                {
                    _waiting.Remove(ticketId);
                    _lastPass[ticketId] = now;
                }
                foreach (var old in _lastPass.Where(p => now - p.Value > Interval && !_waiting.ContainsKey(p.Key)).Select(p => p.Key).ToList())
                    _lastPass.Remove(old);
            }
            foreach (var (ticketId, work) in due)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<TriageService>().TriageAsync(ticketId, work.LastMessageId, work.Text, storeUnchanged: false, CancellationToken.None);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Triage is advice: a failure is logged and the conversation goes on untriaged.
                    log.LogError(e, "Triage of chat ticket {TicketId} failed", ticketId);
                }
            }
            if (due.Count > 0)
                Interlocked.Increment(ref _passes);
            return next;
        }
        finally
        {
            Interlocked.Exchange(ref _running, 0);
        }
    }

    private sealed record Waiting(long LastMessageId, string Text);
}
