namespace Helpdesk.Data.Audit;

/// <summary>
/// One administrative change: who, when, what and from where (issue 11 point 4). Append-only:
/// the app writes rows and reads them, and only the retention sweep ever deletes them.
/// <see cref="Changes"/> is compact JSON of what changed, with secrets redacted before it is built.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public Guid? ActorId { get; set; }
    public string ActorName { get; set; } = "";
    /// <summary>A stable code, "area.what_happened": staff.roles_changed, webhook.deleted.</summary>
    public string Action { get; set; } = "";
    public string TargetType { get; set; } = "";
    public string? TargetId { get; set; }
    public string? Changes { get; set; }
    public string? RemoteIp { get; set; }
    /// <summary>The request that made the change: method and route pattern ("PUT /api/admin/staff/{id}").</summary>
    public string Method { get; set; } = "";
    public string Route { get; set; } = "";
}
