using Helpdesk.Core.Scripts;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Scripts;

/// <summary>Whom and what a script is rendered for; anything left null gets the neutral wording.</summary>
public sealed record ScriptTarget(
    long? TicketNumber = null, long? CustomerId = null, Guid? AgentId = null, int? TeamId = null,
    TicketChannel? Channel = null, int? QueuePosition = null);

/// <summary>A script chosen and filled in: ready to send.</summary>
public sealed record RenderedScript(long ScriptId, ScriptKind Kind, string Name, string Language, string Text);

/// <summary>
/// Chooses the approved script for a situation and fills it in: the company from configuration,
/// the agent's display name, the customer's salutation from their record, the ticket number, the
/// queue position, the opening hours. Other features call this; the email acknowledgement is
/// <c>RenderAsync(ScriptKind.EmailAcknowledgement, language, new ScriptTarget(TicketNumber: n,
/// CustomerId: c, TeamId: t, Channel: TicketChannel.Email))</c>, or <see cref="RenderForTicketAsync"/>.
/// </summary>
public sealed class ScriptRenderer(HelpdeskDbContext db, IOptionsMonitor<ScriptOptions> options, IOptionsMonitor<ChatOptions> chat)
{
    /// <summary>The approved script of this kind for the target, rendered; null when none is approved.</summary>
    public async Task<RenderedScript?> RenderAsync(ScriptKind kind, string? language, ScriptTarget target, CancellationToken ct = default)
    {
        var lang = ScriptLanguages.Normalise(language) ?? ScriptLanguages.Default;
        var scripts = await db.Scripts.AsNoTracking().Where(s => s.Kind == kind && s.ApprovedText != null).ToListAsync(ct);
        var script = ScriptSelection.Pick(scripts, kind, lang, target.TeamId, target.Channel);
        if (script is null) return null;
        var context = await ContextAsync(script.Language, target, ct);
        return new RenderedScript(script.Id, kind, script.Name, script.Language, ScriptTemplate.Parse(script.ApprovedText).Render(script.Language, context));
    }

    /// <summary>The same for a stored ticket: its language, team, channel and customer.</summary>
    public async Task<RenderedScript?> RenderForTicketAsync(ScriptKind kind, long ticketNumber, Guid? agentId, CancellationToken ct = default)
    {
        var t = await db.Tickets.AsNoTracking().Where(x => x.Number == ticketNumber)
            .Select(x => new { x.Language, x.TeamId, x.Channel, x.CustomerId, x.AssigneeId }).FirstOrDefaultAsync(ct);
        if (t is null) return null;
        return await RenderAsync(kind, t.Language, new ScriptTarget(ticketNumber, t.CustomerId, agentId ?? t.AssigneeId, t.TeamId, t.Channel), ct);
    }

    /// <summary>Every approved script that applies to the ticket, rendered in its own language: the composer's picker.</summary>
    public async Task<IReadOnlyList<RenderedScript>> RenderAllForTicketAsync(long ticketNumber, Guid agentId, CancellationToken ct = default)
    {
        var t = await db.Tickets.AsNoTracking().Where(x => x.Number == ticketNumber)
            .Select(x => new { x.TeamId, x.Channel, x.CustomerId }).FirstOrDefaultAsync(ct)
            ?? throw new Infrastructure.NotFoundException($"Ticket {ticketNumber} does not exist.");
        var scripts = await db.Scripts.AsNoTracking()
            .Where(s => s.ApprovedText != null && (s.TeamId == null || s.TeamId == t.TeamId) && (s.Channel == null || s.Channel == t.Channel))
            .ToListAsync(ct);
        var target = new ScriptTarget(ticketNumber, t.CustomerId, agentId, t.TeamId, t.Channel);
        var contexts = new Dictionary<string, ScriptContext>();
        var result = new List<RenderedScript>(scripts.Count);
        foreach (var s in scripts.OrderBy(s => s.Kind == ScriptKind.Canned ? 0 : 1).ThenBy(s => s.Kind).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            if (!contexts.TryGetValue(s.Language, out var context))
                contexts[s.Language] = context = await ContextAsync(s.Language, target, ct);
            result.Add(new RenderedScript(s.Id, s.Kind, s.Name, s.Language, ScriptTemplate.Parse(s.ApprovedText).Render(s.Language, context)));
        }
        return result;
    }

    /// <summary>Renders any text (a draft in the editor) with the target's data, or sample data.</summary>
    public async Task<string> RenderTextAsync(ScriptTemplate template, string language, ScriptTarget? target, CancellationToken ct = default) =>
        template.Render(language, target is null ? SampleContext(language) : await ContextAsync(language, target, ct));

    /// <summary>What the admin's preview shows when no ticket is named.</summary>
    public ScriptContext SampleContext(string language) =>
        language == ScriptLanguages.English
            ? new ScriptContext(Company(language), "Li Na", new CustomerName("Emily Carter", "Carter", Core.Customers.Gender.Female), 100042, 3, BusinessHours())
            : new ScriptContext(Company(language), "李娜", new CustomerName("陈明", "陈", Core.Customers.Gender.Male), 100042, 3, BusinessHours());

    public async Task<ScriptContext> ContextAsync(string language, ScriptTarget target, CancellationToken ct = default)
    {
        var agent = target.AgentId is { } a ? await db.Users.Where(u => u.Id == a).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;
        var customer = target.CustomerId is { } c
            ? await db.Customers.Where(x => x.Id == c).Select(x => new CustomerName(x.Name, x.Surname, x.Gender)).FirstOrDefaultAsync(ct)
            : null;
        return new ScriptContext(Company(language), agent, customer, target.TicketNumber, target.QueuePosition, BusinessHours());
    }

    private string Company(string language) => options.CurrentValue.CompanyFor(language);

    private string? BusinessHours() =>
        options.CurrentValue.BusinessHours is { Length: > 0 } configured ? configured : chat.CurrentValue.Sites.FirstOrDefault(s => !string.IsNullOrWhiteSpace(s.Hours))?.Hours;
}
