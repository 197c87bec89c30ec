using System.Text;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Tickets;

/// <summary>Which list: mine, my teams' queue, all open, or everything matching the filters.</summary>
public enum TicketView { All, Mine, Team, Open }

public enum TicketSort { Priority, Newest }

/// <summary>A parsed, validated list request.</summary>
public sealed record TicketFilter
{
    public TicketView View { get; init; } = TicketView.All;
    public TicketSort Sort { get; init; } = TicketSort.Priority;
    public IReadOnlyList<TicketStatus>? Statuses { get; init; }
    public TicketType? Type { get; init; }
    public AfterSalesCategory? Category { get; init; }
    public TicketPriority? Priority { get; init; }
    public TicketChannel? Channel { get; init; }
    public int? TeamId { get; init; }
    public int? QueueId { get; init; }
    public Guid? AssigneeId { get; init; }
    public bool Unassigned { get; init; }
    public long? CustomerId { get; init; }
    public string? Text { get; init; }
    public DateTime? CreatedFrom { get; init; }
    public DateTime? CreatedTo { get; init; }
    public int Limit { get; init; } = 50;
    public TicketCursor? After { get; init; }
}

/// <summary>Keyset position: the sort keys of the last row of the previous page.</summary>
public sealed record TicketCursor(TicketSort Sort, int Priority, long CreatedTicks, long Id)
{
    public string Encode() => Convert.ToBase64String(Encoding.ASCII.GetBytes($"{(int)Sort}:{Priority}:{CreatedTicks}:{Id}"))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string text, out TicketCursor? cursor)
    {
        cursor = null;
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(padded)).Split(':');
            if (parts.Length != 4 || !int.TryParse(parts[0], out var sort) || !Enum.IsDefined((TicketSort)sort)
                || !int.TryParse(parts[1], out var priority) || !long.TryParse(parts[2], out var ticks)
                || ticks < 0 || ticks > DateTime.MaxValue.Ticks || !long.TryParse(parts[3], out var id))
                return false;
            cursor = new TicketCursor((TicketSort)sort, priority, ticks, id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>The read side of tickets: lists for the consoles and one ticket with its timeline.</summary>
public sealed class TicketQueries(HelpdeskDbContext db, TimeProvider clock)
{
    public async Task<TicketPage> ListAsync(TicketFilter filter, Guid? me, CancellationToken ct = default)
    {
        var query = db.Tickets.AsNoTracking();
        switch (filter.View)
        {
            case TicketView.Mine:
                query = query.Where(t => t.AssigneeId == me && TicketLifecycle.OpenStatuses.Contains(t.Status));
                break;
            case TicketView.Team:
                var teams = await db.TeamMemberships.Where(m => m.UserId == me).Select(m => (int?)m.TeamId).ToListAsync(ct);
                query = query.Where(t => teams.Contains(t.TeamId) && TicketLifecycle.OpenStatuses.Contains(t.Status));
                break;
            case TicketView.Open:
                query = query.Where(t => TicketLifecycle.OpenStatuses.Contains(t.Status));
                break;
        }

        if (filter.Statuses is { Count: > 0 } statuses) query = query.Where(t => statuses.Contains(t.Status));
        if (filter.Type is { } type) query = query.Where(t => t.Type == type);
        if (filter.Category is { } category) query = query.Where(t => t.Category == category);
        if (filter.Priority is { } priority) query = query.Where(t => t.Priority == priority);
        if (filter.Channel is { } channel) query = query.Where(t => t.Channel == channel);
        if (filter.TeamId is { } teamId) query = query.Where(t => t.TeamId == teamId);
        if (filter.QueueId is { } queueId) query = query.Where(t => t.QueueId == queueId);
        if (filter.AssigneeId is { } assigneeId) query = query.Where(t => t.AssigneeId == assigneeId);
        if (filter.Unassigned) query = query.Where(t => t.AssigneeId == null);
        if (filter.CustomerId is { } customerId) query = query.Where(t => t.CustomerId == customerId);
        if (filter.CreatedFrom is { } from) query = query.Where(t => t.CreatedAt >= from);
        if (filter.CreatedTo is { } to) query = query.Where(t => t.CreatedAt < to);
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var text = filter.Text.Trim();
            var pattern = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            var number = long.TryParse(text, out var n) ? n : -1;
            // Search ignores case like SQLite's LIKE and SQL Server's collation do; PostgreSQL's LIKE does not.
            query = db.Database.IsNpgsql()
                ? query.Where(t => t.Number == number
                    || EF.Functions.ILike(t.Subject, pattern, "\\")
                    || db.TicketMessages.Any(m => m.TicketId == t.Id && EF.Functions.ILike(m.Body, pattern, "\\")))
                : query.Where(t => t.Number == number
                    || EF.Functions.Like(t.Subject, pattern, "\\")
                    || db.TicketMessages.Any(m => m.TicketId == t.Id && EF.Functions.Like(m.Body, pattern, "\\")));
        }

        query = filter.Sort == TicketSort.Priority ? ByPriority(query, filter.After) : ByNewest(query, filter.After);
        var rows = await query.Take(filter.Limit + 1).ToListAsync(ct);
        var page = rows.Take(filter.Limit).ToList();
        var items = await SummariseAsync(page, ct);
        var last = page.LastOrDefault();
        var next = rows.Count > filter.Limit && last is not null
            ? new TicketCursor(filter.Sort, (int)last.Priority, last.CreatedAt.Ticks, last.Id).Encode()
            : null;
        return new TicketPage(items, next, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Queue order: most urgent first, then oldest first (the one waiting longest).</summary>
    private static IQueryable<Ticket> ByPriority(IQueryable<Ticket> query, TicketCursor? after)
    {
        if (after is not null)
        {
            var p = (TicketPriority)after.Priority;
            var c = new DateTime(after.CreatedTicks, DateTimeKind.Utc);
            query = query.Where(t => t.Priority < p
                || (t.Priority == p && (t.CreatedAt > c || (t.CreatedAt == c && t.Id > after.Id))));
        }
        return query.OrderByDescending(t => t.Priority).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id);
    }

    private static IQueryable<Ticket> ByNewest(IQueryable<Ticket> query, TicketCursor? after)
    {
        if (after is not null)
        {
            var c = new DateTime(after.CreatedTicks, DateTimeKind.Utc);
            query = query.Where(t => t.CreatedAt < c || (t.CreatedAt == c && t.Id < after.Id));
        }
        return query.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id);
    }

    public async Task<TicketDetail> GetAsync(long number, CancellationToken ct = default)
    {
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Number == number, ct)
            ?? throw new NotFoundException($"Ticket {number} does not exist.");
        var timeline = await db.TicketMessages.AsNoTracking().Where(m => m.TicketId == ticket.Id)
            .OrderBy(m => m.Sequence).ToListAsync(ct);
        var history = await db.TicketHistory.AsNoTracking().Where(h => h.TicketId == ticket.Id)
            .OrderBy(h => h.Id).ToListAsync(ct);
        var linked = new[] { ticket.MergedIntoTicketId, ticket.FollowUpOfTicketId }.Where(i => i is not null).ToList();
        var numbers = await db.Tickets.Where(t => linked.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Number, ct);
        var followUps = await db.Tickets.Where(t => t.FollowUpOfTicketId == ticket.Id).OrderBy(t => t.Number).Select(t => t.Number).ToListAsync(ct);

        return new TicketDetail(
            (await SummariseAsync([ticket], ct))[0],
            ticket.MergedIntoTicketId is { } m ? numbers.GetValueOrDefault(m) : null,
            ticket.FollowUpOfTicketId is { } f ? numbers.GetValueOrDefault(f) : null,
            followUps,
            TicketLifecycle.AllowedFrom(ticket.Status).Where(s => s != TicketStatus.Merged && s != TicketStatus.New).ToList(),
            await WithMailAsync(timeline, ct),
            history.Select(h => new HistoryEntry(h.At, h.ActorKind, h.ActorId, h.ActorName, h.Field, h.From, h.To, h.Reason)).ToList());
    }

    /// <summary>Timeline entries after a sequence number: what a reconnecting client missed.</summary>
    public async Task<IReadOnlyList<TimelineEntry>> TimelineAfterAsync(long number, int afterSequence, CancellationToken ct = default)
    {
        var id = await db.Tickets.Where(t => t.Number == number).Select(t => (long?)t.Id).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException($"Ticket {number} does not exist.");
        var rows = await db.TicketMessages.AsNoTracking().Where(m => m.TicketId == id && m.Sequence > afterSequence)
            .OrderBy(m => m.Sequence).ToListAsync(ct);
        return await WithMailAsync(rows, ct);
    }

    /// <summary>Timeline entries with the mail behind each, where there is one.</summary>
    private async Task<IReadOnlyList<TimelineEntry>> WithMailAsync(List<TicketMessage> messages, CancellationToken ct)
    {
        var mails = await Email.EmailViews.ForMessagesAsync(db, messages.Where(m => m.Kind is MessageKind.Customer or MessageKind.Agent).Select(m => m.Id).ToList(), ct);
        return messages.Select(m => TimelineEntry.From(m) with { Email = mails.GetValueOrDefault(m.Id) }).ToList();
    }

    public async Task<TicketSummary> GetSummaryAsync(long number, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Number == number, ct)
            ?? throw new NotFoundException($"Ticket {number} does not exist.");
        return (await SummariseAsync([ticket], ct))[0];
    }

    public async Task<IReadOnlyList<TicketSummary>> SummariseAsync(IReadOnlyList<Ticket> tickets, CancellationToken ct)
    {
        var assigneeIds = tickets.Where(t => t.AssigneeId is not null).Select(t => t.AssigneeId!.Value).Distinct().ToList();
        var customerIds = tickets.Where(t => t.CustomerId is not null).Select(t => t.CustomerId!.Value).Distinct().ToList();
        // Only the names: loading (and tracking) whole users and customers cost as much as the page query itself.
        var assignees = assigneeIds.Count == 0 ? [] : await db.Users.Where(u => assigneeIds.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var customers = customerIds.Count == 0 ? [] : await db.Customers.Where(c => customerIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Name }).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var sla = await Sla.SlaSummaries.ForAsync(db, tickets.Select(t => t.Id).ToList(), ct);
        return tickets.Select(t => new TicketSummary(t.Id, t.Number, t.Subject, t.Type, t.Category, t.Priority, t.Channel,
            t.Status, t.TeamId, t.QueueId, t.AssigneeId, t.AssigneeId is { } a ? assignees.GetValueOrDefault(a) : null,
            t.CustomerId, t.CustomerId is { } c ? customers.GetValueOrDefault(c) : null, t.Tags, t.CreatedAt, t.UpdatedAt, t.Version,
            sla.GetValueOrDefault(t.Id))).ToList();
    }
}
