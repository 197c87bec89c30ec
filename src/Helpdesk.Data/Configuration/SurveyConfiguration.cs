using Helpdesk.Core.Surveys;
using Helpdesk.Core.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpdesk.Data.Configuration;

internal sealed class SurveyConfiguration : IEntityTypeConfiguration<Survey>
{
    public void Configure(EntityTypeBuilder<Survey> s)
    {
        s.HasKey(x => x.Id);
        s.Property(x => x.Language).HasMaxLength(10);
        s.Property(x => x.Nonce).HasMaxLength(40).IsRequired();
        s.Property(x => x.Comment).HasMaxLength(SurveyRules.CommentMax);
        // Two answers racing (two tabs, the widget and the mail link): one wins, the other retries on fresh data.
        s.Property(x => x.Version).IsConcurrencyToken();
        s.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        s.HasIndex(x => x.TicketId);
        s.HasIndex(x => x.IssuedAt);
        s.HasIndex(x => new { x.AgentId, x.IssuedAt });
        // The supervisor dashboard's CSAT of the day (issue 10).
        s.HasIndex(x => x.AnsweredAt);
    }
}

internal sealed class FollowUpTaskConfiguration : IEntityTypeConfiguration<FollowUpTask>
{
    public void Configure(EntityTypeBuilder<FollowUpTask> f)
    {
        f.HasKey(x => x.Id);
        f.Property(x => x.Reason).HasMaxLength(100);
        f.Property(x => x.DoneBy).HasMaxLength(200);
        f.Property(x => x.DoneNote).HasMaxLength(2000);
        f.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        // NoAction: the ticket cascades to both; SQL Server refuses two cascade paths.
        f.HasOne<Survey>().WithMany().HasForeignKey(x => x.SurveyId).OnDelete(DeleteBehavior.NoAction);
        // One follow-up per survey, whoever (two racing answers) creates it first.
        f.HasIndex(x => x.SurveyId).IsUnique();
        f.HasIndex(x => x.DoneAt);
    }
}

internal sealed class AgentCsatGradeConfiguration : IEntityTypeConfiguration<AgentCsatGrade>
{
    public void Configure(EntityTypeBuilder<AgentCsatGrade> g)
    {
        g.HasKey(x => x.AgentId);
        g.Property(x => x.Grade).HasMaxLength(20);
    }
}
