using System.Text.Json;
using System.Text.Json.Serialization;
using Helpdesk.Core.Handover;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Data.Sla;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Handover;

/// <summary>
/// What an agent leaves open at the end of a shift, read from the database: tickets assigned to
/// them that are not closed (chat conversations still going on as their own group), with the
/// earliest running SLA deadline and the escalation level, and their survey follow-ups not done.
/// </summary>
public sealed class HandoverDrafts(HelpdeskDbContext db)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task<IReadOnlyList<HandoverItem>> OpenItemsAsync(Guid agentId, CancellationToken ct)
    {
        var open = TicketLifecycle.OpenStatuses.ToList();
        var tickets = await db.Tickets.AsNoTracking()
            .Where(t => t.AssigneeId == agentId && open.Contains(t.Status))
            .Select(t => new
            {
                t.Number, t.Subject, t.Status, t.Priority, t.Channel, t.ChatEndedAt,
                First = EF.Property<DateTime?>(t, SlaColumns.FirstResponseDueAt),
                Next = EF.Property<DateTime?>(t, SlaColumns.NextResponseDueAt),
                Resolution = EF.Property<DateTime?>(t, SlaColumns.ResolutionDueAt),
                Level = EF.Property<int>(t, SlaColumns.EscalationLevel),
                Escalated = EF.Property<bool>(t, SlaColumns.IsEscalated),
            }).ToListAsync(ct);
        var items = tickets.Select(t => new HandoverItem(
            t.Channel == TicketChannel.Chat && t.ChatEndedAt is null ? HandoverItemKind.Chat : HandoverItemKind.Ticket,
            t.Number, t.Subject, t.Status, t.Priority,
            new[] { t.First, t.Next, t.Resolution }.Where(d => d is not null).Min(),
            t.Escalated ? Math.Max(1, t.Level) : 0)).ToList();

        var followUps = await (from f in db.FollowUpTasks.AsNoTracking()
                               join t in db.Tickets.AsNoTracking() on f.TicketId equals t.Id
                               where f.AgentId == agentId && f.DoneAt == null
                               select new { f.TicketNumber, t.Subject, t.Status, t.Priority, f.Score, f.Reason }).ToListAsync(ct);
        items.AddRange(followUps.Select(f => new HandoverItem(HandoverItemKind.FollowUp, f.TicketNumber, f.Subject, f.Status, f.Priority,
            null, 0, $"{f.Score}★ {f.Reason}")));
        return HandoverRules.Order(items);
    }

    public static string Serialize(IReadOnlyList<HandoverItem> items) => JsonSerializer.Serialize(items, Json);

    public static IReadOnlyList<HandoverItem> Deserialize(string json) => JsonSerializer.Deserialize<List<HandoverItem>>(json, Json) ?? [];
}
