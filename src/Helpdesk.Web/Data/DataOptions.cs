using System.ComponentModel.DataAnnotations;
using Helpdesk.Data;

namespace Helpdesk.Web.Data;

/// <summary>Bound from "Database"; the connection string is ConnectionStrings:Helpdesk.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    /// <summary>Apply pending migrations at start-up (the embedded default; production may run them in a release step).</summary>
    public bool MigrateOnStart { get; set; } = true;
    /// <summary>SQLite only: FULL (every commit on disk before it is acknowledged) or NORMAL (see SqlitePragmas).</summary>
    [RegularExpression("^(FULL|NORMAL|EXTRA)$")]
    public string SqliteSynchronous { get; set; } = "FULL";
}

/// <summary>Bound from "Demo": the demo organisation, users and tickets.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";
    /// <summary>Unset means: on with the embedded SQLite database, off with SQL Server.</summary>
    public bool Enabled { get; set; }
    /// <summary>Demo users have a published password; on SQL Server they need this explicit yes.</summary>
    public bool AllowOnSqlServer { get; set; }
    [Required, MaxLength(100)]
    public string CompanyName { get; set; } = "Demo Shop";
}

/// <summary>Bound from "Bootstrap": the first admin of an installation without demo data.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";
    [EmailAddress]
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
}
