using Helpdesk.Core.Scripts;
using Helpdesk.Core.Tickets;
using Helpdesk.Data.Configuration;
using Helpdesk.Web.Infrastructure;

namespace Helpdesk.Web.Scripts;

public sealed record ScriptDto(
    long Id, ScriptKind Kind, string Name, string Language, int? TeamId, TicketChannel? Channel, string Text, ScriptStatus Status,
    string? ApprovedText, int Version, DateTime CreatedAt, DateTime UpdatedAt, DateTime? ApprovedAt, string? ApprovedBy)
{
    public static ScriptDto From(Script s) => new(s.Id, s.Kind, s.Name, s.Language, s.TeamId, s.Channel, s.Text, s.Status,
        s.ApprovedText, s.Version, s.CreatedAt, s.UpdatedAt, s.ApprovedAt, s.ApprovedBy);
}

public sealed record ScriptRevisionDto(int Version, DateTime At, string ByName, string Action, string Changes,
    string? OldText, string? NewText, ScriptStatus? OldStatus, ScriptStatus NewStatus);

/// <summary>Create or edit. An edit is based on <see cref="ExpectedVersion"/> when given (409 if someone changed it since).</summary>
public sealed record ScriptRequest(ScriptKind? Kind, string? Name, string? Language, int? TeamId, TicketChannel? Channel, string? Text, int? ExpectedVersion)
{
    public RequestValidation Validate()
    {
        var v = new RequestValidation()
            .Required("kind", Kind).Defined("kind", Kind)
            .Text("name", Name, ScriptLimits.NameMax)
            .Text("text", Text, ScriptLimits.TextMax)
            .Defined("channel", Channel)
            .Positive("teamId", TeamId).Positive("expectedVersion", ExpectedVersion);
        if (!ScriptLanguages.IsKnown(Language))
            v.Add("language", $"'language' is one of {string.Join(", ", ScriptLanguages.All)}.");
        TemplateChecks.Validate(v, "text", Text);
        return v;
    }
}

public sealed record ApproveRequest(int? ExpectedVersion);

public sealed record PreviewRequest(string? Text, string? Language, long? TicketNumber);

public sealed record PreviewResult(string Text, IReadOnlyList<string> Placeholders);

public sealed record CheckRequest(string? Text);

public sealed record CheckResult(bool Allowed, IReadOnlyList<ForbiddenMatchDto> Matches);

public sealed record ScriptMeta(IReadOnlyList<string> Kinds, IReadOnlyList<string> Placeholders, IReadOnlyList<string> Languages, IReadOnlyList<string> Channels);

public sealed record ForbiddenPhraseDto(long Id, string Phrase, string Language, string? Suggestion, long? SuggestedScriptId,
    bool IsActive, int Version, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static ForbiddenPhraseDto From(ForbiddenPhrase p) =>
        new(p.Id, p.Phrase, p.Language, p.Suggestion, p.SuggestedScriptId, p.IsActive, p.Version, p.CreatedAt, p.UpdatedAt);
}

public sealed record ForbiddenPhraseRevisionDto(int Version, DateTime At, string ByName, string Action, string Changes,
    string? OldPhrase, string? NewPhrase, string? OldSuggestion, string? NewSuggestion, bool? OldActive, bool NewActive);

public sealed record ForbiddenPhraseRequest(string? Phrase, string? Language, string? Suggestion, long? SuggestedScriptId, bool? IsActive, int? ExpectedVersion)
{
    public RequestValidation Validate()
    {
        var v = new RequestValidation()
            .Text("phrase", Phrase, ScriptLimits.PhraseMax)
            .Text("suggestion", Suggestion, ScriptLimits.SuggestionMax, required: false)
            .Positive("suggestedScriptId", SuggestedScriptId).Positive("expectedVersion", ExpectedVersion);
        if (!ScriptLanguages.IsKnown(Language))
            v.Add("language", $"'language' is one of {string.Join(", ", ScriptLanguages.All)}.");
        if (!string.IsNullOrWhiteSpace(Phrase) && Core.Scripts.ForbiddenPhraseMatcher.Normalise(Phrase).Text.Length == 0)
            v.Add("phrase", "The phrase has no letters or digits; it would match nothing.");
        if (string.IsNullOrWhiteSpace(Suggestion) && SuggestedScriptId is null)
            v.Add("suggestion", "Give the approved wording to offer instead, or the script that holds it.");
        return v;
    }
}

internal static class TemplateChecks
{
    /// <summary>An unknown placeholder or an open brace is refused, each error naming what is wrong.</summary>
    public static ScriptTemplate? Validate(RequestValidation v, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var template = ScriptTemplate.Parse(text);
        foreach (var error in template.Errors) v.Add(field, error.Message);
        return template;
    }
}
