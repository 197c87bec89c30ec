using Helpdesk.Core.Scripts;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Scripts;

/// <summary>
/// Runs the idle protocol (Core <see cref="IdleProtocol"/>) over the open chats: a customer silent
/// after an agent's message gets the idle prompt, then the closing script, and the chat ends. Ticks
/// on the app's TimeProvider (Scripts:IdleCheckSeconds), so tests move time instead of waiting.
/// Every node may run it: each step has a client id of its own, so only one copy is stored.
/// </summary>
public sealed class ChatIdleProtocol(IServiceScopeFactory scopes, ChatDispatcher dispatcher, IOptionsMonitor<ScriptOptions> options,
    TimeProvider clock, ILogger<ChatIdleProtocol> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.CurrentValue.IdleCheckSeconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                if (options.CurrentValue.IdleEnabled)
                    await RunOnceAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: every step that is due is taken. Returns how many were.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        try
        {
            var o = options.CurrentValue;
            var settings = new IdleSettings(TimeSpan.FromSeconds(o.IdlePromptSeconds), TimeSpan.FromSeconds(o.IdleCloseSeconds), o.IdlePrompts);
            var now = clock.GetUtcNow().UtcDateTime;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
            // Two steps on purpose: a "last agent message" row inside the first query makes EF number every
            // agent message of the installation (ROW_NUMBER over the whole table, ~110 ms at 1M tickets, every
            // few seconds). Scalar MAX seeks per open chat, then the few messages named, cost next to nothing.
            var open = await db.Tickets.AsNoTracking()
                .Where(t => t.Channel == TicketChannel.Chat && t.ChatEndedAt == null && t.AssigneeId != null
                            && (t.Status == TicketStatus.Assigned || t.Status == TicketStatus.WaitingOnCustomer))
                .Select(t => new
                {
                    t.Id, t.Number, t.TeamId, Agent = t.AssigneeId!.Value,
                    LastCustomer = db.TicketMessages.Where(m => m.TicketId == t.Id && m.Kind == MessageKind.Customer).Max(m => (int?)m.Sequence) ?? 0,
                    LastAgent = db.TicketMessages.Where(m => m.TicketId == t.Id && m.Kind == MessageKind.Agent).Max(m => (int?)m.Sequence),
                })
                .ToListAsync(ct);
            // Only a chat whose last word is the agent's can be idle.
            var waiting = open.Where(c => c.LastAgent > c.LastCustomer).ToList();
            var ids = waiting.Select(c => c.Id).ToList();
            var sequences = waiting.Select(c => c.LastAgent!.Value).Distinct().ToList();
            var lastAgentMessages = ids.Count == 0 ? [] : await db.TicketMessages.AsNoTracking()
                .Where(m => ids.Contains(m.TicketId) && sequences.Contains(m.Sequence) && m.Kind == MessageKind.Agent)
                .Select(m => new { m.TicketId, m.Sequence, m.CreatedAt, m.ClientMessageId })
                .ToListAsync(ct);
            var byTicket = lastAgentMessages.ToLookup(m => m.TicketId);
            var taken = 0;
            foreach (var chat in waiting)
            {
                var last = byTicket[chat.Id].FirstOrDefault(m => m.Sequence == chat.LastAgent);
                if (last is null) continue;
                var step = IdleProtocol.Due(new IdleSnapshot(chat.LastCustomer, last.Sequence, last.CreatedAt, last.ClientMessageId), settings, now);
                if (step is null) continue;
                try
                {
                    await TakeAsync(scope.ServiceProvider, chat.Number, chat.Agent, step, ct);
                    taken++;
                    if (step.Action == IdleAction.Close && chat.TeamId is { } team)
                        await dispatcher.DispatchAsync(team, ct);
                }
                catch (TicketRuleException e)
                {
                    // The chat ended or moved on in the meantime: nothing to do.
                    log.LogDebug("Idle step {Step} on chat {Number} skipped: {Reason}", step.Action, chat.Number, e.Message);
                }
            }
            return taken;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "The idle protocol pass failed");
            return 0;
        }
    }

    private static async Task TakeAsync(IServiceProvider services, long number, Guid agent, IdleStep step, CancellationToken ct)
    {
        var scripts = services.GetRequiredService<ChatScripts>();
        if (step.Action == IdleAction.Prompt)
        {
            await scripts.SayAsync(ScriptKind.IdlePrompt, number, agent, step.ClientMessageId!, ct);
            return;
        }
        await scripts.SayAsync(ScriptKind.Closing, number, agent, step.ClientMessageId!, ct);
        var name = await services.GetRequiredService<HelpdeskDbContext>().Users.Where(u => u.Id == agent).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "staff";
        await services.GetRequiredService<TicketService>().EndChatAsync(number, Actor.Staff(agent, name), ct);
    }
}
