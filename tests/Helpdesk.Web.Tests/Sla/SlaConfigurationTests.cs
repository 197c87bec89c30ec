using System.Net;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Tests.Sla;

/// <summary>Policies and calendars from configuration, checked at start-up by Core's own rules; the dashboard's door.</summary>
public sealed class SlaConfigurationTests
{
    [Fact]
    public async Task A_configured_policy_and_calendar_apply_to_matching_tickets()
    {
        await using var server = SlaTestKit.FastJobsServer(
            "Sla:Calendars:0:Key=mornings", "Sla:Calendars:0:TimeZone=Asia/Shanghai",
            "Sla:Calendars:0:Hours:Monday:0=09:00-10:00", "Sla:Calendars:0:Hours:Tuesday:0=09:00-10:00",
            "Sla:Calendars:0:Holidays:0=2026-11-24 test holiday",
            "Sla:Policies:0:Key=phone", "Sla:Policies:0:Order=10", "Sla:Policies:0:Channels:0=Phone", "Sla:Policies:0:Calendar=mornings",
            "Sla:Policies:0:FirstResponse:Minutes=90", "Sla:Policies:0:WarningThreshold=0.5",
            "Sla:Policies:1:Key=everything", "Sla:Policies:1:Order=100", "Sla:Policies:1:Resolution:Minutes=30", "Sla:Policies:1:Resolution:Mode=Calendar");
        await server.InitializeAsync();
        var agent = await server.StaffAsync(Demo.Agent1);

        var phone = await agent.CreateTicketAsync(new { subject = "电话来电", type = "Inquiry", channel = "Phone", description = "客户来电" });
        var api = await agent.NewTicketAsync();

        var phoneSla = await agent.ScheduledAsync(phone.Ticket.Number);
        phoneSla.PolicyKey.Should().Be("phone");
        // Monday 09:00: one business hour on Monday, Tuesday is a holiday, the last 30 minutes next Monday.
        phoneSla.Targets.Single().DueAt.Should().Be(new DateTime(2026, 11, 30, 1, 30, 0, DateTimeKind.Utc));
        phoneSla.Targets.Single().WarningAt.Should().Be(new DateTime(2026, 11, 23, 1, 45, 0, DateTimeKind.Utc), "half of 90 minutes");
        var apiSla = await agent.ScheduledAsync(api.Ticket.Number);
        apiSla.PolicyKey.Should().Be("everything");
        apiSla.Targets.Single().DueAt.Should().Be(new DateTime(2026, 11, 23, 1, 30, 0, DateTimeKind.Utc), "30 wall-clock minutes");
    }

    [Theory]
    [InlineData("Sla:Policies:0:Key=only-chat|Sla:Policies:0:Order=1|Sla:Policies:0:Channels:0=Chat|Sla:Policies:0:FirstResponse:Minutes=1", "catch-all")]
    [InlineData("Sla:Policies:0:Key=all|Sla:Policies:0:Order=1|Sla:Policies:0:WarningThreshold=1.5|Sla:Policies:0:Resolution:Minutes=5", "warning threshold")]
    [InlineData("Sla:Policies:0:Key=all|Sla:Policies:0:Order=1|Sla:Policies:0:Calendar=nowhere|Sla:Policies:0:Resolution:Minutes=5", "calendar 'nowhere'")]
    [InlineData("Sla:Calendars:0:Key=bad|Sla:Calendars:0:Hours:Monday:0=9-17", "not a working interval")]
    [InlineData("Sla:Calendars:0:Key=bad|Sla:Calendars:0:TimeZone=Mars/Olympus", "Unknown time zone")]
    [InlineData("Sla:Calendars:0:Key=bad|Sla:Calendars:0:Holidays:0=2026-13-40", "holiday '2026-13-40'")]
    public async Task Bad_SLA_settings_refuse_to_start_with_a_message_naming_the_problem(string settings, string expected)
    {
        await using var server = new HelpdeskServer();
        server.Settings.AddRange(settings.Split('|'));

        var start = () => server.InitializeAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(expected);
    }

    [Fact]
    public async Task Hangfire_dashboard_is_for_supervisors_and_admins_only()
    {
        await using var server = new HelpdeskServer();
        await server.InitializeAsync();

        using var anonymous = server.CreateClient();
        (await anonymous.Http.GetAsync("/hangfire")).StatusCode.Should().BeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Redirect);
        var agent = await server.StaffAsync(Demo.Agent1);
        (await agent.Http.GetAsync("/hangfire")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var supervisor = await server.StaffAsync(Demo.Supervisor);
        var page = await supervisor.Http.GetAsync("/hangfire");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("Helpdesk jobs");
        var admin = await server.StaffAsync(Demo.Admin);
        (await admin.Http.GetAsync("/hangfire/recurring")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
