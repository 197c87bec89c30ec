using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using Helpdesk.Core.Email;
using Helpdesk.Core.Surveys;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Surveys;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Surveys;

/// <summary>
/// The survey link's rules on the app's clock (a FakeTimeProvider moved by days, never a sleep):
/// tamper, 14-day expiry, the 24-hour lock, the 48-hour reminder and auto-archive. Each test has its
/// own app (no mail server: the survey mail is the outbound row's text, with its link).
/// </summary>
public sealed partial class SurveyTimingTests : IAsyncLifetime
{
    private readonly HelpdeskServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();
    public Task DisposeAsync() => _server.DisposeAsync();

    [GeneratedRegex(@"https?://\S+/survey/[A-Za-z0-9_\-%]+")]
    private static partial Regex LinkPattern();

    /// <summary>
    /// Moves the app's clock by hours or days without firing every tick of the app's one-second
    /// timers on the way (Advance would, 170,000 times for two days): the jobs under test are run here.
    /// </summary>
    private void Jump(TimeSpan by) => _server.Clock.AdjustTime(_server.Clock.GetUtcNow() + by);

    private async Task<T> DbAsync<T>(Func<HelpdeskDbContext, Task<T>> query)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>());
    }

    /// <summary>A demo customer's ticket (they have a mail address) resolved by agent1; the survey mail's link.</summary>
    private async Task<(long Number, string Link, string Token)> ResolvedAsync()
    {
        var agent = await _server.SignedInAsync("agent1@demo.local");
        var customerId = await DbAsync(db => db.Customers.Where(c => c.Email == "chen.ming@example.cn").Select(c => c.Id).SingleAsync());
        var created = await agent.NewTicketAsync("耳机没有声音", customerId: customerId, assigneeId: agent.Id);
        var number = created.Ticket.Number;
        await agent.SetStatusAsync(number, TicketStatus.Resolved);
        var text = await Eventually.GetAsync(() => DbAsync(db => db.EmailMessages.Where(e => e.OutboundKind == OutboundKind.SurveyInvitation
            && db.Tickets.Any(t => t.Id == e.TicketId && t.Number == number)).Select(e => e.Text).FirstOrDefaultAsync()), "the survey mail");
        var link = LinkPattern().Match(text).Value;
        link.Should().NotBeEmpty(text);
        return (number, link, Uri.UnescapeDataString(link[(link.LastIndexOf('/') + 1)..]));
    }

    private Task<Survey> SurveyOfAsync(long number) =>
        DbAsync(db => db.Surveys.AsNoTracking().Where(s => s.TicketNumber == number).OrderByDescending(s => s.Id).FirstAsync());

    private Task<TicketStatus> StatusOfAsync(long number) =>
        DbAsync(db => db.Tickets.Where(t => t.Number == number).Select(t => t.Status).SingleAsync());

    private static FormUrlEncodedContent Form(int score, string solved, string comment = "") =>
        new(new Dictionary<string, string> { ["score"] = score.ToString(), ["solved"] = solved, ["comment"] = comment });

    [Fact]
    public async Task An_answer_can_be_changed_for_24_hours_and_is_then_locked_with_a_friendly_page()
    {
        var (number, link, _) = await ResolvedAsync();
        using var browser = _server.CreateClient();
        (await browser.Http.PostAsync(link, Form(5, "yes", "Quick and kind"))).StatusCode.Should().Be(HttpStatusCode.OK);

        Jump(TimeSpan.FromHours(23));
        var again = await browser.Http.GetAsync(link);
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        (await again.Content.ReadAsStringAsync()).Should().Contain("id=\"change-hint\"").And.Contain("value=\"5\" checked");
        (await browser.Http.PostAsync(link, Form(4, "yes", "Quick"))).StatusCode.Should().Be(HttpStatusCode.OK);
        var changed = await SurveyOfAsync(number);
        (changed.Score, changed.Comment, changed.ChangedAt is not null).Should().Be((4, "Quick", true));

        Jump(TimeSpan.FromHours(2));
        var locked = await browser.Http.PostAsync(link, Form(1, "no", "changed my mind"));
        locked.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await locked.Content.ReadAsStringAsync()).Should().Contain("data-code=\"locked\"").And.Contain("不能再修改");
        (await browser.Http.GetAsync(link + "?lang=en")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        var after = await SurveyOfAsync(number);
        (after.Score, after.Comment).Should().Be((4, "Quick"), "the replayed link after the lock recorded nothing");
        (await DbAsync(db => db.FollowUpTasks.CountAsync(f => f.TicketNumber == number))).Should().Be(0);
        (await StatusOfAsync(number)).Should().Be(TicketStatus.FeedbackReceived);
    }

    [Fact]
    public async Task Tampered_expired_and_out_of_range_answers_get_clear_refusals_and_record_nothing()
    {
        var (number, link, token) = await ResolvedAsync();
        using var browser = _server.CreateClient();

        var tampered = token[..20] + (token[20] == 'A' ? 'B' : 'A') + token[21..];
        var tamperedPage = await browser.Http.GetAsync($"/survey/{tampered}?lang=zh-CN");
        tamperedPage.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await tamperedPage.Content.ReadAsStringAsync()).Should().Contain("data-code=\"invalid\"").And.Contain("此评价链接无效");
        var english = new HttpRequestMessage(HttpMethod.Get, $"/survey/{tampered}x");
        english.Headers.AcceptLanguage.ParseAdd("en-GB,en;q=0.9");
        var englishPage = await browser.Http.SendAsync(english);
        englishPage.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await englishPage.Content.ReadAsStringAsync()).Should().Contain("This survey link is not valid");
        (await browser.Http.PostAsync($"/survey/{tampered}", Form(5, "yes"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await (await browser.Http.PostAsJsonAsync("/api/surveys/answer", new { token = tampered, score = 5, solved = true }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Code().Should().Be("invalid");

        await (await browser.Http.PostAsJsonAsync("/api/surveys/answer", new { token, score = 6, solved = true })).ShouldBeInvalidAsync("score");
        await (await browser.Http.PostAsJsonAsync("/api/surveys/answer", new { token, score = 0, solved = true })).ShouldBeInvalidAsync("score");
        await (await browser.Http.PostAsJsonAsync("/api/surveys/answer", new { token, score = 3 })).ShouldBeInvalidAsync("solved");
        var badForm = await browser.Http.PostAsync(link + "?lang=en", Form(9, "yes"));
        badForm.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await badForm.Content.ReadAsStringAsync()).Should().Contain("Choose 1 to 5 stars.").And.Contain("id=\"survey-form\"");
        (await SurveyOfAsync(number)).AnsweredAt.Should().BeNull("nothing tried so far was recorded");
        (await StatusOfAsync(number)).Should().Be(TicketStatus.Resolved);

        Jump(TimeSpan.FromDays(13.9));
        (await browser.Http.GetAsync(link)).StatusCode.Should().Be(HttpStatusCode.OK, "still inside 14 days");
        Jump(TimeSpan.FromDays(0.2));
        var expired = await browser.Http.GetAsync(link);
        expired.StatusCode.Should().Be(HttpStatusCode.Gone);
        (await expired.Content.ReadAsStringAsync()).Should().Contain("data-code=\"expired\"");
        (await (await browser.Http.PostAsJsonAsync("/api/surveys/answer", new { token, score = 5, solved = true }))
            .ShouldBeProblemAsync(HttpStatusCode.Gone)).Code().Should().Be("expired");
        (await browser.Http.PostAsync(link, Form(5, "yes"))).StatusCode.Should().Be(HttpStatusCode.Gone);
        (await SurveyOfAsync(number)).AnsweredAt.Should().BeNull();
        (await StatusOfAsync(number)).Should().Be(TicketStatus.Resolved);
    }

    [Fact]
    public async Task One_reminder_is_queued_48_hours_after_an_unanswered_invitation()
    {
        var (number, _, _) = await ResolvedAsync();
        var survey = await SurveyOfAsync(number);
        _server.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 1000)
            .Should().Contain(j => j.Value.Job.Type == typeof(SurveyReminderJob) && (long)j.Value.Job.Args[0] == survey.Id,
                "Hangfire holds the reminder of this survey");

        async Task<bool> Run()
        {
            await using var scope = _server.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SurveyReminderJob>().RunAsync(survey.Id, CancellationToken.None);
        }
        async Task<int> Sweep()
        {
            await using var scope = _server.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SurveyReminderJob>().SweepAsync(CancellationToken.None);
        }
        Task<List<EmailMessage>> Reminders() => DbAsync(db => db.EmailMessages.AsNoTracking()
            .Where(e => e.TicketId == survey.TicketId && e.OutboundKind == OutboundKind.SurveyReminder).ToListAsync());

        Jump(TimeSpan.FromHours(47));
        (await Run()).Should().BeFalse("not yet 48 hours");
        (await Sweep()).Should().Be(0);
        Jump(TimeSpan.FromHours(1));
        (await Run()).Should().BeTrue();
        var reminder = (await Reminders()).Single();
        reminder.Subject.Should().Be($"提醒：请评价我们的服务 [#{number}]");
        reminder.Text.Should().Contain("/survey/").And.Contain("为了更好地为您服务", "the approved wording again");
        (await Run()).Should().BeFalse("one reminder only");
        (await Sweep()).Should().Be(0);
        (await Reminders()).Should().HaveCount(1);
    }

    [Fact]
    public async Task The_sweep_sends_a_reminder_whose_scheduled_job_was_lost_but_not_for_an_answered_survey()
    {
        var unanswered = await ResolvedAsync();
        var answered = await ResolvedAsync();
        using var browser = _server.CreateClient();
        (await browser.Http.PostAsync(answered.Link, Form(5, "yes"))).StatusCode.Should().Be(HttpStatusCode.OK);
        Jump(TimeSpan.FromHours(49));
        await using (var scope = _server.Services.CreateAsyncScope())
            (await scope.ServiceProvider.GetRequiredService<SurveyReminderJob>().SweepAsync(CancellationToken.None)).Should().Be(1);
        (await SurveyOfAsync(unanswered.Number)).ReminderSentAt.Should().NotBeNull();
        (await SurveyOfAsync(answered.Number)).ReminderSentAt.Should().BeNull();
    }

    [Fact]
    public async Task Resolved_without_answer_and_feedback_tickets_are_archived_after_the_configured_days()
    {
        var unanswered = await ResolvedAsync();
        var answered = await ResolvedAsync();
        using var browser = _server.CreateClient();
        (await browser.Http.PostAsync(answered.Link, Form(5, "yes"))).StatusCode.Should().Be(HttpStatusCode.OK);
        var open = await (await _server.SignedInAsync("agent1@demo.local")).TicketInStatusAsync(TicketStatus.Assigned);

        async Task<int> Archive()
        {
            await using var scope = _server.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SurveyArchiveJob>().RunAsync(CancellationToken.None);
        }
        Jump(TimeSpan.FromDays(6.9));
        await Archive(); // the demo data's old resolved tickets go now; ours have not had 7 days

        (await StatusOfAsync(unanswered.Number)).Should().Be(TicketStatus.Resolved);
        (await StatusOfAsync(answered.Number)).Should().Be(TicketStatus.FeedbackReceived);

        Jump(TimeSpan.FromDays(0.2));
        (await Archive()).Should().Be(2, "exactly the two tickets of this test were due now");
        (await StatusOfAsync(unanswered.Number)).Should().Be(TicketStatus.Archived);
        (await StatusOfAsync(answered.Number)).Should().Be(TicketStatus.Archived);
        (await StatusOfAsync(open.Ticket.Number)).Should().Be(TicketStatus.Assigned, "open tickets are never archived");
        var agent = await _server.SignedInAsync("agent1@demo.local");
        (await agent.GetTicketAsync(unanswered.Number)).Timeline.Should().Contain(m => m.Body.Contains("auto-archive after 7 days"));

        // The survey of an archived ticket can no longer be answered: friendly page, nothing recorded.
        var late = await browser.Http.PostAsync(unanswered.Link, Form(5, "yes"));
        late.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await late.Content.ReadAsStringAsync()).Should().Contain("data-code=\"closed\"");
        (await SurveyOfAsync(unanswered.Number)).AnsweredAt.Should().BeNull();
    }
}
