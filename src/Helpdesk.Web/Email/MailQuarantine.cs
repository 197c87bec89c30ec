using Helpdesk.Core.Email;
using Helpdesk.Data;
using Helpdesk.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Web.Email;

/// <summary>The list of quarantined mail: one row per mail (a second attempt updates it), newest first for admins.</summary>
public sealed class MailQuarantine(HelpdeskDbContext db, TimeProvider clock)
{
    public async Task RecordAsync(string mailbox, long uid, string? messageId, string? subject, string? from, string reason, string folder, CancellationToken ct)
    {
        var row = messageId is null ? null
            : await db.QuarantinedMails.FirstOrDefaultAsync(q => q.Mailbox == mailbox && q.MessageId == messageId, ct);
        if (row is null)
        {
            row = new QuarantinedMail { Mailbox = mailbox, MessageId = Cut(messageId, EmailLimits.MessageIdMax) };
            db.QuarantinedMails.Add(row);
        }
        row.Uid = uid;
        row.Subject = Cut(subject, EmailLimits.SubjectMax);
        row.FromAddress = Cut(from, EmailLimits.AddressMax);
        row.Reason = Cut(reason, EmailLimits.ReasonMax)!;
        row.Folder = folder;
        row.QuarantinedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    private static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}

public sealed record QuarantinedMailView(long Id, string Mailbox, long Uid, string? MessageId, string? Subject, string? FromAddress,
    string Reason, string Folder, DateTime QuarantinedAt);

/// <summary>GET /api/admin/mail/quarantine: what intake could not take, with the reason and where the mail now is.</summary>
public static class MailQuarantineApi
{
    public static void MapMailQuarantineApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/admin/mail/quarantine", List).WithTags("Email").WithName("ListQuarantinedMail")
            .RequireAuthorization(StaffPolicies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

    private static async Task<Ok<List<QuarantinedMailView>>> List(HelpdeskDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.QuarantinedMails.AsNoTracking().OrderByDescending(q => q.QuarantinedAt).ThenByDescending(q => q.Id).Take(500)
            .Select(q => new QuarantinedMailView(q.Id, q.Mailbox, q.Uid, q.MessageId, q.Subject, q.FromAddress, q.Reason, q.Folder, q.QuarantinedAt))
            .ToListAsync(ct));
}
