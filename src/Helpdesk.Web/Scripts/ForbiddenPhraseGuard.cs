using Helpdesk.Core.Scripts;
using Helpdesk.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Scripts;

/// <summary>
/// The server's side of the guard: what an agent sends to a customer (hub, ticket replies) is
/// checked against the active forbidden phrases. The matcher is kept in memory and rebuilt when
/// a phrase changes on this node, or after <see cref="RefreshAfter"/> for changes made on another
/// node, so the hot path of a chat message does not read the table. Customers are not checked:
/// the list is about agents' wording.
/// </summary>
public sealed class ForbiddenPhraseGuard(IServiceScopeFactory scopes, TimeProvider clock)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Loaded? _loaded;

    public async Task<IReadOnlyList<ForbiddenMatch>> CheckAsync(string? text, CancellationToken ct = default) =>
        string.IsNullOrWhiteSpace(text) ? [] : (await MatcherAsync(ct)).Find(text);

    /// <summary>A phrase was added or changed here: the next check reads them again.</summary>
    public void Invalidate() => _loaded = null;

    private async Task<ForbiddenPhraseMatcher> MatcherAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_loaded is { } fresh && now - fresh.At < RefreshAfter) return fresh.Matcher;
        await _gate.WaitAsync(ct);
        try
        {
            if (_loaded is { } again && now - again.At < RefreshAfter) return again.Matcher;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>();
            var rows = await db.ForbiddenPhrases.AsNoTracking().Where(p => p.IsActive)
                .Select(p => new
                {
                    p.Id, p.Phrase, p.Language, p.Suggestion,
                    FromScript = db.Scripts.Where(s => s.Id == p.SuggestedScriptId).Select(s => s.ApprovedText).FirstOrDefault(),
                })
                .ToListAsync(ct);
            var matcher = new ForbiddenPhraseMatcher(rows.Select(r => new ForbiddenRule(r.Id, r.Phrase, r.Language,
                string.IsNullOrWhiteSpace(r.Suggestion) ? r.FromScript : r.Suggestion)));
            _loaded = new Loaded(matcher, now);
            return matcher;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The hub's refusal: "[forbidden_phrase] ..." naming the phrase and the wording to use.</summary>
    public static string HubMessage(ForbiddenMatch m) =>
        $"[forbidden_phrase] \"{m.Matched}\" is not allowed wording (forbidden phrase \"{m.Phrase}\")."
        + (m.Suggestion is { Length: > 0 } s ? $" Say instead: {s}" : "");

    /// <summary>The API's refusal (422), with every match for the composer to show.</summary>
    public static ProblemDetails Problem(IReadOnlyList<ForbiddenMatch> matches)
    {
        var first = matches[0];
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Forbidden wording",
            Detail = $"\"{first.Matched}\" is not allowed wording (forbidden phrase \"{first.Phrase}\")."
                     + (first.Suggestion is { Length: > 0 } s ? $" Say instead: {s}" : ""),
        };
        problem.Extensions["code"] = "forbidden_phrase";
        problem.Extensions["phrase"] = first.Phrase;
        problem.Extensions["matched"] = first.Matched;
        problem.Extensions["suggestion"] = first.Suggestion;
        problem.Extensions["matches"] = matches.Select(ForbiddenMatchDto.From).ToList();
        return problem;
    }

    private sealed record Loaded(ForbiddenPhraseMatcher Matcher, DateTimeOffset At);
}

public sealed record ForbiddenMatchDto(long PhraseId, string Phrase, string Matched, int Start, int Length, string? Suggestion)
{
    public static ForbiddenMatchDto From(ForbiddenMatch m) => new(m.PhraseId, m.Phrase, m.Matched, m.Start, m.Length, m.Suggestion);
}
