using Helpdesk.Core.Chat;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Data.Identity;
using Helpdesk.Data.Sla;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Infrastructure;
using Helpdesk.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Supervisor;

/// <summary>
/// What a supervisor does from the dashboard (issue 10). Ticket interventions go through the ticket
/// (TicketService or the aggregate), so each lands on its timeline and history with the supervisor
/// as the actor, and the usual events push it to consoles and the customer's widget.
/// </summary>
public sealed class SupervisorInterventions(HelpdeskDbContext db, TicketService tickets, ChatPresence presence,
    ChatDispatcher dispatcher, TimeProvider clock, ILogger<SupervisorInterventions> log)
{
    /// <summary>Another agent (and/or team) for a ticket or a chat; the customer of a chat is told the new name.</summary>
    public Task<Ticket> ReassignAsync(long number, Guid? assigneeId, int? teamId, Actor supervisor, CancellationToken ct) =>
        ReassignCoreAsync(number, assigneeId, teamId, supervisor, ct);

    /// <summary>The supervisor becomes the assignee of a live chat and answers it from their console.</summary>
    public async Task<Ticket> TakeOverAsync(long number, Guid supervisorId, Actor supervisor, CancellationToken ct)
    {
        var chat = await db.Tickets.AsNoTracking().Where(t => t.Number == number)
            .Select(t => new { t.Channel, t.ChatEndedAt, t.AssigneeId, t.Status }).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"Ticket {number} does not exist.");
        if (chat.Channel != TicketChannel.Chat || chat.ChatEndedAt is not null || !TicketLifecycle.IsOpen(chat.Status))
            throw new TicketRuleException("not_a_live_chat", $"Ticket {number} is not a chat in progress; reassign it instead.");
        if (chat.AssigneeId == supervisorId)
            throw new TicketRuleException("no_change", "You already hold this chat.");
        return await ReassignCoreAsync(number, supervisorId, null, supervisor, ct);
    }

    /// <summary>
    /// A note to the agent: an internal note, which staff consoles show and the customer never
    /// receives (ChatMessage.VisibleToCustomer, the public timeline leave internal notes out).
    /// </summary>
    public Task<AppendResult> WhisperAsync(long number, string text, string? clientMessageId, Actor supervisor, CancellationToken ct) =>
        tickets.AddNoteAsync(number, text.Trim(), supervisor, clientMessageId, null, ct);

    /// <summary>Records that a supervisor has seen and owns the escalation; it stays escalated.</summary>
    public async Task<Ticket> AcknowledgeEscalationAsync(long number, Actor supervisor, CancellationToken ct)
    {
        var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Number == number, ct)
            ?? throw new NotFoundException($"Ticket {number} does not exist.");
        var entry = db.Entry(ticket);
        if (!entry.Property<bool>(SlaColumns.IsEscalated).CurrentValue)
            throw new TicketRuleException("not_escalated", $"Ticket {number} is not escalated; there is nothing to acknowledge.");
        ticket.AcknowledgeEscalation(entry.Property<int>(SlaColumns.EscalationLevel).CurrentValue, supervisor, Now);
        await db.SaveChangesAsync(ct);
        return ticket;
    }

    /// <summary>Sets an agent's presence as the agent's own switch would (offers withdrawn when going offline).</summary>
    public async Task<AgentPresence> SetPresenceAsync(Guid agentId, PresenceStatus status, Actor supervisor, CancellationToken ct)
    {
        var row = await AgentRowAsync(agentId, ct);
        if (status != PresenceStatus.Offline && row.Connections == 0)
            throw new TicketRuleException("agent_not_connected", "The agent has no console open; only Offline can be set for them.");
        await presence.SetAsync(agentId, status, ct);
        log.LogInformation("Supervisor {Supervisor} set agent {Agent} to {Status}", supervisor.Name, agentId, status);
        return await db.AgentPresence.AsNoTracking().SingleAsync(p => p.AgentId == agentId, ct);
    }

    /// <summary>The agent's own chat capacity (null: back to the installation's); routing uses it at once.</summary>
    public async Task<AgentPresence> SetCapacityAsync(Guid agentId, int? capacity, Actor supervisor, CancellationToken ct)
    {
        var row = await AgentRowAsync(agentId, ct);
        row.Capacity = capacity;
        row.UpdatedAt = Now;
        await db.SaveChangesAsync(ct);
        log.LogInformation("Supervisor {Supervisor} set the chat capacity of agent {Agent} to {Capacity}", supervisor.Name, agentId, capacity?.ToString() ?? "default");
        // A higher capacity may let waiting chats through now.
        var teams = await db.TeamMemberships.Where(m => m.UserId == agentId).Select(m => m.TeamId).ToListAsync(ct);
        await dispatcher.DispatchAllAsync(teams, ct);
        return row;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<Ticket> ReassignCoreAsync(long number, Guid? assigneeId, int? teamId, Actor supervisor, CancellationToken ct)
    {
        var current = await db.Tickets.AsNoTracking().Where(t => t.Number == number).Select(t => new { t.TeamId }).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"Ticket {number} does not exist.");
        var ticket = await tickets.AssignAsync(number, assigneeId, teamId ?? current.TeamId, null, supervisor, null, ct);
        if (ticket.Channel == TicketChannel.Chat && assigneeId is { } agent)
            await ChatDispatcher.MarkAssignedAsync(db, agent, Now, ct);
        return ticket;
    }

    private async Task<AgentPresence> AgentRowAsync(Guid agentId, CancellationToken ct)
    {
        var staff = await db.Users.AsNoTracking().Where(u => u.Id == agentId).Select(u => new { u.IsDisabled }).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"Staff member {agentId} does not exist.");
        if (staff.IsDisabled)
            throw new TicketRuleException("staff_disabled", "This staff member is disabled.");
        var row = await db.AgentPresence.SingleOrDefaultAsync(p => p.AgentId == agentId, ct);
        if (row is null)
        {
            row = new AgentPresence { AgentId = agentId, Status = PresenceStatus.Offline, UpdatedAt = Now };
            db.AgentPresence.Add(row);
        }
        return row;
    }
}
