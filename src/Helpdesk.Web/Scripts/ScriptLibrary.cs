using Helpdesk.Core.Scripts;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Audit;
using Helpdesk.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Scripts;

/// <summary>
/// Writes to the script library and the forbidden-phrase list, each change recorded in its history
/// and in the audit log, both in the same save as the change.
/// </summary>
public sealed class ScriptLibrary(HelpdeskDbContext db, ForbiddenPhraseGuard guard, TimeProvider clock, AuditTrail audit)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<Script> CreateAsync(ScriptRequest r, Actor by, CancellationToken ct)
    {
        await EnsureTeamAsync(r.TeamId, ct);
        var now = Now;
        var script = new Script
        {
            Kind = r.Kind!.Value, Name = r.Name!.Trim(), Language = r.Language!, TeamId = r.TeamId, Channel = r.Channel,
            Text = r.Text!.Trim(), Status = ScriptStatus.Draft, CreatedAt = now, UpdatedAt = now,
        };
        db.Scripts.Add(script);
        await db.SaveChangesAsync(ct);
        db.ScriptRevisions.Add(Revision(script, by, "created", "kind,name,language,team,channel,text", null, null));
        audit.Record("script.created", "script", script.Id, new { kind = script.Kind, name = script.Name, language = script.Language, teamId = script.TeamId, channel = script.Channel });
        await db.SaveChangesAsync(ct);
        return script;
    }

    /// <summary>Any change makes the script a draft again; its approved text stays in use until the change is approved.</summary>
    public async Task<Script> UpdateAsync(long id, ScriptRequest r, Actor by, CancellationToken ct)
    {
        var script = await FindAsync(id, ct);
        CheckVersion(script.Version, r.ExpectedVersion);
        await EnsureTeamAsync(r.TeamId, ct);
        var changes = new List<string>();
        void Track(bool changed, string field) { if (changed) changes.Add(field); }
        var text = r.Text!.Trim();
        var name = r.Name!.Trim();
        Track(script.Kind != r.Kind, "kind");
        Track(script.Name != name, "name");
        Track(script.Language != r.Language, "language");
        Track(script.TeamId != r.TeamId, "team");
        Track(script.Channel != r.Channel, "channel");
        Track(script.Text != text, "text");
        if (changes.Count == 0)
        {
            audit.Unchanged();
            return script;
        }

        var (oldText, oldStatus) = (script.Text, script.Status);
        script.Kind = r.Kind!.Value;
        script.Name = name;
        script.Language = r.Language!;
        script.TeamId = r.TeamId;
        script.Channel = r.Channel;
        script.Text = text;
        script.Status = ScriptStatus.Draft;
        script.Version++;
        script.UpdatedAt = Now;
        db.ScriptRevisions.Add(Revision(script, by, "edited", string.Join(",", changes), oldText, oldStatus));
        audit.Record("script.edited", "script", script.Id, new { name = script.Name, changed = changes, version = script.Version });
        await db.SaveChangesAsync(ct);
        return script;
    }

    public async Task<Script> ApproveAsync(long id, int? expectedVersion, Actor by, CancellationToken ct)
    {
        var script = await FindAsync(id, ct);
        CheckVersion(script.Version, expectedVersion);
        if (script.Status == ScriptStatus.Approved && script.ApprovedText == script.Text)
            throw new ScriptConflictException("already_approved", "This version of the script is already approved.");
        var template = ScriptTemplate.Parse(script.Text);
        if (!template.IsValid)
            throw new ScriptConflictException("invalid_template", template.Errors[0].Message);
        var (oldText, oldStatus) = (script.ApprovedText, script.Status);
        script.Status = ScriptStatus.Approved;
        script.ApprovedText = script.Text;
        script.ApprovedAt = Now;
        script.ApprovedBy = by.Name;
        script.Version++;
        script.UpdatedAt = Now;
        db.ScriptRevisions.Add(Revision(script, by, "approved", "status", oldText, oldStatus));
        audit.Record("script.approved", "script", script.Id, new { name = script.Name, version = script.Version, status = new { from = oldStatus, to = script.Status } });
        await db.SaveChangesAsync(ct);
        if (await db.ForbiddenPhrases.AnyAsync(p => p.SuggestedScriptId == script.Id, ct)) guard.Invalidate();
        return script;
    }

    public async Task<ForbiddenPhrase> CreatePhraseAsync(ForbiddenPhraseRequest r, Actor by, CancellationToken ct)
    {
        await EnsureScriptAsync(r.SuggestedScriptId, ct);
        var now = Now;
        var phrase = new ForbiddenPhrase
        {
            Phrase = r.Phrase!.Trim(), Language = r.Language!, Suggestion = Clean(r.Suggestion), SuggestedScriptId = r.SuggestedScriptId,
            IsActive = r.IsActive ?? true, CreatedAt = now, UpdatedAt = now,
        };
        db.ForbiddenPhrases.Add(phrase);
        await db.SaveChangesAsync(ct);
        db.ForbiddenPhraseRevisions.Add(PhraseRevision(phrase, by, "created", "phrase,language,suggestion,active", null, null, null));
        audit.Record("forbidden_phrase.created", "forbidden_phrase", phrase.Id, new { phrase = phrase.Phrase, language = phrase.Language, active = phrase.IsActive });
        await db.SaveChangesAsync(ct);
        guard.Invalidate();
        return phrase;
    }

    public async Task<ForbiddenPhrase> UpdatePhraseAsync(long id, ForbiddenPhraseRequest r, Actor by, CancellationToken ct)
    {
        var phrase = await db.ForbiddenPhrases.FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw new NotFoundException($"No forbidden phrase {id}.");
        CheckVersion(phrase.Version, r.ExpectedVersion, "forbidden phrase");
        await EnsureScriptAsync(r.SuggestedScriptId, ct);
        var text = r.Phrase!.Trim();
        var suggestion = Clean(r.Suggestion);
        var active = r.IsActive ?? phrase.IsActive;
        var changes = new List<string>();
        if (phrase.Phrase != text) changes.Add("phrase");
        if (phrase.Language != r.Language) changes.Add("language");
        if (phrase.Suggestion != suggestion) changes.Add("suggestion");
        if (phrase.SuggestedScriptId != r.SuggestedScriptId) changes.Add("script");
        if (phrase.IsActive != active) changes.Add("active");
        if (changes.Count == 0)
        {
            audit.Unchanged();
            return phrase;
        }
        var (oldPhrase, oldSuggestion, oldActive) = (phrase.Phrase, phrase.Suggestion, phrase.IsActive);
        phrase.Phrase = text;
        phrase.Language = r.Language!;
        phrase.Suggestion = suggestion;
        phrase.SuggestedScriptId = r.SuggestedScriptId;
        phrase.IsActive = active;
        phrase.Version++;
        phrase.UpdatedAt = Now;
        var action = changes is ["active"] ? (active ? "activated" : "deactivated") : "edited";
        db.ForbiddenPhraseRevisions.Add(PhraseRevision(phrase, by, action, string.Join(",", changes), oldPhrase, oldSuggestion, oldActive));
        audit.Record($"forbidden_phrase.{action}", "forbidden_phrase", phrase.Id, new { phrase = new { from = oldPhrase, to = phrase.Phrase }, changed = changes });
        await db.SaveChangesAsync(ct);
        guard.Invalidate();
        return phrase;
    }

    private async Task<Script> FindAsync(long id, CancellationToken ct) =>
        await db.Scripts.FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException($"No script {id}.");

    private async Task EnsureTeamAsync(int? teamId, CancellationToken ct)
    {
        if (teamId is { } t && !await db.Teams.AnyAsync(x => x.Id == t, ct))
            throw new ScriptRequestException("teamId", $"Team {t} does not exist.");
    }

    private async Task EnsureScriptAsync(long? scriptId, CancellationToken ct)
    {
        if (scriptId is { } s && !await db.Scripts.AnyAsync(x => x.Id == s, ct))
            throw new ScriptRequestException("suggestedScriptId", $"Script {s} does not exist.");
    }

    private static void CheckVersion(int actual, int? expected, string what = "script")
    {
        if (expected is { } e && e != actual)
            throw new StaleVersionException(e, actual, what);
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private ScriptRevision Revision(Script s, Actor by, string action, string changes, string? oldText, ScriptStatus? oldStatus) => new()
    {
        ScriptId = s.Id, Version = s.Version, At = Now, ById = by.Id, ByName = by.Name, Action = action, Changes = changes,
        OldText = oldText, NewText = action == "approved" ? s.ApprovedText : s.Text, OldStatus = oldStatus, NewStatus = s.Status,
    };

    private ForbiddenPhraseRevision PhraseRevision(ForbiddenPhrase p, Actor by, string action, string changes, string? oldPhrase, string? oldSuggestion, bool? oldActive) => new()
    {
        PhraseId = p.Id, Version = p.Version, At = Now, ById = by.Id, ByName = by.Name, Action = action, Changes = changes,
        OldPhrase = oldPhrase, NewPhrase = p.Phrase, OldSuggestion = oldSuggestion, NewSuggestion = p.Suggestion, OldActive = oldActive, NewActive = p.IsActive,
    };
}

/// <summary>A field of the request names something that does not exist (→ 400 on that field).</summary>
public sealed class ScriptRequestException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>The request is well-formed but the script's state refuses it (→ 409 with a code).</summary>
public sealed class ScriptConflictException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
