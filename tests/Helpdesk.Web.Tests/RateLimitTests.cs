using System.Net;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.Web.Tests;

/// <summary>
/// The anonymous doors are rate-limited per address: 20 web forms and 30 sign-ins a minute.
/// A server of its own, so that no other test spends the allowance; all requests go out within
/// a few seconds of the first, well inside the one-minute window.
/// </summary>
public sealed class RateLimitTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    [Fact]
    public async Task Twenty_first_web_form_within_a_minute_is_refused_429()
    {
        using var visitor = new HttpClient { BaseAddress = server.BaseAddress };

        for (var i = 1; i <= 20; i++)
            (await visitor.PostAsJsonAsync("/api/public/tickets", new { })).StatusCode.Should().Be(HttpStatusCode.BadRequest, "form {0} is let through (and refused as empty)", i);
        var refused = await visitor.PostAsJsonAsync("/api/public/tickets", new { name = "A", email = "a@example.com", subject = "S", description = "D" });

        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task The_survey_page_is_rate_limited_per_address_too()
    {
        await using var limited = new HelpdeskServer { Settings = { "RateLimits:SurveyPagePerMinute=3" } };
        await limited.InitializeAsync();
        using var visitor = new HttpClient { BaseAddress = limited.BaseAddress };

        for (var i = 1; i <= 3; i++)
            (await visitor.GetAsync("/survey/not-a-real-token")).StatusCode.Should().Be(HttpStatusCode.BadRequest, "look {0} gets the friendly 'not valid' page", i);
        (await visitor.GetAsync("/survey/another-guess")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "guessing links is stopped");
    }

    [Fact]
    public async Task Thirty_first_sign_in_within_a_minute_is_refused_429_even_with_the_right_password()
    {
        using var client = server.CreateClient();

        for (var i = 1; i <= 30; i++)
            (await client.PostJsonAsync("/api/auth/sign-in", new { email = "guess@demo.local", password = $"guess-{i}" }))
                .StatusCode.Should().Be(HttpStatusCode.Unauthorized, "attempt {0} is let through", i);
        var refused = await client.PostJsonAsync("/api/auth/sign-in", new { email = Demo.Agent1, password = "Demo123!" });

        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
    }
}
