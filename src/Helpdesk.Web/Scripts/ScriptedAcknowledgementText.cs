using Helpdesk.Core.Scripts;
using Helpdesk.Core.Tickets;
using Helpdesk.Web.Email;

namespace Helpdesk.Web.Scripts;

/// <summary>
/// The acknowledgement of a new email ticket in the approved wording of the script library
/// (issue 5: "email acknowledgements use their script"). The subject line and the fallback, when no
/// acknowledgement script is approved for the language, come from the email feature's own text.
/// </summary>
public sealed class ScriptedAcknowledgementText(ScriptRenderer scripts, ConfiguredAcknowledgementText fallback) : IEmailAcknowledgementText
{
    public async Task<AcknowledgementText> ComposeAsync(string language, AcknowledgementContext context, CancellationToken ct)
    {
        var configured = await fallback.ComposeAsync(language, context, ct);
        var script = await scripts.RenderAsync(ScriptKind.EmailAcknowledgement, language,
            new ScriptTarget(TicketNumber: context.TicketNumber, CustomerId: context.CustomerId, TeamId: context.TeamId, Channel: TicketChannel.Email), ct);
        return script is null ? configured : configured with { Body = script.Text };
    }
}
