using System.ComponentModel.DataAnnotations;

namespace Helpdesk.Web.Crm;

/// <summary>Bound from "Crm": webhook delivery and CRM API limits.</summary>
public sealed class CrmOptions
{
    public const string Section = "Crm";
    /// <summary>The first retry waits this long, each next one twice as long up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryFirstDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(2);
    /// <summary>How long a delivery is retried before it is marked failed.</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(24);
    /// <summary>How often undelivered rows whose job was lost are queued again.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>A try that has not finished after this long is taken as lost (its node died).</summary>
    public TimeSpan SendLease { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);
    [Range(1, 1000)] public int BulkLimit { get; set; } = 1000;
    [Range(1, 100_000)] public int CsvMaxRows { get; set; } = 20_000;
}
