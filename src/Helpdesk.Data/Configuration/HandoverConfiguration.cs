using Helpdesk.Core.Handover;
using Helpdesk.Core.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpdesk.Data.Configuration;

internal sealed class ShiftHandoverConfiguration : IEntityTypeConfiguration<ShiftHandover>
{
    public void Configure(EntityTypeBuilder<ShiftHandover> h)
    {
        h.ToTable("Handovers");
        h.HasKey(x => x.Id);
        h.Property(x => x.AuthorName).HasMaxLength(200);
        h.Property(x => x.Text).HasMaxLength(HandoverRules.TextMax).IsRequired();
        h.Property(x => x.ItemsJson).IsRequired();
        h.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
        // The next shift's list: a team's handovers, newest first.
        h.HasIndex(x => new { x.TeamId, x.SubmittedAt });
        // The author's previous handover starts the next shift.
        h.HasIndex(x => new { x.AuthorId, x.SubmittedAt });
    }
}

internal sealed class HandoverReadConfiguration : IEntityTypeConfiguration<HandoverRead>
{
    public void Configure(EntityTypeBuilder<HandoverRead> r)
    {
        r.ToTable("HandoverReads");
        r.HasKey(x => x.Id);
        r.Property(x => x.StaffName).HasMaxLength(200);
        r.HasOne<ShiftHandover>().WithMany().HasForeignKey(x => x.HandoverId).OnDelete(DeleteBehavior.Cascade);
        // Read once per person, however often the button is pressed.
        r.HasIndex(x => new { x.HandoverId, x.StaffId }).IsUnique();
    }
}
