using Helpdesk.Data;
using Helpdesk.Data.Sla;
using Helpdesk.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Sla;

/// <summary>The SLA columns of a page of tickets, for the lists (one query by id).</summary>
public static class SlaSummaries
{
    public static async Task<Dictionary<long, TicketSlaSummary>> ForAsync(HelpdeskDbContext db, IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var rows = await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => new
        {
            t.Id,
            First = EF.Property<DateTime?>(t, SlaColumns.FirstResponseDueAt),
            Next = EF.Property<DateTime?>(t, SlaColumns.NextResponseDueAt),
            Resolution = EF.Property<DateTime?>(t, SlaColumns.ResolutionDueAt),
            Warning = EF.Property<DateTime?>(t, SlaColumns.WarningAt),
            Level = EF.Property<int>(t, SlaColumns.EscalationLevel),
            Escalated = EF.Property<bool>(t, SlaColumns.IsEscalated),
        }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => new TicketSlaSummary(
            new[] { r.First, r.Next, r.Resolution }.Where(d => d is not null).Min(), r.Warning, r.Level, r.Escalated));
    }
}
