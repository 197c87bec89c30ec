using Helpdesk.Core.Reports;
using Helpdesk.Core.Surveys;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Reports;

/// <summary>
/// Reads the facts of one report for a period (and optionally one team) and hands them to the
/// per-day rules in <see cref="DailyReports"/>. Each report reads only the columns it counts.
/// </summary>
public sealed class ReportQueries(HelpdeskDbContext db)
{
    public static readonly IReadOnlyList<string> Kinds = ["volume", "first-response", "resolution", "csat-daily", "complaints", "sla"];

    public Task<ReportTable> RunAsync(string kind, ReportPeriod period, int? teamId, CancellationToken ct) => kind switch
    {
        "volume" => VolumeAsync(period, teamId, ct),
        "first-response" => FirstResponseAsync(period, teamId, ct),
        "resolution" => ResolutionAsync(period, teamId, ct),
        "csat-daily" => CsatAsync(period, teamId, ct),
        "complaints" => ComplaintsAsync(period, teamId, ct),
        "sla" => SlaAsync(period, teamId, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown report."),
    };

    private IQueryable<Ticket> Tickets(int? teamId) =>
        teamId is { } team ? db.Tickets.AsNoTracking().Where(t => t.TeamId == team) : db.Tickets.AsNoTracking();

    private async Task<ReportTable> VolumeAsync(ReportPeriod p, int? teamId, CancellationToken ct)
    {
        var (start, end) = (p.StartUtc, p.EndUtc);
        var rows = await Tickets(teamId).Where(t => t.CreatedAt >= start && t.CreatedAt < end)
            .Select(t => new { t.CreatedAt, t.Channel }).ToListAsync(ct);
        return DailyReports.Volume(p, rows.Select(r => (r.CreatedAt, r.Channel)));
    }

    /// <summary>From creation to the first public agent reply, counted on the day the ticket was opened; tickets not yet answered are left out.</summary>
    private async Task<ReportTable> FirstResponseAsync(ReportPeriod p, int? teamId, CancellationToken ct)
    {
        var (start, end) = (p.StartUtc, p.EndUtc);
        var rows = await Tickets(teamId).Where(t => t.CreatedAt >= start && t.CreatedAt < end)
            .Select(t => new
            {
                t.CreatedAt,
                // Sequence order is time order within a ticket, and uses the (TicketId, Sequence) index.
                First = db.TicketMessages.Where(m => m.TicketId == t.Id && m.Kind == MessageKind.Agent)
                    .OrderBy(m => m.Sequence).Select(m => (DateTime?)m.CreatedAt).FirstOrDefault(),
            })
            .Where(x => x.First != null).ToListAsync(ct);
        return DailyReports.Durations(p, rows.Select(r => new DurationFact(r.CreatedAt, r.First!.Value - r.CreatedAt)));
    }

    /// <summary>From creation to resolution, counted on the day of the resolution (a reopened ticket counts when it is resolved again).</summary>
    private async Task<ReportTable> ResolutionAsync(ReportPeriod p, int? teamId, CancellationToken ct)
    {
        var (start, end) = (p.StartUtc, p.EndUtc);
        var rows = await Tickets(teamId).Where(t => t.ResolvedAt >= start && t.ResolvedAt < end)
            .Select(t => new { t.CreatedAt, t.ResolvedAt }).ToListAsync(ct);
        return DailyReports.Durations(p, rows.Select(r => new DurationFact(r.ResolvedAt!.Value, r.ResolvedAt.Value - r.CreatedAt)));
    }

    private async Task<ReportTable> CsatAsync(ReportPeriod p, int? teamId, CancellationToken ct)
    {
        var (start, end) = (p.StartUtc, p.EndUtc);
        var surveys = db.Surveys.AsNoTracking().Where(s => s.IssuedAt >= start && s.IssuedAt < end);
        if (teamId is { } team) surveys = surveys.Where(s => s.TeamId == team);
        var rows = await surveys.Select(s => new { s.IssuedAt, s.Score }).ToListAsync(ct);
        return DailyReports.Csat(p, rows.Select(r => new SurveyFact(r.IssuedAt, r.Score)));
    }

    private async Task<ReportTable> ComplaintsAsync(ReportPeriod p, int? teamId, CancellationToken ct)
    {
        var (start, end) = (p.StartUtc, p.EndUtc);
        var rows = await Tickets(teamId).Where(t => t.Type == TicketType.Complaint && t.CreatedAt >= start && t.CreatedAt < end)
            .Select(t => new { t.CreatedAt, t.Category }).ToListAsync(ct);
        return DailyReports.Complaints(p, rows.Select(r => (r.CreatedAt, r.Category)));
    }

    private async Task<ReportTable> SlaAsync(ReportPeriod p, int? teamId, CancellationToken ct)
    {
        var (start, end) = (p.StartUtc, p.EndUtc);
        var rows = await (from o in db.SlaOutcomes.AsNoTracking()
                          join t in Tickets(teamId) on o.TicketId equals t.Id
                          where o.StoppedAt >= start && o.StoppedAt < end
                          select new { o.StoppedAt, o.Target, o.Met }).ToListAsync(ct);
        return DailyReports.Sla(p, rows.Select(r => new SlaFact(r.StoppedAt, r.Target, r.Met)));
    }
}
