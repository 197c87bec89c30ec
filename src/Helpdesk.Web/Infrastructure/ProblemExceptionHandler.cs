using System.Text.Json;
using Helpdesk.Core.Tickets;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Infrastructure;

/// <summary>A resource the request names does not exist (→ 404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The request was based on an older version of the resource (→ 409).</summary>
public sealed class StaleVersionException(int expected, int actual, string what = "ticket")
    : Exception($"The {what} changed since you loaded it (your version {expected}, now {actual}). Reload and try again.")
{
    public int Actual { get; } = actual;
}

/// <summary>Turns the exceptions of the rules and of binding into RFC 9457 problem details.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        ProblemDetails? problem = exception switch
        {
            NotFoundException e => new ProblemDetails { Status = 404, Title = "Not found", Detail = e.Message },
            StaleVersionException e => Coded(new ProblemDetails { Status = 409, Title = "Stale version", Detail = e.Message }, "stale_version", ("currentVersion", e.Actual)),
            DbUpdateConcurrencyException => Coded(new ProblemDetails { Status = 409, Title = "Stale version", Detail = "Somebody else changed this at the same moment. Reload and try again." }, "stale_version"),
            TicketRuleException e => Coded(new ProblemDetails { Status = 409, Title = "Refused by the ticket rules", Detail = e.Message }, e.Code),
            AntiforgeryValidationException => Coded(new ProblemDetails { Status = 400, Title = "Missing or invalid antiforgery token", Detail = "Send the X-XSRF-TOKEN header with the token from the XSRF-TOKEN cookie." }, "antiforgery"),
            BadHttpRequestException { InnerException: JsonException json } => BodyProblem(json),
            BadHttpRequestException e => new ProblemDetails { Status = e.StatusCode, Title = "Bad request", Detail = e.Message },
            _ when DatabaseUnavailable.Is(exception) => Coded(new ProblemDetails
            {
                Status = 503, Title = "The database is unavailable",
                Detail = "The helpdesk cannot reach its database right now, so the request was not completed. Try again in a few seconds.",
            }, "database_unavailable"),
            _ => null,
        };
        if (problem is null)
            return false;
        if (problem.Status == 503)
            http.Response.Headers.RetryAfter = ((int)DatabaseUnavailable.RetryAfter.TotalSeconds).ToString();

        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Coded(ProblemDetails problem, string code, params (string Key, object Value)[] extras)
    {
        problem.Extensions["code"] = code;
        foreach (var (key, value) in extras)
            problem.Extensions[key] = value;
        return problem;
    }

    /// <summary>
    /// A body that does not bind (wrong type, unknown enum name): name the field that failed. A
    /// syntax error (the reader's own exception, a subtype of JsonException, maybe wrapped with the
    /// path) is about the whole body, wherever the reader stopped.
    /// </summary>
    private static ProblemDetails BodyProblem(JsonException json)
    {
        if (json is NulInTextException)
        {
            var at = json.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : "body";
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [at] = [json.Message] })
                { Status = 400, Title = "One or more validation errors occurred." };
        }
        var syntax = json.GetType() != typeof(JsonException) || json.InnerException is JsonException || json.Path is null;
        var field = !syntax && json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";
        return new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field] = [syntax ? "The request body is not valid JSON." : $"The value of '{field}' is not valid."],
        })
        { Status = 400, Title = "One or more validation errors occurred." };
    }
}
