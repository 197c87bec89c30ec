using Helpdesk.Core.Teams;
using Helpdesk.Data.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpdesk.Data.Configuration;

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> t)
    {
        t.Property(x => x.Key).HasMaxLength(40);
        t.Property(x => x.Name).HasMaxLength(100);
        t.Property(x => x.NameZh).HasMaxLength(100);
        t.HasIndex(x => x.Key).IsUnique();
        t.HasMany(x => x.Queues).WithOne().HasForeignKey(q => q.TeamId);
    }
}

internal sealed class QueueConfiguration : IEntityTypeConfiguration<TicketQueue>
{
    public void Configure(EntityTypeBuilder<TicketQueue> q)
    {
        q.ToTable("Queues");
        q.Property(x => x.Key).HasMaxLength(40);
        q.Property(x => x.Name).HasMaxLength(100);
        q.Property(x => x.NameZh).HasMaxLength(100);
        q.HasIndex(x => new { x.TeamId, x.Key }).IsUnique();
    }
}

internal sealed class StaffConfiguration : IEntityTypeConfiguration<StaffUser>
{
    public void Configure(EntityTypeBuilder<StaffUser> u)
    {
        u.Property(x => x.DisplayName).HasMaxLength(100);
        u.HasMany(x => x.Teams).WithOne().HasForeignKey(m => m.UserId);
    }
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<StaffTeamMembership>
{
    public void Configure(EntityTypeBuilder<StaffTeamMembership> m)
    {
        m.ToTable("StaffTeams");
        m.HasKey(x => new { x.UserId, x.TeamId });
        m.HasOne<Helpdesk.Core.Teams.Team>().WithMany().HasForeignKey(x => x.TeamId);
    }
}
