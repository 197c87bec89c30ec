using Helpdesk.Web.Tests.Fixtures;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Tests.Reports;

/// <summary>A bad report, handover or dashboard setting stops the start with a message naming it, rather than failing on the first report.</summary>
public sealed class ReportsSettingsTests
{
    [Theory]
    [InlineData("Reports:TimeZone=Mars/Olympus", "Unknown time zone 'Mars/Olympus'")]
    [InlineData("Handover:TimeZone=Mars/Olympus", "Unknown time zone 'Mars/Olympus'")]
    [InlineData("Supervisor:TimeZone=Mars/Olympus", "Unknown time zone 'Mars/Olympus'")]
    [InlineData("Handover:ShiftLength=3.00:00:00", "ShiftLength")]
    public async Task Bad_settings_refuse_to_start(string setting, string expected)
    {
        await using var server = new HelpdeskServer();
        server.Settings.Add(setting);

        var start = () => server.InitializeAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(expected);
    }
}
