using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Helpdesk.Web.Infrastructure;

/// <summary>Bound from "Http".</summary>
public sealed class HttpLimitOptions
{
    public const string Section = "Http";
    /// <summary>
    /// The largest request body of an endpoint that does not set its own (uploads and the CSV import
    /// do). The API's biggest JSON is a ticket of 20,000 characters: 1 MB leaves room and stops a
    /// client from making the server parse 30 MB (Kestrel's default) of JSON.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// Applies the body limit per endpoint (its own RequestSizeLimit, else <see cref="HttpLimitOptions"/>)
/// and answers a declared oversize body at once with 413 problem details, before anything reads it.
/// A body without Content-Length that grows past the limit fails while being read (Kestrel's 413),
/// which ProblemExceptionHandler turns into the same answer.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, Microsoft.Extensions.Options.IOptions<HttpLimitOptions> options)
{
    public async Task InvokeAsync(HttpContext http, IProblemDetailsService problems)
    {
        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            // An endpoint's own metadata wins, including a null that means "no limit" (DisableRequestSizeLimit).
            var own = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
            var limit = own is null ? options.Value.MaxRequestBodyBytes : own.MaxRequestBodySize;
            feature.MaxRequestBodySize = limit;
            if (limit is { } max && http.Request.ContentLength > max)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                // The client may still be sending: close rather than read megabytes nobody wants.
                http.Response.Headers.Connection = "close";
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status413PayloadTooLarge, Title = "Request body too large",
                        Detail = $"The request body is {http.Request.ContentLength} bytes; this endpoint accepts at most {max}.",
                        Extensions = { ["code"] = "too_large" },
                    },
                });
                return;
            }
        }
        await next(http);
    }
}

/// <summary>NUL is in no text a person writes, and PostgreSQL cannot store it: refused where JSON is read.</summary>
public sealed class NulInTextException() : JsonException("Text may not contain the NUL character (\\u0000).");

/// <summary>Reads JSON strings as usual but refuses one holding NUL (the serializer adds the field's path).</summary>
public sealed class NoNulStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        if (value is not null && value.Contains('\0'))
            throw new NulInTextException();
        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
