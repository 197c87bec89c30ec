using Microsoft.AspNetCore.Antiforgery;

namespace Helpdesk.Web.Identity;

/// <summary>
/// Cookie-authenticated writes must carry the antiforgery token (header X-XSRF-TOKEN, value from
/// the XSRF-TOKEN cookie). A filter rather than middleware, so that an anonymous call hears 401
/// and a wrong role 403 before any token is checked.
/// </summary>
public sealed class AntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method))
            await antiforgery.ValidateRequestAsync(http); // throws AntiforgeryValidationException → 400 problem
        return await next(context);
    }
}
