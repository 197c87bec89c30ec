using Helpdesk.Core.Tickets;
using Helpdesk.Data.Sla;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpdesk.Data.Configuration;

internal sealed class SlaOutcomeConfiguration : IEntityTypeConfiguration<SlaOutcomeRecord>
{
    public void Configure(EntityTypeBuilder<SlaOutcomeRecord> o)
    {
        o.ToTable("SlaOutcomes");
        o.HasKey(x => x.Id);
        o.Property(x => x.PolicyKey).HasMaxLength(64);
        o.HasIndex(x => new { x.TicketId, x.Target, x.Cycle }).IsUnique();
        // Reports read by period.
        o.HasIndex(x => x.StoppedAt);
        o.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}
