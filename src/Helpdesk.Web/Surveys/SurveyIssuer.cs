using System.Security.Cryptography;
using Hangfire;
using Helpdesk.Core.Email;
using Helpdesk.Core.Scripts;
using Helpdesk.Core.Surveys;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Email;
using Helpdesk.Web.Infrastructure;
using Helpdesk.Web.Scripts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Surveys;

/// <summary>A ticket became Resolved: the customer is asked how we did (issue 8, point 1).</summary>
public sealed class SurveyOnResolvedListener(IServiceScopeFactory scopes) : ITicketEventListener
{
    public async Task HandleAsync(TicketEvent e, CancellationToken ct)
    {
        if (e is not StatusChanged { To: TicketStatus.Resolved } changed)
            return;
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SurveyIssuer>().IssueAsync(changed.Ticket.Id, ct);
    }
}

/// <summary>What the widget receives: the survey inline, with the token it answers with.</summary>
public sealed record SurveyInvitationNotice(long TicketNumber, string Token, string Text, string Language);

/// <summary>
/// Issues a survey for a resolved ticket: the row (agent, team, channel, type as they were), a signed
/// link, then the invitation where the customer is: inline in the chat widget (a hub push), or a
/// mail in the approved wording with the link. The reminder is scheduled in Hangfire for 48 h later.
/// </summary>
public sealed class SurveyIssuer(HelpdeskDbContext db, SurveyTokens tokens, ScriptRenderer scripts, EmailOutbox outbox,
    IHubContext<ChatHub, IChatClient> hub, IBackgroundJobClient jobs, SurveyLinks links, TimeProvider clock, ILogger<SurveyIssuer> log)
{
    public async Task<Survey?> IssueAsync(long ticketId, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null || ticket.Status != TicketStatus.Resolved)
            return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var survey = new Survey
        {
            TicketId = ticket.Id,
            TicketNumber = ticket.Number,
            AgentId = ticket.AssigneeId,
            TeamId = ticket.TeamId,
            Channel = ticket.Channel,
            Type = ticket.Type,
            Language = SurveyTexts.Normalise(ticket.Language ?? await MailLanguageAsync(ticket.Id, ct)),
            Nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)),
            IssuedAt = now,
            Version = 1,
        };
        db.Surveys.Add(survey);
        await db.SaveChangesAsync(ct);
        var token = TokenFor(survey);

        var invitation = await InvitationTextAsync(ticket, survey.Language, ct);
        if (ticket.Channel == TicketChannel.Chat)
            await hub.Clients.Group(ChatGroups.Customer(ticket.Number)).Survey(new SurveyInvitationNotice(ticket.Number, token, invitation, survey.Language));
        else if (await QueueMailAsync(ticket, survey, token, invitation, reminder: false, ct) is null)
            log.LogInformation("Survey {Id} of ticket {Number}: the customer has no email address; no invitation sent", survey.Id, ticket.Number);

        jobs.Schedule<SurveyReminderJob>(j => j.RunAsync(survey.Id, CancellationToken.None), SurveyRules.ReminderAfter);
        return survey;
    }

    public string TokenFor(Survey s) =>
        tokens.Issue(new SurveyTokenPayload(s.Id, s.TicketId, s.Nonce, new DateTimeOffset(DateTime.SpecifyKind(s.IssuedAt, DateTimeKind.Utc)).ToUnixTimeSeconds()));

    /// <summary>Queues the invitation or reminder mail; null when there is nobody to write to.</summary>
    public async Task<EmailMessage?> QueueMailAsync(Ticket ticket, Survey survey, string token, string invitation, bool reminder, CancellationToken ct)
    {
        var to = await db.Customers.Where(c => c.Id == ticket.CustomerId).Select(c => c.Email).FirstOrDefaultAsync(ct)
            ?? await db.EmailMessages.Where(x => x.TicketId == ticket.Id && x.Direction == EmailDirection.Inbound && !x.IsAutomatic)
                .OrderByDescending(x => x.Id).Select(x => x.FromAddress).FirstOrDefaultAsync(ct);
        if (string.IsNullOrWhiteSpace(to))
            return null;
        var row = outbox.PrepareSurvey(ticket.Id, reminder ? OutboundKind.SurveyReminder : OutboundKind.SurveyInvitation, to,
            SurveyTexts.MailSubject(survey.Language, ticket.Number, reminder),
            SurveyTexts.MailBody(survey.Language, invitation, links.PageUrl(token), reminder), survey.Language);
        await db.SaveChangesAsync(ct);
        outbox.Enqueue(row.Id);
        return row;
    }

    public async Task<string> InvitationTextAsync(Ticket ticket, string language, CancellationToken ct)
    {
        var script = await scripts.RenderAsync(ScriptKind.SurveyInvitation, language,
            new ScriptTarget(ticket.Number, ticket.CustomerId, ticket.AssigneeId, ticket.TeamId, ticket.Channel), ct);
        return script?.Text ?? SurveyTexts.InvitationFallback(language);
    }

    private Task<string?> MailLanguageAsync(long ticketId, CancellationToken ct) =>
        db.EmailMessages.Where(x => x.TicketId == ticketId && x.Direction == EmailDirection.Inbound)
            .OrderByDescending(x => x.Id).Select(x => x.Language).FirstOrDefaultAsync(ct);
}

/// <summary>Absolute links to the survey page: Surveys:PublicBaseUrl, else the address the server listens on.</summary>
public sealed class SurveyLinks(IOptions<SurveyOptions> options, IServer server)
{
    public string PageUrl(string token) => $"{BaseUrl().TrimEnd('/')}/survey/{Uri.EscapeDataString(token)}";

    private string BaseUrl()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl)) return options.Value.PublicBaseUrl;
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
        return address.Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://+", "://localhost").Replace("://*", "://localhost");
    }
}
