using Helpdesk.Core.Tickets;
using Helpdesk.Web.Infrastructure;

namespace Helpdesk.Web.Supervisor;

/// <summary>Any committed ticket change may move a figure: it marks the dashboard stale, once per publication.</summary>
public sealed class DashboardEventListener(DashboardState state) : ITicketEventListener
{
    private bool _seen;

    public Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        _seen = true;
        return Task.CompletedTask;
    }

    public Task EventsPublishedAsync(CancellationToken ct)
    {
        if (_seen)
            state.MarkDirty();
        _seen = false;
        return Task.CompletedTask;
    }
}
