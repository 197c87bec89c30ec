using Helpdesk.Core.Tickets;

namespace Helpdesk.Core.Scripts;

/// <summary>
/// Which approved script to use: the kind and language must match; among those, one for the
/// ticket's team and channel beats one for the team only, which beats one for the channel only,
/// which beats the language-wide one. A script for another team or channel never applies. With
/// nothing in the customer's language the default language's script is used, so a greeting is
/// never silently dropped. Ties go to the most recently approved.
/// </summary>
public static class ScriptSelection
{
    public static Script? Pick(IEnumerable<Script> scripts, ScriptKind kind, string? language, int? teamId, TicketChannel? channel)
    {
        var candidates = scripts.Where(s => s.Kind == kind && s.IsInUse
                                            && (s.TeamId is null || s.TeamId == teamId)
                                            && (s.Channel is null || s.Channel == channel)).ToList();
        var lang = ScriptLanguages.Normalise(language) ?? ScriptLanguages.Default;
        return Best(candidates.Where(s => s.Language == lang))
               ?? Best(candidates.Where(s => s.Language == ScriptLanguages.Default))
               ?? Best(candidates);
    }

    private static Script? Best(IEnumerable<Script> scripts) =>
        scripts.OrderByDescending(Specificity).ThenByDescending(s => s.ApprovedAt).ThenByDescending(s => s.Id).FirstOrDefault();

    private static int Specificity(Script s) => (s.TeamId is null ? 0 : 2) + (s.Channel is null ? 0 : 1);
}
