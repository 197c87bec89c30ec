using System.Collections.Concurrent;
using System.Net;
using Helpdesk.Core.Email;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helpdesk.Web.Tests.Email;

/// <summary>The app without any mailbox (the `dotnet run` default): intake idle but healthy; the Hangfire dashboard for supervisors.</summary>
public sealed class EmailDefaultsTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    [Fact]
    public async Task Without_a_mailbox_intake_is_healthy_and_says_it_is_not_configured_and_hangfire_runs()
    {
        using var anonymous = server.CreateClient();
        var health = await (await anonymous.Http.GetAsync("/healthz")).ShouldBeAsync(HttpStatusCode.OK);
        var intake = health.GetProperty("checks").GetProperty("mail-intake");
        intake.GetProperty("status").GetString().Should().Be("Healthy");
        intake.GetProperty("description").GetString().Should().Contain("not configured");
        health.GetProperty("checks").GetProperty("hangfire").GetProperty("status").GetString().Should().Be("Healthy");
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("agent1@demo.local", HttpStatusCode.Forbidden)]
    [InlineData("supervisor@demo.local", HttpStatusCode.OK)]
    [InlineData("admin@demo.local", HttpStatusCode.OK)]
    public async Task The_hangfire_dashboard_is_for_supervisors_and_admins(string? user, HttpStatusCode expected)
    {
        var client = user is null ? server.CreateClient() : await server.StaffAsync(user);
        var response = await client.Http.GetAsync("/hangfire");
        response.StatusCode.Should().Be(expected);
        if (expected == HttpStatusCode.OK)
            (await response.Content.ReadAsStringAsync()).Should().Contain("Helpdesk jobs");
    }
}

/// <summary>Mailboxes that do not work: the app says so in /healthz, keeps trying, and never writes a password into a log.</summary>
public sealed class EmailMailboxProblemTests : IAsyncLifetime
{
    private DovecotServer _dovecot = null!;

    public async Task InitializeAsync() => _dovecot = await DovecotServer.StartAsync(EmailTestBed.Support);
    public async Task DisposeAsync() { if (_dovecot is not null) await _dovecot.DisposeAsync(); }

    [Fact]
    public async Task A_refused_sign_in_makes_intake_degraded_with_the_reason_and_the_password_appears_in_no_log()
    {
        const string wrongPassword = "Wr0ng-Secret-Do-Not-Log-9";
        var logs = new LogCapture();
        await using var app = new HelpdeskServer();
        app.Settings.AddRange([
            "Email:Mailboxes:0:Name=support", $"Email:Mailboxes:0:Host={_dovecot.Host}", $"Email:Mailboxes:0:Port={_dovecot.Port}",
            "Email:Mailboxes:0:Security=None", $"Email:Mailboxes:0:User={EmailTestBed.Support}", $"Email:Mailboxes:0:Password={wrongPassword}",
            $"Email:FromAddress={EmailTestBed.Support}", "Logging:LogLevel:Default=Debug",
        ]);
        app.Configure.Add(b => b.Logging.AddProvider(logs));
        await app.InitializeAsync();

        using var anonymous = app.CreateClient();
        var intake = await Eventually.GetAsync(async () =>
        {
            var health = await (await anonymous.Http.GetAsync("/healthz")).ShouldBeAsync(HttpStatusCode.OK);
            var check = health.GetProperty("checks").GetProperty("mail-intake");
            return check.GetProperty("status").GetString() == "Degraded" ? check.GetProperty("description").GetString() : null;
        }, "intake reported degraded");
        intake.Should().Contain("support").And.Contain("sign-in refused");
        intake.Should().NotContain(wrongPassword);
        logs.Lines.Should().Contain(l => l.Contains("sign-in refused") && l.Contains(EmailTestBed.Support), "the admin learns which mailbox and user");
        logs.Lines.Should().NotContain(l => l.Contains(wrongPassword), "a password never reaches a log");
    }

    [Fact]
    public async Task A_mailbox_nobody_answers_on_is_degraded_with_the_reason_and_the_app_still_serves()
    {
        await using var app = new HelpdeskServer();
        app.Settings.AddRange([
            "Email:Mailboxes:0:Name=sales", "Email:Mailboxes:0:Host=127.0.0.1", $"Email:Mailboxes:0:Port={DovecotServer.FreePort()}",
            "Email:Mailboxes:0:Security=None", "Email:Mailboxes:0:User=sales@test.local", "Email:Mailboxes:0:Password=x",
            "Email:FromAddress=sales@test.local",
        ]);
        await app.InitializeAsync();
        using var anonymous = app.CreateClient();
        var description = await Eventually.GetAsync(async () =>
        {
            var health = await (await anonymous.Http.GetAsync("/healthz")).ShouldBeAsync(HttpStatusCode.OK);
            var check = health.GetProperty("checks").GetProperty("mail-intake");
            return check.GetProperty("status").GetString() == "Degraded" ? check.GetProperty("description").GetString() : null;
        }, "intake reported degraded");
        description.Should().Contain("sales: cannot connect (ConnectionRefused)");
        var agent = await app.StaffAsync("agent1@demo.local");
        (await agent.Http.GetAsync("/api/tickets")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_mailbox_without_host_stops_the_app_at_start_naming_the_setting()
    {
        await using var app = new HelpdeskServer();
        app.Settings.AddRange(["Email:Mailboxes:0:Name=support", "Email:Mailboxes:0:User=u", "Email:Mailboxes:0:Password=p", "Email:FromAddress=a@b.c"]);
        var start = () => app.InitializeAsync();
        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>())
            .Which.Message.Should().Contain("Email:Mailboxes:0:Host is required").And.NotContain("Password=p");
    }
}

/// <summary>Nothing doubled: a crash after the commit but before the flag leaves a mail that the next start only flags.</summary>
public sealed class EmailRestartTests : EmailTestBed
{
    [Fact]
    public async Task A_mail_whose_flag_was_lost_is_recognised_after_a_restart_and_creates_no_second_ticket()
    {
        var word = TicketsClient.UniqueWord("crash");
        var messageId = $"{word}@mail.example.cn";
        await AppendAsync(RawMail.Simple($"{word}@mail.example.cn", $"Crash {word}", $"before the crash {word}", messageId));
        var agent = await App.StaffAsync("agent1@demo.local");
        var first = await TicketWithAsync(word, agent);
        await Eventually.TrueAsync(async () => (await FlagCountsAsync()).Unflagged == 0, "the mail flagged");
        await Eventually.TrueAsync(() => DbAsync(db => db.EmailMessages.AnyAsync(e => e.OutboundKind == OutboundKind.Acknowledgement && e.TicketId == first.Ticket.Id && e.DeliveryStatus == DeliveryStatus.Sent)), "the acknowledgement sent");

        // The app stops; the flag is lost as if the app had died right after its commit.
        var folder = App.Folder;
        await App.StopAsync();
        using (var imap = await ImapAsync(Support))
        {
            var inbox = await imap.GetFolderAsync("INBOX");
            await inbox.OpenAsync(FolderAccess.ReadWrite);
            var uids = await inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", word));
            await inbox.RemoveFlagsAsync(uids, MessageFlags.None, new HashSet<string> { Helpdesk.Web.Email.EmailIntakeWorker.ProcessedKeyword }, silent: true);
        }
        (await FlagCountsAsync()).Unflagged.Should().Be(1);

        await using var restarted = new HelpdeskServer { Folder = folder };
        restarted.Settings.AddRange(MailSettings());
        await restarted.InitializeAsync();
        await Eventually.TrueAsync(async () => (await FlagCountsAsync()).Unflagged == 0, "the mail flagged again after the restart");

        await using var scope = restarted.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Helpdesk.Data.HelpdeskDbContext>();
        (await db.EmailMessages.CountAsync(e => e.MessageId == messageId)).Should().Be(1);
        (await db.Tickets.CountAsync(t => t.Subject == $"Crash {word}")).Should().Be(1, "the mail's Message-ID is known: no second ticket");
        (await db.EmailMessages.CountAsync(e => e.OutboundKind == OutboundKind.Acknowledgement && e.TicketId == first.Ticket.Id)).Should().Be(1, "and no second acknowledgement");
    }
}

/// <summary>An SMTP server that does not answer: the reply is retried with backoff, then the failure shows on the ticket.</summary>
public sealed class EmailSmtpDownTests(EmailSmtpDownTests.Bed bed) : IClassFixture<EmailSmtpDownTests.Bed>
{
    public sealed class Bed : EmailTestBed
    {
        private readonly int _closedPort = DovecotServer.FreePort();
        protected override IEnumerable<string> ExtraSettings => [$"Email:Smtp:Port={_closedPort}"];
    }

    [Fact]
    public async Task A_reply_that_cannot_be_sent_is_retried_then_marked_failed_on_the_ticket()
    {
        var word = TicketsClient.UniqueWord("down");
        await bed.AppendAsync(RawMail.Simple($"{word}@mail.example.cn", $"Down {word}", $"please answer {word}", $"{word}@mail.example.cn"));
        var agent = await bed.App.StaffAsync("agent1@demo.local");
        var ticket = await bed.TicketWithAsync(word, agent);
        (await agent.Http.PostAsJsonAsync($"/api/tickets/{ticket.Ticket.Number}/replies", new { body = "Here is your answer." })).StatusCode.Should().Be(HttpStatusCode.Created);

        var failed = await Eventually.GetAsync(async () =>
        {
            var d = await agent.Http.GetFromJsonAsync<TicketDetail>($"/api/tickets/{ticket.Ticket.Number}", TestJson.Options);
            var mail = d!.Timeline.Single(m => m.Kind == MessageKind.Agent).Email;
            return mail?.DeliveryStatus == DeliveryStatus.Failed ? mail : null;
        }, "the reply marked failed");
        failed.DeliveryAttempts.Should().Be(3, "Email:SendRetry:Attempts=3: the first try and two retries");
        failed.DeliveryError.Should().NotBeNullOrWhiteSpace();
        failed.DeliveredAt.Should().BeNull();
        var storage = bed.App.Services.GetRequiredService<Hangfire.JobStorage>();
        await Eventually.TrueAsync(() => Task.FromResult(storage.GetMonitoringApi().FailedCount() >= 1), "the job failed in Hangfire too");
    }
}

/// <summary>A server without IDLE (or IDLE turned off) is polled, on the app's clock.</summary>
public sealed class EmailPollingTests(EmailPollingTests.Bed bed) : IClassFixture<EmailPollingTests.Bed>
{
    public sealed class Bed : EmailTestBed
    {
        protected override IEnumerable<string> ExtraSettings => ["Email:UseIdle=false", "Email:PollInterval=00:01:00"];
    }

    [Fact]
    public async Task Without_idle_new_mail_is_found_when_the_poll_interval_has_passed()
    {
        var agent = await bed.App.StaffAsync("agent1@demo.local");
        await Eventually.TrueAsync(async () =>
        {
            using var health = bed.App.CreateClient();
            var json = await (await health.Http.GetAsync("/healthz")).ShouldBeAsync(HttpStatusCode.OK);
            return json.GetProperty("checks").GetProperty("mail-intake").GetProperty("description").GetString()!.Contains("waiting for mail (polling every 00:01:00)");
        }, "the worker waiting for its next poll");
        var word = TicketsClient.UniqueWord("poll");
        await bed.AppendAsync(RawMail.Simple($"{word}@mail.example.cn", $"Poll {word}", $"polled {word}", $"{word}@mail.example.cn"));

        // Nothing moves while the fake clock stands still: the worker waits for its poll interval.
        var page = await agent.Http.GetFromJsonAsync<TicketPage>($"/api/tickets?q={word}", TestJson.Options);
        page!.Items.Should().BeEmpty("the next poll is a minute away on the app's clock");

        var found = await Eventually.GetAsync(async () =>
        {
            bed.App.Clock.Advance(TimeSpan.FromSeconds(61));
            var p = await agent.Http.GetFromJsonAsync<TicketPage>($"/api/tickets?q={word}", TestJson.Options);
            return p!.Items.FirstOrDefault();
        }, "the polled mail as a ticket");
        found.Subject.Should().Be($"Poll {word}");
    }
}
