using Helpdesk.Core.Scripts;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Scripts;

/// <summary>
/// Approved scripts said in a chat on the agent's behalf: the greeting when they take it, the
/// closing before it ends, the idle prompt. Each goes through <see cref="ChatMessageWriter"/> like
/// any message (stored, acknowledged, pushed to both sides), under a client id of its own so that
/// saying it twice (a retry, two nodes) stores it once.
/// </summary>
public sealed class ChatScripts(HelpdeskDbContext db, ScriptRenderer renderer, ChatMessageWriter writer, IOptionsMonitor<ScriptOptions> options)
{
    public static string GreetingId(Guid agentId) => $"script:greeting:{agentId:N}";

    /// <summary>The greeting in the agent's name, once per agent and chat; null when greetings are off or none is approved.</summary>
    public Task<MessageAddedResult?> GreetAsync(long ticketNumber, Guid agentId, CancellationToken ct = default) =>
        options.CurrentValue.GreetOnAccept
            ? SayAsync(ScriptKind.Greeting, ticketNumber, agentId, GreetingId(agentId), ct)
            : Task.FromResult<MessageAddedResult?>(null);

    /// <summary>Renders the approved script of this kind for the chat and sends it as the agent's message.</summary>
    public async Task<MessageAddedResult?> SayAsync(ScriptKind kind, long ticketNumber, Guid agentId, string clientMessageId, CancellationToken ct = default)
    {
        var rendered = await renderer.RenderForTicketAsync(kind, ticketNumber, agentId, ct);
        if (rendered is null) return null;
        var name = await db.Users.Where(u => u.Id == agentId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "staff";
        return await writer.AppendAsync(new ChatAppend(ticketNumber, rendered.Text, Actor.Staff(agentId, name), agentId, clientMessageId), ct);
    }

    /// <summary>
    /// The queue greeting of a team's chats, chosen once per queue update and then filled in for
    /// each waiting customer: in both languages (the widget shows the one its shopper reads, even
    /// after switching), with the position and the customer's salutation.
    /// </summary>
    public async Task<QueueGreeter> QueueGreeterAsync(int teamId, CancellationToken ct = default)
    {
        var scripts = await db.Scripts.AsNoTracking().Where(s => s.Kind == ScriptKind.QueueGreeting && s.ApprovedText != null).ToListAsync(ct);
        var templates = new Dictionary<string, ScriptTemplate>();
        foreach (var language in ScriptLanguages.All)
            // A fallback in the other language is not this language's greeting: the widget keeps its own words then.
            if (ScriptSelection.Pick(scripts, ScriptKind.QueueGreeting, language, teamId, TicketChannel.Chat) is { } s && s.Language == language)
                templates[language] = ScriptTemplate.Parse(s.ApprovedText);
        var contexts = ScriptLanguages.All.ToDictionary(l => l, l => renderer.SampleContext(l) with { AgentName = null, Customer = null, TicketNumber = null });
        return new QueueGreeter(templates, contexts);
    }

    public sealed class QueueGreeter(IReadOnlyDictionary<string, ScriptTemplate> templates, IReadOnlyDictionary<string, ScriptContext> contexts)
    {
        public IReadOnlyDictionary<string, string>? For(int position, CustomerName? customer) =>
            templates.Count == 0 ? null
                : templates.ToDictionary(t => t.Key, t => t.Value.Render(t.Key, contexts[t.Key] with { QueuePosition = position, Customer = customer }));
    }
}
