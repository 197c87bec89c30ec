using System.Net;
using Microsoft.Extensions.Logging;
using Helpdesk.Web.Tests.Crm;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.Web.Tests.Security;

/// <summary>
/// Issue 11 point 4: no secret in any log line, with every category at Trace. The app is given
/// secrets in each place it takes one (a mailbox and SMTP password, a widget identity secret, a
/// database password in the connection string is not possible with SQLite) and used in each way a
/// secret comes in (a wrong and a right sign-in password, a CRM API key, a webhook secret whose
/// deliveries fail), and the log is searched for them.
/// </summary>
public sealed class SecretsInLogsTests
{
    [Fact]
    public async Task Passwords_keys_and_secrets_never_reach_a_log_line_even_at_trace_level()
    {
        const string imapPassword = "imap-Secret-4417-do-not-log", smtpPassword = "smtp-Secret-9921-do-not-log";
        const string identitySecret = "widget-identity-Secret-5512-do-not-log", webhookSecret = "webhook-Secret-7734-do-not-log";
        const string wrongPassword = "Wrong-Passw0rd-6650-do-not-log";
        var logs = new LogCapture();
        await using var app = new HelpdeskServer();
        app.Settings.AddRange([
            "Logging:LogLevel:Default=Trace", "Logging:LogLevel:Microsoft=Trace", "Logging:LogLevel:Microsoft.AspNetCore=Trace",
            "Logging:LogLevel:Microsoft.EntityFrameworkCore=Trace", "Logging:LogLevel:System=Trace",
            "Email:Mailboxes:0:Name=support", "Email:Mailboxes:0:Host=127.0.0.1", $"Email:Mailboxes:0:Port={DovecotServer.FreePort()}",
            "Email:Mailboxes:0:Security=None", "Email:Mailboxes:0:User=support@test.local", $"Email:Mailboxes:0:Password={imapPassword}",
            "Email:FromAddress=support@test.local", "Email:Smtp:Host=127.0.0.1", $"Email:Smtp:Port={DovecotServer.FreePort()}",
            "Email:Smtp:Security=None", "Email:Smtp:User=support@test.local", $"Email:Smtp:Password={smtpPassword}",
            $"Chat:Sites:0:IdentitySecret={identitySecret}", "Jobs:SchedulePollingInterval=00:00:00.2",
        ]);
        app.Configure.Add(b => b.Logging.AddProvider(logs));
        await app.InitializeAsync();

        using var stranger = app.CreateClient();
        (await stranger.PostJsonAsync("/api/auth/sign-in", new { email = Demo.Agent1, password = wrongPassword })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var agent = await app.StaffAsync(Demo.Agent1);
        var key = await app.IssueKeyAsync("ReadWrite");
        using (var crm = app.CrmHttp(key.Secret))
            (await crm.GetAsync("/api/crm/changes?after=0")).StatusCode.Should().Be(HttpStatusCode.OK);
        var admin = await app.StaffAsync("admin@demo.local");
        (await admin.PostJsonAsync("/api/admin/webhooks", new { url = $"http://127.0.0.1:{DovecotServer.FreePort()}/hook", secret = webhookSecret, events = new[] { "ticket.created" } }))
            .IsSuccessStatusCode.Should().BeTrue();
        // A ticket (a webhook delivery that fails) and a reply by mail (an SMTP send that fails).
        var ticket = await agent.NewTicketAsync("Secrets test", customerId: 1, assigneeId: agent.Id);
        await agent.PostMessageAsync(ticket.Ticket.Number, "replies", "A reply that goes out by mail.");
        await Eventually.TrueAsync(() => Task.FromResult(logs.Lines.Any(l => l.Contains("Webhook delivery"))), "a failed webhook delivery logged");
        await Eventually.TrueAsync(() => Task.FromResult(logs.Lines.Any(l => l.Contains("support@test.local"))), "the mailbox's failure logged with its user");

        logs.Lines.Should().HaveCountGreaterThan(100, "Trace logging is on");
        foreach (var secret in new[] { imapPassword, smtpPassword, identitySecret, webhookSecret, wrongPassword, key.Secret, "Demo123!" })
            logs.Lines.Should().NotContain(l => l.Contains(secret), "{0} must never be logged", secret[..Math.Min(12, secret.Length)] + "…");
    }
}
