using Helpdesk.Web.Chat;
using Helpdesk.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Helpdesk.Web.Supervisor;

public interface ISupervisorClient
{
    /// <summary>The whole dashboard (small: teams, agents, today's figures), newest sequence wins.</summary>
    Task Snapshot(DashboardSnapshot snapshot);
}

/// <summary>
/// /hubs/supervisor: supervisors and admins join one group and receive every new snapshot. A new
/// connection gets the cached one at once; it never triggers a query of its own.
/// </summary>
[Authorize(AuthenticationSchemes = HubSchemes.Staff, Policy = StaffPolicies.Supervisor)]
public sealed class SupervisorHub(DashboardState state) : Hub<ISupervisorClient>
{
    public const string Group = "supervisors";

    public override async Task OnConnectedAsync()
    {
        state.Watching(+1);
        await Groups.AddToGroupAsync(Context.ConnectionId, Group);
        await Clients.Caller.Snapshot(await state.CurrentAsync(Context.ConnectionAborted));
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        state.Watching(-1);
        return Task.CompletedTask;
    }

    /// <summary>The current snapshot on demand (a client that suspects it missed a push).</summary>
    public Task<DashboardSnapshot> Current() => state.CurrentAsync(Context.ConnectionAborted);
}
