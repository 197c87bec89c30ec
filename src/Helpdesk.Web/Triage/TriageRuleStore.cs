using Helpdesk.Core.Triage;
using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Triage;

/// <summary>
/// The compiled engine of the current published rules, shared by every request of the node.
/// Compiling (automata, regexes) is done once per version; a publish here swaps it at once, a
/// publish on another node is noticed within <see cref="TriageOptions.RuleRecheckSeconds"/>.
/// The first use on an empty database stores the shipped defaults as version 1.
/// </summary>
public sealed class TriageRuleStore(IServiceScopeFactory scopes, TimeProvider clock, IOptions<TriageOptions> options)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TriageEngine? _engine;
    private DateTimeOffset _checkedAt;

    public async Task<TriageEngine> CurrentAsync(CancellationToken ct)
    {
        var engine = _engine;
        if (engine is not null && clock.GetUtcNow() - _checkedAt < TimeSpan.FromSeconds(options.Value.RuleRecheckSeconds))
            return engine;
        await _gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
            var current = await CurrentVersionAsync(db, clock.GetUtcNow().UtcDateTime, ct);
            if (_engine is null || _engine.Version != current.Version)
                _engine = TriageEngine.Compile(current.Version, current.Rules());
            _checkedAt = clock.GetUtcNow();
            return _engine;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Called after a publish on this node: the next triage compiles the new version.</summary>
    public void Invalidate() => _checkedAt = DateTimeOffset.MinValue;

    public static async Task<TriageRuleSetVersion> CurrentVersionAsync(HelpdeskDbContext db, DateTime now, CancellationToken ct)
    {
        var current = await db.TriageRuleSets.AsNoTracking().Where(v => v.Status == RuleSetStatus.Published)
            .OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct);
        if (current is not null)
            return current;
        var seed = new TriageRuleSetVersion
        {
            Version = 1, Status = RuleSetStatus.Published, RulesJson = TriageRuleSet.Defaults.ToJson(), Note = "Shipped bilingual defaults",
            CreatedAt = now, UpdatedAt = now, PublishedAt = now, CreatedBy = "system", PublishedBy = "system",
        };
        db.TriageRuleSets.Add(seed);
        try
        {
            await db.SaveChangesAsync(ct);
            return seed;
        }
        catch (DbUpdateException)
        {
            // Another node stored the defaults first: theirs is version 1.
            db.ChangeTracker.Clear();
            return await db.TriageRuleSets.AsNoTracking().Where(v => v.Status == RuleSetStatus.Published)
                .OrderByDescending(v => v.Version).FirstAsync(ct);
        }
    }
}
