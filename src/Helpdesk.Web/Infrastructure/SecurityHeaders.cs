namespace Helpdesk.Web.Infrastructure;

/// <summary>
/// Headers every response carries, and a Content-Security-Policy for the staff consoles: their
/// scripts come only from this origin (no inline script, no eval), they cannot be framed, and a
/// payload that slipped into a page could neither load a script nor send data elsewhere. Inline
/// styles stay allowed: sanitised mail HTML and a few layout attributes use them, and a style
/// cannot run code. The widget, the demo shop (a stand-in for a customer's site) and the
/// attachment downloads (their own sandbox policy) are left to their own rules.
/// </summary>
public static class SecurityHeaders
{
    public const string ConsolePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; frame-src 'self' blob:; object-src 'none'; " +
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static readonly PathString[] Consoles = ["/agent", "/admin", "/supervisor", "/signin", "/shared"];

    public static bool IsConsole(PathString path) =>
        path == "/" || path.StartsWithSegments("/index.html") || Consoles.Any(c => path.StartsWithSegments(c));

    public static void UseSecurityHeaders(this WebApplication app) => app.Use((http, next) =>
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        if (IsConsole(http.Request.Path))
        {
            headers.ContentSecurityPolicy = ConsolePolicy;
            headers.XFrameOptions = "DENY";
        }
        return next(http);
    });
}
