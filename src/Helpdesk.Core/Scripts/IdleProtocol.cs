namespace Helpdesk.Core.Scripts;

/// <summary>The customer-visible messages of a chat that matter for the idle protocol.</summary>
/// <param name="LastCustomerSequence">Sequence of the customer's last message (0: none yet).</param>
/// <param name="LastAgentSequence">Sequence of the last agent message (0: none).</param>
/// <param name="LastAgentAt">When it was sent.</param>
/// <param name="LastAgentClientId">Its client id: the protocol's own messages carry <see cref="IdleProtocol.Prefix"/>.</param>
public sealed record IdleSnapshot(int LastCustomerSequence, int LastAgentSequence, DateTime LastAgentAt, string? LastAgentClientId);

public enum IdleAction { None, Prompt, Close }

/// <summary>What to do next, when, and the client id that makes doing it twice harmless.</summary>
public sealed record IdleStep(IdleAction Action, DateTime DueAt, string? ClientMessageId);

public sealed record IdleSettings(TimeSpan PromptAfter, TimeSpan CloseAfter, int Prompts = 1);

/// <summary>
/// The silent-customer protocol (design §5: prompt, wait, close with a closing script). After an
/// agent's message the customer has <see cref="IdleSettings.PromptAfter"/> to answer; then the
/// idle prompt goes out (up to <see cref="IdleSettings.Prompts"/> times, each after another
/// PromptAfter); <see cref="IdleSettings.CloseAfter"/> after the last prompt the closing script is
/// sent and the chat ends. Any customer message starts it all over. The state is the timeline
/// itself: each step's client id names the agent message it follows and its number, so every node
/// may run the protocol and the unique client id lets only one of them write each step.
/// </summary>
public static class IdleProtocol
{
    public const string Prefix = "script:idle:";

    public static IdleStep Next(IdleSnapshot s, IdleSettings settings)
    {
        if (s.LastAgentSequence == 0 || s.LastCustomerSequence > s.LastAgentSequence)
            return new IdleStep(IdleAction.None, DateTime.MaxValue, null);
        // The closing went out but the chat did not end (a node stopped in between): end it now.
        if (s.LastAgentClientId is { } id && IsProtocolMessage(id) && id.EndsWith(":close", StringComparison.Ordinal))
            return new IdleStep(IdleAction.Close, s.LastAgentAt, id);
        var (anchor, prompts) = Parse(s.LastAgentClientId) ?? (s.LastAgentSequence, 0);
        if (prompts < settings.Prompts)
            return new IdleStep(IdleAction.Prompt, s.LastAgentAt + settings.PromptAfter, $"{Prefix}{anchor}:{prompts + 1}");
        return new IdleStep(IdleAction.Close, s.LastAgentAt + settings.CloseAfter, $"{Prefix}{anchor}:close");
    }

    /// <summary>The step due at <paramref name="now"/>, if any.</summary>
    public static IdleStep? Due(IdleSnapshot s, IdleSettings settings, DateTime now)
    {
        var next = Next(s, settings);
        return next.Action != IdleAction.None && next.DueAt <= now ? next : null;
    }

    public static bool IsProtocolMessage(string? clientMessageId) =>
        clientMessageId is not null && clientMessageId.StartsWith(Prefix, StringComparison.Ordinal);

    private static (int Anchor, int Prompts)? Parse(string? clientId)
    {
        if (!IsProtocolMessage(clientId)) return null;
        var parts = clientId![Prefix.Length..].Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], out var anchor) && int.TryParse(parts[1], out var n)) return (anchor, n);
        return null;
    }
}
