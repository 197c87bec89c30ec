using System.Net;
using Helpdesk.Web.Infrastructure;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.Web.Tests;

/// <summary>Issue 11 point 4: security headers everywhere, a Content-Security-Policy on the staff consoles.</summary>
public sealed class SecurityHeadersTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/signin/")]
    [InlineData("/agent/")]
    [InlineData("/admin/")]
    [InlineData("/agent/main.js")]
    public async Task Console_pages_and_their_files_carry_the_policy_and_cannot_be_framed(string path)
    {
        using var anonymous = server.CreateClient();
        var response = await anonymous.Http.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Be(SecurityHeaders.ConsolePolicy);
        SecurityHeaders.ConsolePolicy.Should().Contain("script-src 'self';").And.Contain("frame-ancestors 'none'").And.NotContain("unsafe-eval");
        response.Headers.GetValues("X-Frame-Options").Single().Should().Be("DENY");
        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        response.Headers.GetValues("Referrer-Policy").Single().Should().Be("strict-origin-when-cross-origin");
    }

    [Theory]
    [InlineData("/demo/", HttpStatusCode.OK)]
    [InlineData("/widget/helpdesk-widget.js", HttpStatusCode.OK)]
    [InlineData("/api/tickets", HttpStatusCode.Unauthorized)]
    public async Task The_widget_the_demo_shop_and_the_API_get_nosniff_but_not_the_console_policy(string path, HttpStatusCode status)
    {
        using var anonymous = server.CreateClient();
        var response = await anonymous.Http.GetAsync(path);

        response.StatusCode.Should().Be(status);
        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        response.Headers.Contains("Content-Security-Policy").Should().BeFalse("a shop embeds the widget in its own page; the API serves no pages");
    }
}
