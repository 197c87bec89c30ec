using System.Collections.Concurrent;

namespace Helpdesk.Web.Chat;

/// <summary>
/// Which connection is sending which message, while it is being stored. The push of a stored message
/// skips that connection: it gets the message's sequence in its acknowledgement, and the copy cost a
/// WebSocket frame per message on both ends (with one open tab, the customer's whole group).
/// The sender's other tabs, and everyone else, still get the push.
/// </summary>
public sealed class ChatSenders
{
    private readonly ConcurrentDictionary<(long Ticket, string ClientMessageId), string> _sending = new();

    public Sending Register(long ticketNumber, string clientMessageId, string connectionId)
    {
        var key = (ticketNumber, clientMessageId);
        // A resend from another connection while the first is still in flight: the first keeps it.
        return _sending.TryAdd(key, connectionId) ? new Sending(this, key) : default;
    }

    /// <summary>The connection storing this message right now, if any.</summary>
    public string? ConnectionOf(long ticketNumber, string? clientMessageId) =>
        clientMessageId is not null && _sending.TryGetValue((ticketNumber, clientMessageId), out var connection) ? connection : null;

    public readonly struct Sending(ChatSenders? owner, (long, string) key) : IDisposable
    {
        public void Dispose() => owner?._sending.TryRemove(key, out _);
    }
}
