using Helpdesk.Core.Chat;
using Helpdesk.Core.Supervision;
using Helpdesk.Core.Surveys;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Data.Sla;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Supervisor;

/// <summary>
/// The dashboard's figures from the database in one pass of grouped queries: each reads an index
/// range (open tickets by status, today's tickets by CreatedAt, today's resolutions by ResolvedAt),
/// never the whole ticket table, so the cost follows the open work and today's volume, not history.
/// </summary>
public static class DashboardQueries
{
    public const string AcknowledgedCode = "escalation_acknowledged";
    public const int EscalationListMax = 50;

    /// <param name="timings">When given, the milliseconds of each part (the bench prints where the time goes).</param>
    public static async Task<DashboardSnapshot> ComputeAsync(HelpdeskDbContext db, DateTimeOffset nowOffset, TimeZoneInfo zone,
        int defaultCapacity, long sequence, CancellationToken ct, IDictionary<string, double>? timings = null)
    {
        var now = nowOffset.UtcDateTime;
        var day = DayWindow.Containing(nowOffset, zone);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        void Lap(string part)
        {
            if (timings is null) return;
            timings[part] = timings.TryGetValue(part, out var sum) ? sum + watch.Elapsed.TotalMilliseconds : watch.Elapsed.TotalMilliseconds;
            watch.Restart();
        }
        // One connection for the dozen queries: EF would otherwise open (and set up) one per query.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var (teams, escalatedNow) = await TeamsAsync(db, now, ct, Lap);
            var today = await TodayAsync(db, day, ct, Lap);
            var agents = await AgentsAsync(db, day, defaultCapacity, today.FirstResponders, ct);
            Lap("agents");
            var escalations = await EscalationsAsync(db, ct);
            Lap("escalations");
            return new DashboardSnapshot(sequence, now, day.Date, zone.Id, teams, agents,
                today.Figures with { EscalatedNow = escalatedNow }, escalations);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Open tickets, written so that EF puts the statuses in the SQL as constants: the partial index
    /// IX_Tickets_OpenWork (WHERE "Status" IN (0, 1, 2)) then serves the query from the index alone.
    /// </summary>
    private static readonly Expression<Func<Ticket, bool>> IsOpen =
        t => t.Status == TicketStatus.New || t.Status == TicketStatus.Assigned || t.Status == TicketStatus.WaitingOnCustomer;

    private sealed record OpenWork(int? TeamId, TicketStatus Status, int Count, int Breached, int AtRiskOrBreached, int Escalated);

    private static async Task<(List<TeamFigures> Teams, int EscalatedNow)> TeamsAsync(HelpdeskDbContext db, DateTime now, CancellationToken ct, Action<string> lap)
    {
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Id).Select(t => new { t.Id, t.Key, t.Name, t.NameZh }).ToListAsync(ct);

        // Few rows (the chats nobody has taken yet): the minimum is taken here rather than asking
        // SQLite for a MIN over its text-stored dates.
        var waiting = await db.Tickets.AsNoTracking().Where(IsOpen)
            .Where(t => t.Status == TicketStatus.New && t.Channel == TicketChannel.Chat && t.ChatEndedAt == null)
            .Select(t => new { t.TeamId, t.CreatedAt }).ToListAsync(ct);
        lap("teams: waiting chats");

        // One pass over the open tickets: counts by status, SLA risk and escalation per team.
        var soon = now + SlaRiskRule.DueSoon;
        var work = await db.Tickets.AsNoTracking().Where(IsOpen)
            .GroupBy(t => new { t.TeamId, t.Status })
            .Select(g => new OpenWork(g.Key.TeamId, g.Key.Status, g.Count(),
                g.Count(t => EF.Property<DateTime?>(t, SlaColumns.FirstResponseDueAt) < now
                             || EF.Property<DateTime?>(t, SlaColumns.NextResponseDueAt) < now
                             || EF.Property<DateTime?>(t, SlaColumns.ResolutionDueAt) < now),
                g.Count(t => EF.Property<DateTime?>(t, SlaColumns.WarningAt) <= now
                             || EF.Property<DateTime?>(t, SlaColumns.FirstResponseDueAt) <= soon
                             || EF.Property<DateTime?>(t, SlaColumns.NextResponseDueAt) <= soon
                             || EF.Property<DateTime?>(t, SlaColumns.ResolutionDueAt) <= soon),
                g.Count(t => EF.Property<bool>(t, SlaColumns.IsEscalated))))
            .ToListAsync(ct);
        lap("teams: open work");

        var figures = teams.Select(team =>
        {
            var mine = waiting.Where(w => w.TeamId == team.Id).ToList();
            DateTime? oldest = mine.Count == 0 ? null : mine.Min(w => w.CreatedAt);
            var rows = work.Where(x => x.TeamId == team.Id).ToList();
            var statuses = TicketLifecycle.OpenStatuses.ToDictionary(s => s, s => rows.Where(x => x.Status == s).Sum(x => x.Count));
            var breached = rows.Sum(x => x.Breached);
            return new TeamFigures(team.Id, team.Key, team.Name, team.NameZh, mine.Count, oldest,
                oldest is null ? null : (long)Math.Max(0, (now - oldest.Value).TotalSeconds),
                statuses, rows.Sum(x => x.AtRiskOrBreached) - breached, breached);
        }).ToList();
        return (figures, work.Sum(x => x.Escalated));
    }

    private sealed record TodayResult(TodayFigures Figures, Dictionary<Guid, List<double>> FirstResponders);

    private static async Task<TodayResult> TodayAsync(HelpdeskDbContext db, DayWindow day, CancellationToken ct, Action<string> lap)
    {
        var (start, end) = (day.StartUtc, day.EndUtc);
        var todays = db.Tickets.AsNoTracking().Where(t => t.CreatedAt >= start && t.CreatedAt < end && t.Status != TicketStatus.Merged);
        var groups = await todays.GroupBy(t => new { t.Channel, t.Type, t.Status })
            .Select(g => new { g.Key.Channel, g.Key.Type, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        lap("today: volume");

        // The first agent reply of each of today's tickets: two correlated seeks on (TicketId, Sequence)
        // per ticket. (Fetching the replies by id afterwards was slower: a list of 1,600 ids.)
        var firsts = await todays
            .Select(t => new
            {
                t.Channel,
                t.CreatedAt,
                FirstAt = db.TicketMessages.Where(m => m.TicketId == t.Id && m.Kind == MessageKind.Agent)
                    .OrderBy(m => m.Sequence).Select(m => (DateTime?)m.CreatedAt).FirstOrDefault(),
                FirstBy = db.TicketMessages.Where(m => m.TicketId == t.Id && m.Kind == MessageKind.Agent)
                    .OrderBy(m => m.Sequence).Select(m => m.AuthorId).FirstOrDefault(),
            })
            .ToListAsync(ct);
        lap("today: first responses");
        var answered = firsts.Where(f => f.FirstAt is not null)
            .Select(f => new { f.Channel, f.FirstBy, Seconds = Math.Max(0, (f.FirstAt!.Value - f.CreatedAt).TotalSeconds) }).ToList();
        var byChannel = answered.GroupBy(a => a.Channel).OrderBy(g => g.Key)
            .Select(g => new ChannelResponse(g.Key, DashboardMath.ResponseTimes(g.Select(a => a.Seconds).ToList()))).ToList();
        var responders = answered.Where(a => Guid.TryParse(a.FirstBy, out _))
            .GroupBy(a => Guid.Parse(a.FirstBy!)).ToDictionary(g => g.Key, g => g.Select(a => a.Seconds).ToList());

        var scores = await db.Surveys.AsNoTracking().Where(s => s.AnsweredAt >= start && s.AnsweredAt < end && s.Score != null)
            .Select(s => new SurveyFact(s.IssuedAt, s.Score)).ToListAsync(ct);
        lap("today: csat");

        var created = groups.Sum(g => g.Count);
        var resolved = groups.Where(g => DashboardMath.CountsAsResolved(g.Status)).Sum(g => g.Count);
        var escalatedToday = await db.Tickets.AsNoTracking()
            .CountAsync(t => EF.Property<DateTime?>(t, SlaColumns.EscalatedSince) >= start && EF.Property<DateTime?>(t, SlaColumns.EscalatedSince) < end, ct);
        lap("today: escalations");
        var figures = new TodayFigures(created,
            Enum.GetValues<TicketChannel>().ToDictionary(c => c, c => groups.Where(g => g.Channel == c).Sum(g => g.Count)),
            Enum.GetValues<TicketType>().ToDictionary(k => k, k => groups.Where(g => g.Type == k).Sum(g => g.Count)),
            byChannel, resolved, DashboardMath.ResolutionRate(created, resolved),
            CsatMath.Compute(scores), CsatMath.Target,
            groups.Where(g => g.Type == TicketType.Complaint).Sum(g => g.Count), escalatedToday, 0);
        return new TodayResult(figures, responders);
    }

    private static async Task<List<AgentFigures>> AgentsAsync(HelpdeskDbContext db, DayWindow day, int defaultCapacity,
        Dictionary<Guid, List<double>> firstResponders, CancellationToken ct)
    {
        var members = await db.TeamMemberships.AsNoTracking()
            .Join(db.Users.Where(u => !u.IsDisabled), m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.DisplayName, m.TeamId })
            .ToListAsync(ct);
        var ids = members.Select(m => m.Id).Distinct().ToList();
        var presence = await db.AgentPresence.AsNoTracking().Where(p => ids.Contains(p.AgentId)).ToDictionaryAsync(p => p.AgentId, ct);
        // Every open chat someone holds (a few hundred at most), from the open-work index alone.
        var active = await db.Tickets.AsNoTracking().Where(IsOpen)
            .Where(t => t.AssigneeId != null && t.Channel == TicketChannel.Chat && t.ChatEndedAt == null && t.Status != TicketStatus.New)
            .GroupBy(t => t.AssigneeId!.Value).Select(g => new { Agent = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Agent, x => x.Count, ct);
        var offered = await db.ChatOffers.AsNoTracking().Where(x => x.State == OfferState.Pending && ids.Contains(x.AgentId))
            .GroupBy(x => x.AgentId).Select(g => new { Agent = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Agent, x => x.Count, ct);
        var (start, end) = (day.StartUtc, day.EndUtc);
        var handled = await db.Tickets.AsNoTracking()
            .Where(t => t.ResolvedAt >= start && t.ResolvedAt < end && t.AssigneeId != null)
            .GroupBy(t => t.AssigneeId!.Value).Select(g => new { Agent = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Agent, x => x.Count, ct);

        return members.GroupBy(m => m.Id).OrderBy(g => g.First().DisplayName, StringComparer.Ordinal)
            .Select(g =>
            {
                var p = presence.GetValueOrDefault(g.Key);
                var status = p is { Connections: > 0 } ? p.Status : PresenceStatus.Offline;
                double? average = firstResponders.TryGetValue(g.Key, out var list) && list.Count > 0 ? Math.Round(list.Average(), 1) : null;
                return new AgentFigures(g.Key, g.First().DisplayName, g.Select(m => m.TeamId).Order().ToList(), status,
                    active.GetValueOrDefault(g.Key) + offered.GetValueOrDefault(g.Key), p?.Capacity ?? defaultCapacity,
                    handled.GetValueOrDefault(g.Key), average);
            }).ToList();
    }

    private static async Task<List<EscalatedTicket>> EscalationsAsync(HelpdeskDbContext db, CancellationToken ct)
    {
        // The ids from the open-work index first (no row reads), then only those rows.
        var escalatedIds = await db.Tickets.AsNoTracking().Where(IsOpen).Where(t => EF.Property<bool>(t, SlaColumns.IsEscalated))
            .Select(t => t.Id).ToListAsync(ct);
        var rows = await db.Tickets.AsNoTracking().Where(t => escalatedIds.Contains(t.Id))
            .OrderByDescending(t => EF.Property<int>(t, SlaColumns.EscalationLevel)).ThenBy(t => EF.Property<DateTime?>(t, SlaColumns.EscalatedSince))
            .Take(EscalationListMax)
            .Select(t => new { t.Id, t.Number, t.Subject, t.TeamId, Level = EF.Property<int>(t, SlaColumns.EscalationLevel), Since = EF.Property<DateTime?>(t, SlaColumns.EscalatedSince) })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var acks = await db.TicketMessages.AsNoTracking().Where(m => ids.Contains(m.TicketId) && m.EventCode == AcknowledgedCode)
            .Select(m => new { m.TicketId, m.CreatedAt, m.AuthorName }).ToListAsync(ct);
        var list = rows.Select(r =>
        {
            // Only an acknowledgement of the current escalation counts: a new one needs a new look.
            var ack = acks.Where(a => a.TicketId == r.Id && (r.Since is null || a.CreatedAt >= r.Since)).MaxBy(a => a.CreatedAt);
            return new EscalatedTicket(r.Number, r.Subject, r.TeamId, r.Level, r.Since, ack?.CreatedAt, ack?.AuthorName);
        }).ToList();
        return list;
    }
}
