using Helpdesk.Core.Customers;
using Helpdesk.Core.Teams;
using Helpdesk.Core.Tickets;
using Helpdesk.Data.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpdesk.Data.Configuration;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> t)
    {
        t.HasKey(x => x.Id);
        t.Property(x => x.Subject).HasMaxLength(TicketLimits.SubjectMax).IsRequired();
        t.Property(x => x.Version).IsConcurrencyToken();
        t.Property(x => x.Tags);
        t.Property(x => x.Language).HasMaxLength(10);
        t.Ignore(x => x.IsOpen);
        t.Ignore(x => x.PendingEvents);
        Sla.SlaColumns.Configure(t);

        t.HasIndex(x => x.Number).IsUnique();
        // The queue queries (design §4, issue 2): team queue and status lists in priority order,
        // "mine", a customer's tickets.
        t.HasIndex(x => new { x.Status, x.TeamId, x.Priority, x.CreatedAt });
        t.HasIndex(x => new { x.TeamId, x.Priority, x.CreatedAt });
        t.HasIndex(x => new { x.AssigneeId, x.Status });
        t.HasIndex(x => x.CustomerId);
        t.HasIndex(x => x.CreatedAt);
        // The supervisor dashboard's "handled today" (issue 10): today's resolutions by agent from the index alone.
        t.HasIndex(x => new { x.ResolvedAt, x.AssigneeId });
        // The supervisor dashboard's open work (issue 10): only open tickets (a few percent of the
        // table), with every column its grouped counts read, so they come from the index alone.
        // Status leads, as in the queue index: without statistics SQLite then prefers this covering one.
        t.HasIndex("Status", "TeamId", "AssigneeId", "Channel", "ChatEndedAt", Sla.SlaColumns.IsEscalated,
                Sla.SlaColumns.FirstResponseDueAt, Sla.SlaColumns.NextResponseDueAt, Sla.SlaColumns.ResolutionDueAt, Sla.SlaColumns.WarningAt)
            .HasDatabaseName("IX_Tickets_OpenWork")
            .HasFilter("\"Status\" IN (0, 1, 2)");

        // References are checked by the database too; nothing cascades into a ticket's deletion.
        t.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
        t.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
        t.HasOne<TicketQueue>().WithMany().HasForeignKey(x => x.QueueId).OnDelete(DeleteBehavior.Restrict);
        t.HasOne<StaffUser>().WithMany().HasForeignKey(x => x.AssigneeId).OnDelete(DeleteBehavior.Restrict);
        t.HasOne<Ticket>().WithMany().HasForeignKey(x => x.MergedIntoTicketId).OnDelete(DeleteBehavior.Restrict);
        t.HasOne<Ticket>().WithMany().HasForeignKey(x => x.FollowUpOfTicketId).OnDelete(DeleteBehavior.Restrict);

        t.HasMany(x => x.Messages).WithOne().HasForeignKey(m => m.TicketId).OnDelete(DeleteBehavior.Cascade);
        t.Navigation(x => x.Messages).UsePropertyAccessMode(PropertyAccessMode.Field);
        t.HasMany(x => x.History).WithOne().HasForeignKey(h => h.TicketId).OnDelete(DeleteBehavior.Cascade);
        t.Navigation(x => x.History).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class TicketMessageConfiguration : IEntityTypeConfiguration<TicketMessage>
{
    public void Configure(EntityTypeBuilder<TicketMessage> m)
    {
        m.HasKey(x => x.Id);
        m.Property(x => x.Body).HasMaxLength(TicketLimits.BodyMax).IsRequired();
        m.Property(x => x.AuthorName).HasMaxLength(200);
        m.Property(x => x.AuthorId).HasMaxLength(64);
        m.Property(x => x.ClientMessageId).HasMaxLength(TicketLimits.ClientMessageIdMax);
        m.Property(x => x.EventCode).HasMaxLength(40);
        m.Property(x => x.EventFrom).HasMaxLength(64);
        m.Property(x => x.EventTo).HasMaxLength(64);
        m.Property(x => x.EventReason).HasMaxLength(64);
        m.Property(x => x.AttachmentName).HasMaxLength(AttachmentRules.FileNameMax);
        m.Property(x => x.AttachmentType).HasMaxLength(100);
        m.HasOne<Attachment>().WithMany().HasForeignKey(x => x.AttachmentId).OnDelete(DeleteBehavior.Restrict);
        m.HasIndex(x => new { x.TicketId, x.Sequence }).IsUnique();
        // A client's retry carries the same id: the database refuses the double.
        m.HasIndex(x => new { x.TicketId, x.ClientMessageId }).IsUnique().HasFilter("\"ClientMessageId\" IS NOT NULL");
    }
}

internal sealed class TicketHistoryConfiguration : IEntityTypeConfiguration<TicketHistoryEntry>
{
    public void Configure(EntityTypeBuilder<TicketHistoryEntry> h)
    {
        h.HasKey(x => x.Id);
        h.Property(x => x.Field).HasMaxLength(40);
        h.Property(x => x.From).HasMaxLength(200);
        h.Property(x => x.To).HasMaxLength(200);
        h.Property(x => x.ActorName).HasMaxLength(200);
        h.Property(x => x.ActorId).HasMaxLength(64);
        h.Property(x => x.Reason).HasMaxLength(200);
        h.HasIndex(x => x.TicketId);
    }
}

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> a)
    {
        a.HasKey(x => x.Id);
        a.Property(x => x.FileName).HasMaxLength(AttachmentRules.FileNameMax);
        a.Property(x => x.ContentType).HasMaxLength(100);
        a.Property(x => x.StorageKey).HasMaxLength(200);
        a.Property(x => x.UploadedById).HasMaxLength(64);
        a.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        a.HasIndex(x => x.TicketId);
    }
}
