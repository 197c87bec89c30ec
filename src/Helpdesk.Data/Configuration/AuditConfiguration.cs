using Helpdesk.Data.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpdesk.Data.Configuration;

public static class AuditLimits
{
    public const int ChangesMax = 4000;
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> a)
    {
        a.ToTable("AuditEntries");
        a.Property(x => x.ActorName).HasMaxLength(200).IsRequired();
        a.Property(x => x.Action).HasMaxLength(64).IsRequired();
        a.Property(x => x.TargetType).HasMaxLength(40).IsRequired();
        a.Property(x => x.TargetId).HasMaxLength(100);
        a.Property(x => x.Changes).HasMaxLength(AuditLimits.ChangesMax);
        a.Property(x => x.RemoteIp).HasMaxLength(64);
        a.Property(x => x.Method).HasMaxLength(10).IsRequired();
        a.Property(x => x.Route).HasMaxLength(300).IsRequired();
        // The list is newest first, filtered by time, actor or action.
        a.HasIndex(x => x.At);
        a.HasIndex(x => new { x.ActorId, x.At });
        a.HasIndex(x => new { x.Action, x.At });
    }
}
