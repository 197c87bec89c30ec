using System.ComponentModel.DataAnnotations;

namespace Helpdesk.Web.Triage;

/// <summary>Bound from "Triage".</summary>
public sealed class TriageOptions
{
    public const string Section = "Triage";

    /// <summary>Triage new tickets and customer messages (on by default).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often a node asks the database whether another node published new rules. The node that
    /// publishes switches at once; the others within this many seconds.
    /// </summary>
    [Range(1, 3600)]
    public int RuleRecheckSeconds { get; set; } = 30;

    /// <summary>
    /// A chat conversation is triaged at its first customer message, then at most this often, with
    /// the messages that arrived meanwhile together (chat messages come fast; a pass per message
    /// would compete with the chat for the database).
    /// </summary>
    [Range(0, 3600)]
    public int ChatIntervalSeconds { get; set; } = 10;
}
