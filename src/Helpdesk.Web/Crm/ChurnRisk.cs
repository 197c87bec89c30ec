using Helpdesk.Core.Crm;
using Helpdesk.Core.Customers;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Crm;

/// <summary>
/// Raises a customer's churn risk (流失风险) to High; the save writes the customer.churn_risk
/// webhook through <see cref="CrmChangeInterceptor"/>. The flag is lowered by people, not by time.
/// </summary>
public sealed class ChurnRiskService(HelpdeskDbContext db, TimeProvider clock)
{
    public async Task<bool> CheckComplaintsAsync(long customerId, CancellationToken ct)
    {
        var since = clock.GetUtcNow().UtcDateTime - ChurnRules.ComplaintWindow;
        var complaints = await db.Tickets.CountAsync(t => t.CustomerId == customerId && t.Type == TicketType.Complaint && t.CreatedAt >= since, ct);
        return await FlagAsync(customerId, ChurnRules.ReasonFromComplaints(complaints), ct);
    }

    /// <summary>A low survey answer (<see cref="LowSurveyScoreReceived"/>, heard by <see cref="ChurnRiskListener"/>).</summary>
    public Task<bool> RecordSurveyScoreAsync(long customerId, int score, CancellationToken ct) =>
        FlagAsync(customerId, ChurnRules.ReasonFromSurvey(score), ct);

    private async Task<bool> FlagAsync(long customerId, string? reason, CancellationToken ct)
    {
        if (reason is null) return false;
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null || customer.ChurnRisk == ChurnRisk.High) return false;
        customer.ChurnRisk = ChurnRisk.High;
        customer.ChurnReason = reason;
        await db.SaveChangesAsync(ct);
        return true;
    }
}

/// <summary>Counts a customer's complaints when a ticket is created or triaged as one, and hears low survey answers.</summary>
public sealed class ChurnRiskListener(IServiceScopeFactory scopes, ILogger<ChurnRiskListener> log) : ITicketEventListener
{
    public async Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        if (e.Ticket.CustomerId is not { } customerId)
            return;
        var low = e as LowSurveyScoreReceived;
        if (low is null && (e is not (TicketCreated or TicketTriaged) || e.Ticket.Type != TicketType.Complaint))
            return;
        await using var scope = scopes.CreateAsyncScope();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var churn = scope.ServiceProvider.GetRequiredService<ChurnRiskService>();
                if (low is not null) await churn.RecordSurveyScoreAsync(customerId, low.Score, ct);
                else await churn.CheckComplaintsAsync(customerId, ct);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // Another writer changed the customer meanwhile; read it again.
                scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>().ChangeTracker.Clear();
                log.LogDebug("Churn check of customer {Id} retried", customerId);
            }
        }
    }
}
