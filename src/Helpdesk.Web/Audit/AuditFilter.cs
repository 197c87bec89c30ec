namespace Helpdesk.Web.Audit;

/// <summary>Marks an endpoint as audited (the filter is on it); AuditCoverageTests look for it on every administrative write.</summary>
public sealed class AuditedMetadata;

/// <summary>A write on an audited group that changes nothing (a dry run, a check): no entry. The reason is for the reader.</summary>
public sealed record NotAuditedMetadata(string Reason);

/// <summary>
/// Around every administrative write: a refused or failed request (4xx, 5xx, an exception) leaves no
/// entry; a successful one leaves what its handler recorded, or, if the handler recorded nothing,
/// one entry naming the endpoint and its route values, so a write cannot go unrecorded.
/// Reads (GET, HEAD, OPTIONS) pass straight through.
/// </summary>
public sealed class AuditFilter : IEndpointFilter
{
    public const string UnrecordedAction = "admin.request";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            || http.GetEndpoint()?.Metadata.GetMetadata<NotAuditedMetadata>() is not null)
            return await next(context);

        var trail = http.RequestServices.GetRequiredService<AuditTrail>();
        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            trail.Discard();
            throw;
        }
        if (StatusOf(result) >= 400)
        {
            trail.Discard();
            return result;
        }
        if (!trail.HasRecorded)
        {
            var name = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            var values = http.Request.RouteValues.ToDictionary(v => v.Key, v => v.Value?.ToString());
            trail.Record(UnrecordedAction, "endpoint", name, new { routeValues = values });
        }
        // Not the request's token: the change is made, so its record must be saved even if the caller hung up.
        await trail.FlushAsync(CancellationToken.None);
        return result;
    }

    private static int StatusOf(object? result)
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        return result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
    }
}

public static class AuditEndpointExtensions
{
    /// <summary>Audits the writes of this endpoint or group (see <see cref="AuditFilter"/>).</summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter<TBuilder, AuditFilter>();
        builder.WithMetadata(new AuditedMetadata());
        return builder;
    }

    /// <summary>A write on an audited group that changes nothing.</summary>
    public static TBuilder NotAudited<TBuilder>(this TBuilder builder, string reason) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new NotAuditedMetadata(reason));
}
