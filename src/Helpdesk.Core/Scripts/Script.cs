using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Scripts;

/// <summary>
/// One piece of standard wording, per language and optionally per team and channel. The working
/// <see cref="Text"/> may be a draft; <see cref="ApprovedText"/> is what is used automatically and
/// offered in the composer, so editing an approved script never puts unapproved words in front of
/// customers: its approved text stays in use until the edit is approved.
/// </summary>
public sealed class Script
{
    public long Id { get; set; }
    public ScriptKind Kind { get; set; }
    /// <summary>What agents search for in the composer's / picker ("退换货", "refund status").</summary>
    public string Name { get; set; } = "";
    public string Language { get; set; } = ScriptLanguages.Default;
    public int? TeamId { get; set; }
    public TicketChannel? Channel { get; set; }
    public string Text { get; set; } = "";
    public ScriptStatus Status { get; set; }
    public string? ApprovedText { get; set; }
    /// <summary>Bumped on every change; also the optimistic-concurrency token.</summary>
    public int Version { get; set; } = 1;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? ApprovedAt { get; set; }
    public string? ApprovedBy { get; set; }

    public bool IsInUse => ApprovedText is not null;
}

/// <summary>One change of a script: who, when, what, and the text and status before and after.</summary>
public sealed class ScriptRevision
{
    public long Id { get; set; }
    public long ScriptId { get; set; }
    public int Version { get; set; }
    public DateTime At { get; set; }
    public string? ById { get; set; }
    public string ByName { get; set; } = "";
    /// <summary>created, edited, approved.</summary>
    public string Action { get; set; } = "";
    /// <summary>The fields that changed, comma-separated (text, name, team, channel, kind, language, status).</summary>
    public string Changes { get; set; } = "";
    public string? OldText { get; set; }
    public string? NewText { get; set; }
    public ScriptStatus? OldStatus { get; set; }
    public ScriptStatus NewStatus { get; set; }
}

/// <summary>A phrase agents must not send (慢慢等着吧), with the approved wording to use instead.</summary>
public sealed class ForbiddenPhrase
{
    public long Id { get; set; }
    public string Phrase { get; set; } = "";
    public string Language { get; set; } = ScriptLanguages.Default;
    /// <summary>The wording offered instead; or take it from <see cref="SuggestedScriptId"/>'s approved text.</summary>
    public string? Suggestion { get; set; }
    public long? SuggestedScriptId { get; set; }
    public bool IsActive { get; set; } = true;
    public int Version { get; set; } = 1;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class ForbiddenPhraseRevision
{
    public long Id { get; set; }
    public long PhraseId { get; set; }
    public int Version { get; set; }
    public DateTime At { get; set; }
    public string? ById { get; set; }
    public string ByName { get; set; } = "";
    /// <summary>created, edited, activated, deactivated.</summary>
    public string Action { get; set; } = "";
    public string Changes { get; set; } = "";
    public string? OldPhrase { get; set; }
    public string? NewPhrase { get; set; }
    public string? OldSuggestion { get; set; }
    public string? NewSuggestion { get; set; }
    public bool? OldActive { get; set; }
    public bool NewActive { get; set; }
}
