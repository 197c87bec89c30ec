namespace Helpdesk.Web.Chat;

/// <summary>
/// Once the app is stopping, new hub connections are turned away (503, retry soon) instead of
/// being accepted and then holding the shutdown open until its timeout: a client that reconnects
/// at once would otherwise delay every restart by 30 seconds. Its retry reaches the next process.
/// </summary>
public sealed class HubShutdownGate(RequestDelegate next, IHostApplicationLifetime lifetime)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested && http.Request.Path.StartsWithSegments("/hubs"))
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = "1";
            return Task.CompletedTask;
        }
        return next(http);
    }
}
