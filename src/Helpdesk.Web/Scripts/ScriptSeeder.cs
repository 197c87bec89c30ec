using Helpdesk.Core.Scripts;
using Helpdesk.Data;
using Helpdesk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Scripts;

/// <summary>
/// Puts the standard wording into every installation, demo data or not: an empty script library
/// gets <see cref="StandardWording.Scripts"/> (approved), an empty forbidden-phrase list gets
/// <see cref="StandardWording.ForbiddenPhrases"/>. Once there is anything, it is the company's and
/// nothing is added again.
/// </summary>
public sealed class ScriptSeeder(HelpdeskDbContext db, TimeProvider clock, ILogger<ScriptSeeder> log) : IDatabaseSeeder
{
    public async Task SeedAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await db.Scripts.AnyAsync(ct))
        {
            log.LogInformation("Seeding the standard wording ({Count} scripts)", StandardWording.Scripts.Count);
            var scripts = StandardWording.Scripts.Select(e => new Script
            {
                Kind = e.Kind, Name = e.Name, Language = e.Language, Text = e.Text, ApprovedText = e.Text,
                Status = ScriptStatus.Approved, CreatedAt = now, UpdatedAt = now, ApprovedAt = now, ApprovedBy = "system",
            }).ToList();
            db.Scripts.AddRange(scripts);
            await db.SaveChangesAsync(ct);
            db.ScriptRevisions.AddRange(scripts.Select(s => new ScriptRevision
            {
                ScriptId = s.Id, Version = 1, At = now, ByName = "system", Action = "created", Changes = "standard wording",
                NewText = s.Text, NewStatus = ScriptStatus.Approved,
            }));
            await db.SaveChangesAsync(ct);
        }
        if (!await db.ForbiddenPhrases.AnyAsync(ct))
        {
            var phrases = StandardWording.ForbiddenPhrases.Select(p => new ForbiddenPhrase
            {
                Phrase = p.Text, Language = p.Language, Suggestion = p.Suggestion, IsActive = true, CreatedAt = now, UpdatedAt = now,
            }).ToList();
            db.ForbiddenPhrases.AddRange(phrases);
            await db.SaveChangesAsync(ct);
            db.ForbiddenPhraseRevisions.AddRange(phrases.Select(p => new ForbiddenPhraseRevision
            {
                PhraseId = p.Id, Version = 1, At = now, ByName = "system", Action = "created", Changes = "standard wording",
                NewPhrase = p.Phrase, NewSuggestion = p.Suggestion, NewActive = true,
            }));
            await db.SaveChangesAsync(ct);
        }
    }
}
