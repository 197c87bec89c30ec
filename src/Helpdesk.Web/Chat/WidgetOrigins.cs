namespace Helpdesk.Web.Chat;

/// <summary>Which web pages may open a site's widget: its configured origins and the helpdesk's own.</summary>
public static class WidgetOrigins
{
    public static bool IsAllowed(ChatSiteOptions site, string? origin, HttpRequest? request)
    {
        // No Origin header: not a browser page (a server or a native app); the token still guards access.
        if (string.IsNullOrEmpty(origin)) return true;
        if (request is not null && string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)) return true;
        return site.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }
}
