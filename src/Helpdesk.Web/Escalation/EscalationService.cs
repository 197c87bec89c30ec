using Helpdesk.Core.Escalation;
using Helpdesk.Web.Sla;

namespace Helpdesk.Web.Escalation;

/// <summary>
/// The way into the escalation ladder for other features (issue 6). Triage calls
/// <c>RaiseAsync(ticketId, EscalationTrigger.TriageThreat(detail))</c> when a customer threatens the
/// regulator or the press; surveys call <c>RaiseAsync(ticketId, EscalationTrigger.LowSurveyScore(stars))</c>;
/// the chat widget's button and the phrase recogniser use <c>CustomerAskedForSupervisor</c>. Each
/// trigger enters the ladder of the ticket's SLA policy at its entry level (level 2 by default:
/// supervisors told live and by mail, the ticket marked escalated), is written on the timeline
/// with its reason code, and is acted on once however often it is raised.
/// </summary>
public sealed class EscalationService(SlaProcessor processor)
{
    /// <returns>True when something was recorded (a climb, or a new reason noted); false when the reason was already acted on or the ticket does not exist.</returns>
    public async Task<bool> RaiseAsync(long ticketId, EscalationTrigger trigger, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return await processor.ProcessAsync(ticketId, new SlaWork(SlaCause.Trigger, Trigger: trigger), ct) == SlaResult.Written;
    }

    /// <summary>A supervisor clears the escalation (a de-escalation event with the reason and their note). False when the ticket was not escalated.</summary>
    public async Task<bool> ClearAsync(long ticketId, string? note, CancellationToken ct = default) =>
        await processor.ProcessAsync(ticketId, new SlaWork(SlaCause.Clear, Detail: note), ct) switch
        {
            SlaResult.NotEscalated => false,
            SlaResult.Missing => false,
            _ => true,
        };
}
