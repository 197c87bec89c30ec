using Helpdesk.Core.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpdesk.Data.Sla;

/// <summary>
/// The SLA bookkeeping stored on each ticket row (docs/sla-design.md). They are shadow properties,
/// not part of the <see cref="Ticket"/> aggregate: the SLA feature updates them with its own guard
/// (<see cref="Version"/>) so that a new deadline never bumps <see cref="Ticket.Version"/> and never
/// makes an agent's concurrent edit fail. The inbox sorts and filters by them without a join.
/// </summary>
public static class SlaColumns
{
    public const string PolicyKey = "SlaPolicyKey";
    /// <summary>Bumped whenever any SLA or escalation column changes: the guard of every SLA write.</summary>
    public const string Version = "SlaVersion";
    public const string FirstResponseDueAt = "FirstResponseDueAt";
    public const string NextResponseDueAt = "NextResponseDueAt";
    public const string ResolutionDueAt = "ResolutionDueAt";
    /// <summary>The earliest warning among the ticking clocks (for "due soon" in the lists).</summary>
    public const string WarningAt = "SlaWarningAt";
    /// <summary>The next instant something happens by itself (a warning or a deadline); drives the jobs and the reconciler.</summary>
    public const string WakeUpAt = "SlaWakeUpAt";
    public const string ScheduledVersion = "SlaScheduledVersion";
    public const string JobId = "SlaJobId";
    public const string EscalationLevel = "EscalationLevel";
    public const string EscalatedSince = "EscalatedSince";
    public const string Level3DueAt = "EscalationLevel3DueAt";
    /// <summary>Reason codes already acted on, space-separated (codes have no spaces).</summary>
    public const string Reasons = "EscalationReasons";
    public const string IsEscalated = "IsEscalated";

    internal static void Configure(EntityTypeBuilder<Ticket> t)
    {
        t.Property<string?>(PolicyKey).HasMaxLength(64);
        t.Property<int>(Version).HasDefaultValue(0);
        t.Property<DateTime?>(FirstResponseDueAt);
        t.Property<DateTime?>(NextResponseDueAt);
        t.Property<DateTime?>(ResolutionDueAt);
        t.Property<DateTime?>(WarningAt);
        t.Property<DateTime?>(WakeUpAt);
        t.Property<int?>(ScheduledVersion);
        t.Property<string?>(JobId).HasMaxLength(100);
        t.Property<int>(EscalationLevel).HasDefaultValue(0);
        t.Property<DateTime?>(EscalatedSince);
        t.Property<DateTime?>(Level3DueAt);
        t.Property<string?>(Reasons).HasMaxLength(1000);
        t.Property<bool>(IsEscalated).HasDefaultValue(false);

        // The reconciler's sweep: pending wake-ups in time order (closed tickets have none).
        t.HasIndex(WakeUpAt).HasFilter($"\"{WakeUpAt}\" IS NOT NULL");
        t.HasIndex(Level3DueAt).HasFilter($"\"{Level3DueAt}\" IS NOT NULL");
        // The supervisor dashboard's escalations of the day (issue 10).
        t.HasIndex(EscalatedSince).HasFilter($"\"{EscalatedSince}\" IS NOT NULL");
    }
}

/// <summary>
/// One finished SLA clock of a ticket, for reports: met or breached, the time it took (business
/// time for business targets) against its goal. Unique per ticket, target and cycle; the SLA
/// feature rewrites a ticket's rows after each change (a reopened ticket's resolution runs again).
/// </summary>
public sealed class SlaOutcomeRecord
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public Core.Sla.SlaTarget Target { get; set; }
    public int Cycle { get; set; }
    public string PolicyKey { get; set; } = "";
    public bool Met { get; set; }
    public long TakenSeconds { get; set; }
    public long GoalSeconds { get; set; }
    public Core.Sla.SlaTimeMode Mode { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime StoppedAt { get; set; }
}
