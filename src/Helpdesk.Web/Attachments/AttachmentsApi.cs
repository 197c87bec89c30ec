using System.Security.Claims;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Helpdesk.Web.Tickets;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Attachments;

public sealed record AttachmentUploaded(long TicketNumber, ChatMessage Message, bool Duplicate);

/// <summary>
/// Files in conversations, both ways: staff upload on a ticket, a widget visitor on their own
/// chat; both download only what they may see. Served with nosniff and a sandbox CSP, so even a
/// file that slipped through could not run script in our origin.
/// </summary>
public static class AttachmentsApi
{
    private const long FormLimit = AttachmentRules.MaxBytes + 64 * 1024;

    public static void MapAttachmentsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/tickets/{number}/attachments", StaffUpload).WithTags("Attachments").WithName("UploadAttachment")
            .RequireAuthorization(StaffPolicies.Staff).AddEndpointFilter<AntiforgeryFilter>().DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(FormLimit), new RequestFormLimitsAttribute { MultipartBodyLengthLimit = FormLimit });
        routes.MapPost("/api/widget/attachments", VisitorUpload).WithTags("Chat widget").WithName("UploadWidgetAttachment")
            .RequireAuthorization(p => p.AddAuthenticationSchemes(VisitorAuthenticationHandler.SchemeName).RequireClaim(VisitorAuthenticationHandler.VisitorIdClaim))
            .RequireCors(WidgetApi.CorsPolicy).DisableAntiforgery().RequireRateLimiting(PlatformFeature.WidgetRateLimit)
            .WithMetadata(new RequestSizeLimitAttribute(FormLimit), new RequestFormLimitsAttribute { MultipartBodyLengthLimit = FormLimit });
        routes.MapGet("/api/attachments/{id}", Download).WithTags("Attachments").WithName("DownloadAttachment").AllowAnonymous().RequireCors(WidgetApi.CorsPolicy);
    }

    private static async Task<Results<Created<AttachmentUploaded>, Ok<AttachmentUploaded>, ValidationProblem, ProblemHttpResult>> StaffUpload(
        string number, IFormFile? file, [FromForm] string? text, [FromForm] string? clientMessageId, ClaimsPrincipal user,
        AttachmentService attachments, TicketAccess access, HelpdeskDbContext db, Scripts.ForbiddenPhraseGuard guard, CancellationToken ct)
    {
        // A file's caption reaches the customer like a reply: the same guard on its wording.
        if (await guard.CheckAsync(text, ct) is { Count: > 0 } forbidden)
            return TypedResults.Problem(Scripts.ForbiddenPhraseGuard.Problem(forbidden));
        if (!long.TryParse(number, out var n) || n <= 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["number"] = ["A ticket number is a positive whole number."] });
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Number == n, ct) ?? throw new NotFoundException($"Ticket {n} does not exist.");
        if (!await access.StaffMayAccessAsync(user, ticket, ct))
            return TypedResults.Problem("This ticket belongs to a team you are not in.", statusCode: 403, title: "Forbidden");
        return await UploadAsync(n, file, text, clientMessageId, user.ToActor(), user.StaffId(), attachments, ct);
    }

    private static async Task<Results<Created<AttachmentUploaded>, Ok<AttachmentUploaded>, ValidationProblem, ProblemHttpResult>> VisitorUpload(
        IFormFile? file, [FromForm] string? ticketNumber, [FromForm] string? text, [FromForm] string? clientMessageId, ClaimsPrincipal user,
        AttachmentService attachments, ChatCustomers customers, HelpdeskDbContext db, CancellationToken ct)
    {
        if (!long.TryParse(ticketNumber, out var n) || n <= 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ticketNumber"] = ["Give the conversation's ticket number."] });
        var customer = await customers.FindAsync(user.AsVisitor()!, ct);
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Number == n, ct);
        if (customer is null || ticket is null || ticket.CustomerId != customer.Id || ticket.Channel != TicketChannel.Chat)
            return TypedResults.Problem($"No conversation {n} for you.", statusCode: 404, title: "Not found");
        return await UploadAsync(n, file, text, clientMessageId, Actor.Customer(customer.Id, customer.Name), null, attachments, ct);
    }

    private static async Task<Results<Created<AttachmentUploaded>, Ok<AttachmentUploaded>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        long number, IFormFile? file, string? text, string? clientMessageId, Actor author, Guid? agentId, AttachmentService attachments, CancellationToken ct)
    {
        var v = new RequestValidation().Text("text", text, TicketLimits.BodyMax, required: false)
            .Text("clientMessageId", clientMessageId, TicketLimits.ClientMessageIdMax, required: false);
        if (file is null) v.Add("file", "Attach a file (form field 'file').");
        if (!v.IsValid) return TypedResults.ValidationProblem(v.Errors);
        try
        {
            var (ticket, message, duplicate) = await attachments.AddAsync(number, file!, text, author, agentId, clientMessageId, ct);
            var result = new AttachmentUploaded(ticket.Number, ChatMessage.From(ticket.Number, message), duplicate);
            return duplicate ? TypedResults.Ok(result) : TypedResults.Created($"/api/attachments/{message.AttachmentId}", result);
        }
        catch (AttachmentRejectedException e)
        {
            // The code lets a client word the refusal in its own language (empty, too_large, unsupported_type).
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [e.Message] },
                extensions: new Dictionary<string, object?> { ["code"] = e.Code });
        }
    }

    /// <summary>Staff by cookie; a visitor by "Authorization: Bearer" or, for an img src, ?access_token=.</summary>
    private static async Task<IResult> Download(string id, HttpContext http, AttachmentService attachments, TicketAccess access,
        ChatCustomers customers, VisitorTokens tokens, HelpdeskDbContext db, CancellationToken ct)
    {
        var notFound = TypedResults.Problem("No such file for you.", statusCode: 404, title: "Not found");
        if (!Guid.TryParse(id, out var guid)) return notFound;
        var found = await attachments.FindAsync(guid, ct);
        if (found is not { } f) return notFound;
        var ticket = await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == f.TicketId, ct);

        var staff = await http.AuthenticateAsync(HubSchemes.Staff);
        var allowed = staff.Succeeded && await access.StaffMayAccessAsync(staff.Principal!, ticket, ct);
        if (!allowed)
        {
            var header = http.Request.Headers.Authorization.ToString();
            var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : http.Request.Query["access_token"].ToString();
            if (tokens.Read(token) is { } visitor && await customers.FindAsync(visitor, ct) is { } customer)
                allowed = ticket.CustomerId == customer.Id && ticket.Channel == TicketChannel.Chat;
        }
        if (!allowed) return notFound;

        var stream = await attachments.OpenAsync(f.Attachment, ct);
        if (stream is null) return TypedResults.Problem("The file is missing from storage.", statusCode: 410, title: "Gone");
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; img-src 'self'";
        http.Response.Headers.CacheControl = "private, max-age=3600";
        var inline = AttachmentRules.IsImage(f.Attachment.ContentType);
        return TypedResults.Stream(stream, f.Attachment.ContentType, inline ? null : f.Attachment.FileName);
    }
}
