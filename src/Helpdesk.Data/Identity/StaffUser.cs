using Microsoft.AspNetCore.Identity;

namespace Helpdesk.Data.Identity;

/// <summary>An agent, supervisor or admin who signs in to the consoles.</summary>
public sealed class StaffUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    /// <summary>A disabled user cannot sign in; tickets keep pointing at them.</summary>
    public bool IsDisabled { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<StaffTeamMembership> Teams { get; set; } = [];
}

public sealed class StaffRole : IdentityRole<Guid>
{
    public StaffRole() { }
    public StaffRole(string name) : base(name) { }
}

public sealed class StaffTeamMembership
{
    public Guid UserId { get; set; }
    public int TeamId { get; set; }
}

public static class StaffRoles
{
    public const string Agent = "Agent";
    public const string Supervisor = "Supervisor";
    public const string Admin = "Admin";
    public static IReadOnlyList<string> All { get; } = [Agent, Supervisor, Admin];
}
