namespace Helpdesk.Web.Infrastructure;

/// <summary>
/// Told when chat routing state that is not a ticket event changed (an agent's presence, offers
/// made, declined or expired), so live counters can refresh. Called after the change is saved;
/// it must return at once (mark something, never query).
/// </summary>
public interface IChatStateListener
{
    void ChatStateChanged();
}
