using Helpdesk.Web.Chat;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Helpdesk.Web.Tests.Chat;

public sealed class HubShutdownGateTests
{
    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationTokenSource Stopping { get; } = new();
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => Stopping.Token;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() => Stopping.Cancel();
    }

    [Theory]
    [InlineData("/hubs/chat", false, 200)]
    [InlineData("/hubs/chat", true, 503)]
    [InlineData("/api/tickets", true, 200)]
    public async Task A_stopping_app_turns_new_hub_connections_away_and_nothing_else(string path, bool stopping, int expected)
    {
        var lifetime = new Lifetime();
        if (stopping) lifetime.StopApplication();
        var reached = false;
        var gate = new HubShutdownGate(_ => { reached = true; return Task.CompletedTask; }, lifetime);
        var http = new DefaultHttpContext();
        http.Request.Path = path;

        await gate.InvokeAsync(http);

        http.Response.StatusCode.Should().Be(expected);
        reached.Should().Be(expected == 200);
        if (expected == 503) http.Response.Headers.RetryAfter.ToString().Should().Be("1");
    }
}
