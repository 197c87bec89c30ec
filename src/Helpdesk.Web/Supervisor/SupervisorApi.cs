using Helpdesk.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Helpdesk.Web.Supervisor;

/// <summary>GET /api/supervisor/dashboard: the same cached snapshot the hub pushes (first paint, scripts, tests).</summary>
public static class SupervisorApi
{
    public static RouteGroupBuilder MapSupervisorApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/supervisor").WithTags("Supervisor")
            .RequireAuthorization(StaffPolicies.Supervisor)
            .AddEndpointFilter<AntiforgeryFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/dashboard", Dashboard).WithName("GetSupervisorDashboard");
        return api;
    }

    private static async Task<Ok<DashboardSnapshot>> Dashboard(DashboardState state, CancellationToken ct) =>
        TypedResults.Ok(await state.CurrentAsync(ct));
}
