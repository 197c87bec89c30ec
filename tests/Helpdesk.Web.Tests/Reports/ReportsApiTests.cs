using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Helpdesk.Core.Teams;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Reports;
using Helpdesk.Web.Surveys;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Reports;

/// <summary>
/// /api/reports/{kind} over tickets made through the real API at known times of the app's clock,
/// in a team of their own (the demo data lives in the demo teams), on Shanghai calendar days:
/// 2026-11-23 01:00 UTC is 09:00 on Monday 23 November in Shanghai; 16:30 UTC is already the 24th.
/// </summary>
public sealed class ReportsApiTests : IAsyncLifetime
{
    private readonly HelpdeskServer _server = new();
    private StaffClient _supervisor = null!;
    private int _team;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _supervisor = await _server.StaffAsync(Demo.Supervisor);
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        var team = new Team
        {
            Key = "reports-test", Name = "Reports test", NameZh = "报表测试",
            Queues = [new TicketQueue { Key = "general", Name = "General", NameZh = "队列" },
                      new TicketQueue { Key = "complaints", Name = "Complaints", NameZh = "投诉", IsComplaintQueue = true }],
        };
        db.Teams.Add(team);
        await db.SaveChangesAsync();
        _team = team.Id;
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    private void At(string utc) => _server.Clock.AdjustTime(DateTimeOffset.Parse(utc + "Z"));

    private Task<TicketDetail> OpenAsync(string channel, string type = "Inquiry", string priority = "Normal", string category = "None",
        string description = "请问这个商品什么时候发货？") =>
        _supervisor.CreateTicketAsync(new { subject = $"{channel} {type} {category}", type, channel, priority, category, description, teamId = _team });

    private Task ReplyAsync(TicketDetail ticket) => _supervisor.PostMessageAsync(ticket.Ticket.Number, "replies", "您好，已为您查询。");

    private async Task<string> SurveyTokenAsync(long number)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        var survey = await Eventually.GetAsync(() => db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.TicketNumber == number), $"the survey of ticket {number}");
        return scope.ServiceProvider.GetRequiredService<SurveyIssuer>().TokenFor(survey);
    }

    private async Task<int> OutcomeCountAsync()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
        return await (from o in db.SlaOutcomes join t in db.Tickets on o.TicketId equals t.Id where t.TeamId == _team select o).CountAsync();
    }

    /// <summary>Two days of work in the test team; see each step for what it adds to which report.</summary>
    private async Task SeedAsync()
    {
        At("2026-11-23T01:00:00");
        var phone = await OpenAsync("Phone");                                    // volume 23rd: Phone
        At("2026-11-23T01:01:30");
        await ReplyAsync(phone);                                                 // first response 90 s (met)
        At("2026-11-23T01:10:00");
        var api = await OpenAsync("Api");                                        // volume 23rd: Api
        At("2026-11-23T01:15:00");
        await ReplyAsync(api);                                                   // first response 300 s (met)
        At("2026-11-23T01:20:00");
        var urgent = await OpenAsync("Api", priority: "Urgent");                 // volume 23rd: Api; urgent policy, 30 business minutes
        At("2026-11-23T02:10:00");
        await _supervisor.SetStatusAsync(api.Ticket.Number, TicketStatus.Resolved); // resolution 3,600 s (met), survey issued
        At("2026-11-23T02:20:00");
        await ReplyAsync(urgent);                                                // first response 3,600 s (breached)
        At("2026-11-23T03:00:00");
        await _supervisor.SetStatusAsync(phone.Ticket.Number, TicketStatus.Resolved); // resolution 7,200 s (met), survey issued
        var anonymous = _server.CreateClient();
        foreach (var (number, score) in new[] { (api.Ticket.Number, 5), (phone.Ticket.Number, 2) })
            await (await anonymous.Http.PostAsJsonAsync("/api/surveys/answer", new { token = await SurveyTokenAsync(number), score, solved = score > 2 }))
                .ShouldBeAsync(HttpStatusCode.OK);

        At("2026-11-23T15:30:00");                                               // 23:30 in Shanghai: still the 23rd
        _supervisor = await _server.SignedInAsync(Demo.Supervisor);              // the morning's sign-in has expired by the app's clock
        var refund = await OpenAsync("WebForm", "Complaint", category: "Refund", description: "我要投诉，退款一直没有到账。");
        At("2026-11-23T16:30:00");                                               // 00:30 on the 24th in Shanghai
        var rude = await OpenAsync("WebForm", "Complaint", category: "ServiceAttitude", description: "客服态度很差，我要投诉。");
        At("2026-11-23T16:31:00");
        await ReplyAsync(rude);                                                  // first response 60 s on the 24th (met: outside business hours)

        // The complaints keep their type and category whatever triage adds (it only raises them).
        foreach (var (ticket, category) in new[] { (refund, AfterSalesCategory.Refund), (rude, AfterSalesCategory.ServiceAttitude) })
        {
            var now = await _supervisor.GetTicketAsync(ticket.Ticket.Number);
            (now.Ticket.Type, now.Ticket.Category, now.Ticket.TeamId).Should().Be((TicketType.Complaint, category, _team));
        }
        // FR phone, api, urgent, rude; resolution phone, api: six finished clocks, written after commit by the SLA feature.
        await Eventually.TrueAsync(async () => await OutcomeCountAsync() == 6, "the six SLA outcomes of the test team");
    }

    private async Task<ReportView> ReportAsync(string kind, string query = "")
    {
        var response = await _supervisor.Http.GetAsync($"/api/reports/{kind}?from=2026-11-22&to=2026-11-24&teamId={_team}{query}");
        await response.ShouldBeAsync(HttpStatusCode.OK);
        return await response.ReadAsync<ReportView>();
    }

    private static IEnumerable<string> Rows(ReportView report) =>
        report.Rows.Select(r => $"{r.Date:yyyy-MM-dd} " + string.Join(",", r.Values.Select(v => v?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-")));

    [Fact]
    public async Task Each_report_gives_the_exact_daily_series_of_the_team_on_Shanghai_days()
    {
        await SeedAsync();

        var volume = await ReportAsync("volume");
        (volume.Report, volume.From, volume.To, volume.TimeZone, volume.TeamId)
            .Should().Be(("volume", new DateOnly(2026, 11, 22), new DateOnly(2026, 11, 24), "Asia/Shanghai", (int?)_team));
        volume.Columns.Should().Equal("Chat", "Email", "WebForm", "Api", "Phone", "total");
        Rows(volume).Should().Equal("2026-11-22 0,0,0,0,0,0", "2026-11-23 0,0,1,2,1,4", "2026-11-24 0,0,1,0,0,1");

        var first = await ReportAsync("first-response");
        first.Columns.Should().Equal("count", "p50Seconds", "p90Seconds");
        Rows(first).Should().Equal("2026-11-22 0,-,-", "2026-11-23 3,300,3600", "2026-11-24 1,60,60");

        Rows(await ReportAsync("resolution")).Should().Equal("2026-11-22 0,-,-", "2026-11-23 2,3600,7200", "2026-11-24 0,-,-");

        var csat = await ReportAsync("csat-daily");
        csat.Columns.Should().Equal("issued", "answered", "satisfied", "csat", "averageScore", "target");
        Rows(csat).Should().Equal("2026-11-22 0,0,0,-,-,0.95", "2026-11-23 2,2,1,0.5,3.5,0.95", "2026-11-24 0,0,0,-,-,0.95");

        var complaints = await ReportAsync("complaints");
        complaints.Columns.Should().Equal("None", "ReturnExchange", "Repair", "Refund", "OrderException", "TechnicalSupport", "ServiceAttitude", "total");
        Rows(complaints).Should().Equal("2026-11-22 0,0,0,0,0,0,0,0", "2026-11-23 0,0,0,1,0,0,0,1", "2026-11-24 0,0,0,0,0,0,1,1");

        var sla = await ReportAsync("sla");
        sla.Columns.Should().Equal("firstResponseMet", "firstResponseBreached", "nextResponseMet", "nextResponseBreached", "resolutionMet", "resolutionBreached", "compliance");
        Rows(sla).Should().Equal("2026-11-22 0,0,0,0,0,0,-", "2026-11-23 2,1,0,0,2,0,0.8", "2026-11-24 1,0,0,0,0,0,1");

        // Without the team filter the test team's tickets are among everything else.
        var all = await _supervisor.Http.GetFromJsonAsync<ReportView>("/api/reports/volume?from=2026-11-23&to=2026-11-23", TestJson.Options);
        all!.TeamId.Should().BeNull();
        all.Rows.Single().Values[^1].Should().BeGreaterThanOrEqualTo(4);

        // The CSV of the same series, exactly, in both languages; Accept: text/csv works like format=csv.
        var csv = await _supervisor.Http.GetAsync($"/api/reports/volume?from=2026-11-22&to=2026-11-24&teamId={_team}&format=csv");
        csv.StatusCode.Should().Be(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.ToString().Should().Be("text/csv; charset=utf-8");
        csv.Content.Headers.ContentDisposition!.FileName.Should().Be($"volume-2026-11-22-2026-11-24-team{_team}.csv");
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        bytes.Take(3).Should().Equal(new byte[] { 0xEF, 0xBB, 0xBF }, "Excel needs the byte-order mark to read UTF-8");
        Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Should().Be(
            "Date,Chat,Email,Web form,API,Phone,Total\r\n" +
            "2026-11-22,0,0,0,0,0,0\r\n" +
            "2026-11-23,0,0,1,2,1,4\r\n" +
            "2026-11-24,0,0,1,0,0,1\r\n");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/reports/first-response?from=2026-11-22&to=2026-11-24&teamId={_team}&lang=zh-CN");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var zh = await _supervisor.Http.SendAsync(request);
        zh.StatusCode.Should().Be(HttpStatusCode.OK);
        var zhBytes = await zh.Content.ReadAsByteArrayAsync();
        Encoding.UTF8.GetString(zhBytes, 3, zhBytes.Length - 3).Should().Be(
            "日期,工单数,P50（秒）,P90（秒）\r\n" +
            "2026-11-22,0,,\r\n" +
            "2026-11-23,3,300,3600\r\n" +
            "2026-11-24,1,60,60\r\n");

        var csatCsv = await _supervisor.Http.GetStringAsync($"/api/reports/csat-daily?from=2026-11-23&to=2026-11-23&teamId={_team}&format=csv");
        // (HttpClient's string reading takes the byte-order mark as the encoding and drops it.)
        csatCsv.Should().Be("Date,Surveys sent,Answers,Satisfied (4-5 stars),CSAT,Average score,Target\r\n2026-11-23,2,2,1,0.5,3.5,0.95\r\n");
    }

    [Fact]
    public async Task Without_dates_the_report_covers_the_last_seven_Shanghai_days()
    {
        At("2026-11-23T17:00:00"); // 01:00 on the 24th in Shanghai, still the 23rd in UTC
        _supervisor = await _server.SignedInAsync(Demo.Supervisor);
        var report = await _supervisor.Http.GetFromJsonAsync<ReportView>("/api/reports/sla", TestJson.Options);
        (report!.From, report.To).Should().Be((new DateOnly(2026, 11, 18), new DateOnly(2026, 11, 24)));
        report.Rows.Select(r => r.Date).Should().HaveCount(7);
    }

    [Theory]
    [InlineData("from=2026-11-20&to=2026-11-01", "to")]
    [InlineData("from=2025-01-01&to=2026-01-02", "to")]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("teamId=99999", "teamId")]
    [InlineData("teamId=pre-sales", "teamId")]
    [InlineData("format=xlsx", "format")]
    [InlineData("from=2026-11-20&to=2026-11-01&teamId=99999&format=pdf", "to", "teamId", "format")]
    public async Task Bad_filters_get_a_validation_problem_naming_each_field(string query, params string[] fields)
    {
        var problem = await (await _supervisor.Http.GetAsync($"/api/reports/volume?{query}")).ShouldBeInvalidAsync(fields);
        problem.GetProperty("title").GetString().Should().Be("The report cannot be made for these filters.");
        // A CSV request gets the same problem, not an empty file.
        await (await _supervisor.Http.GetAsync($"/api/reports/sla?{query}&lang=zh-CN")).ShouldBeInvalidAsync(fields);
    }

    [Fact]
    public async Task Reports_are_for_supervisors_and_admins()
    {
        (await (await _server.StaffAsync(Demo.Admin)).Http.GetAsync("/api/reports/complaints")).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await (await _server.StaffAsync(Demo.Agent1)).Http.GetAsync("/api/reports/volume")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await _server.CreateClient().Http.GetAsync("/api/reports/volume?format=csv")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}
