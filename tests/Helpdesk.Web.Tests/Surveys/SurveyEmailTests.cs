using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hangfire;
using Helpdesk.Core.Email;
using Helpdesk.Core.Surveys;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Surveys;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Helpdesk.Web.Tests.Surveys;

/// <summary>
/// The survey by mail, end to end over the real servers: an email ticket resolved in the console
/// sends the survey through SMTP into the customer's Dovecot mailbox; its link answers it. The app's
/// clock is never moved here (the mail intake's timers run on it): the timing rules are in SurveyTimingTests.
/// </summary>
public sealed partial class SurveyEmailTests(EmailTestBed bed) : IClassFixture<EmailTestBed>
{
    [GeneratedRegex(@"https?://\S+/survey/[A-Za-z0-9_\-%]+")]
    private static partial Regex LinkPattern();

    /// <summary>A customer mails in; the agent takes the ticket and resolves it; the survey mail arrives.</summary>
    private async Task<(long Number, MimeMessage Mail, string Link)> ResolvedEmailTicketAsync(string word)
    {
        var customer = $"{word}@mail.example.cn";
        await bed.AppendAsync(RawMail.Simple(customer, "Headphones broken", $"My headphones {word} make no sound."));
        var agent = await StaffAsync("agent1@demo.local");
        var ticket = await bed.TicketWithAsync(word, agent);
        var number = ticket.Ticket.Number;
        // Triage of the new mail may still be writing the ticket: a stale version is tried again.
        await Eventually.TrueAsync(async () => (await agent.Http.PostAsJsonAsync($"/api/tickets/{number}/assignment", new { assigneeId = agent.Id })).IsSuccessStatusCode
            || (await StatusOfAsync(number)) == TicketStatus.Assigned, "the ticket assigned");
        await Eventually.TrueAsync(async () => (await agent.Http.PostAsJsonAsync($"/api/tickets/{number}/status", new { status = "Resolved" })).IsSuccessStatusCode,
            "the ticket resolved");
        var mail = await bed.CustomerMailAsync(m => m.Subject == $"How did we do? [#{number}]", "the survey invitation");
        var link = LinkPattern().Match(mail.TextBody ?? "").Value;
        link.Should().NotBeEmpty("the mail carries the survey link: {0}", mail.TextBody);
        return (number, mail, link);
    }

    /// <summary>A fresh sign-in: the tests move the app's clock by days, past a shared client's cookie.</summary>
    private Task<StaffClient> StaffAsync(string email) => bed.App.SignedInAsync(email);

    private Task<Survey> SurveyOfAsync(long number) =>
        bed.DbAsync(db => db.Surveys.AsNoTracking().Where(s => s.TicketNumber == number).OrderByDescending(s => s.Id).FirstAsync());

    private Task<TicketStatus> StatusOfAsync(long number) =>
        bed.DbAsync(db => db.Tickets.Where(t => t.Number == number).Select(t => t.Status).SingleAsync());

    private static FormUrlEncodedContent Form(int score, string solved, string comment = "") =>
        new(new Dictionary<string, string> { ["score"] = score.ToString(), ["solved"] = solved, ["comment"] = comment, ["lang"] = "en" });

    [Fact]
    public async Task Resolving_an_email_ticket_mails_the_survey_in_the_script_wording_and_its_link_records_the_answer()
    {
        var word = TicketsClient.UniqueWord("srv");
        var (number, mail, link) = await ResolvedEmailTicketAsync(word);

        // The wording is the approved SurveyInvitation script (English mail, English script).
        mail.TextBody.Should().Contain("Please take a moment to rate this conversation");
        mail.HtmlBody.Should().Contain("<a href=\"" + link);
        mail.Headers["Auto-Submitted"].Should().Be("auto-generated");
        mail.To.Mailboxes.Single().Address.Should().Be($"{word}@mail.example.cn");

        using var browser = bed.App.CreateClient();
        var page = await browser.Http.GetAsync(link);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("<form id=\"survey-form\" method=\"post\"").And.Contain("name=\"score\"").And.Contain("name=\"solved\"")
            .And.Contain("name=\"viewport\"");

        var answered = await browser.Http.PostAsync(link, Form(5, "yes", "Quick and kind"));
        answered.StatusCode.Should().Be(HttpStatusCode.OK);
        (await answered.Content.ReadAsStringAsync()).Should().Contain("id=\"survey-thanks\"");
        (await StatusOfAsync(number)).Should().Be(TicketStatus.FeedbackReceived);
        var survey = await SurveyOfAsync(number);
        (survey.Score, survey.Solved, survey.Comment).Should().Be((5, true, "Quick and kind"));
        survey.CommentSentiment.Should().NotBeNull("the comment went through triage sentiment");
        var agentId = (await StaffAsync("agent1@demo.local")).Id;
        var grade = await Eventually.GetAsync(() => bed.DbAsync(db => db.AgentCsatGrades.AsNoTracking().SingleOrDefaultAsync(g => g.AgentId == agentId)), "the agent's grade");
        grade.Answers.Should().BeGreaterThan(0);

        (await bed.DbAsync(db => db.FollowUpTasks.CountAsync(f => f.TicketNumber == number))).Should().Be(0, "a happy answer needs no follow-up");
    }

    [Fact]
    public async Task A_low_answer_creates_a_follow_up_for_supervisors_with_the_comments_sentiment()
    {
        var word = TicketsClient.UniqueWord("low");
        var (number, _, link) = await ResolvedEmailTicketAsync(word);
        var token = Uri.UnescapeDataString(link[(link.LastIndexOf('/') + 1)..]);
        using var browser = bed.App.CreateClient();
        var answer = await (await browser.Http.PostAsJsonAsync("/api/surveys/answer",
            new { token, score = 2, solved = false, comment = "太差了，非常生气，问题根本没有解决" })).ShouldBeAsync(HttpStatusCode.OK);
        answer.GetProperty("score").GetInt32().Should().Be(2);

        var supervisor = await StaffAsync("supervisor@demo.local");
        var task = await Eventually.GetAsync(async () =>
        {
            var list = await supervisor.Http.GetFromJsonAsync<List<FollowUpView>>("/api/surveys/follow-ups?open=true", TestJson.Options);
            return list!.FirstOrDefault(f => f.TicketNumber == number);
        }, "the follow-up task");
        task.Reason.Should().Be("low_score_and_not_solved:2");
        task.Comment.Should().Contain("太差了");
        task.CommentSentiment.Should().BeLessThan(0, "an angry comment has negative sentiment");
        (await StatusOfAsync(number)).Should().Be(TicketStatus.FeedbackReceived);
        var escalation = await Eventually.GetAsync(async () =>
            (await supervisor.GetTicketAsync(number)).Timeline.FirstOrDefault(m => m.EventCode == "escalated"), "the escalation of the low answer");
        escalation.EventReason.Should().Be("low_survey_score", "a low answer enters the escalation ladder even on a resolved ticket");
        escalation.Body.Should().Contain("2/5");

        // An agent does not see the supervisors' list; a supervisor closes the task.
        var agent = await StaffAsync("agent1@demo.local");
        (await agent.Http.GetAsync("/api/surveys/follow-ups")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await supervisor.Http.PostAsJsonAsync($"/api/surveys/follow-ups/{task.Id}/done", new { note = "Called, refund agreed" }))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);
        var done = await supervisor.Http.GetFromJsonAsync<List<FollowUpView>>("/api/surveys/follow-ups?open=false", TestJson.Options);
        done!.Single(f => f.Id == task.Id).DoneNote.Should().Be("Called, refund agreed");
    }
}
