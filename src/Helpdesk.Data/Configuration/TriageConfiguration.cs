using Helpdesk.Core.Tickets;
using Helpdesk.Core.Triage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpdesk.Data.Configuration;

internal sealed class TriageRuleSetConfiguration : IEntityTypeConfiguration<TriageRuleSetVersion>
{
    public void Configure(EntityTypeBuilder<TriageRuleSetVersion> r)
    {
        r.ToTable("TriageRuleSets");
        r.HasKey(x => x.Version);
        // Versions are numbered by the app (max+1 under the key), so two admins racing get a clash, not a gap.
        r.Property(x => x.Version).ValueGeneratedNever();
        r.Property(x => x.RulesJson).IsRequired();
        r.Property(x => x.Note).HasMaxLength(500);
        r.Property(x => x.CreatedBy).HasMaxLength(200);
        r.Property(x => x.PublishedBy).HasMaxLength(200);
        r.HasIndex(x => x.Status);
    }
}

internal sealed class TriageResultConfiguration : IEntityTypeConfiguration<TriageResult>
{
    public void Configure(EntityTypeBuilder<TriageResult> r)
    {
        r.HasKey(x => x.Id);
        r.Property(x => x.ExplanationJson).IsRequired();
        r.Property(x => x.Applied).HasMaxLength(200);
        r.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        r.HasOne<TriageRuleSetVersion>().WithMany().HasForeignKey(x => x.RuleSetVersion).OnDelete(DeleteBehavior.Restrict);
        r.HasIndex(x => new { x.TicketId, x.Id });
        r.HasIndex(x => x.At);
    }
}

internal sealed class TriageCorrectionConfiguration : IEntityTypeConfiguration<TriageCorrection>
{
    public void Configure(EntityTypeBuilder<TriageCorrection> c)
    {
        c.HasKey(x => x.Id);
        c.Property(x => x.StaffName).HasMaxLength(200);
        c.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        c.HasOne<TriageResult>().WithMany().HasForeignKey(x => x.TriageResultId).OnDelete(DeleteBehavior.Restrict);
        c.HasIndex(x => x.TicketId);
        c.HasIndex(x => x.At);
    }
}
