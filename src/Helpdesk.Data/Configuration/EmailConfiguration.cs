using Helpdesk.Core.Email;
using Helpdesk.Core.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpdesk.Data.Configuration;

internal sealed class EmailMessageConfiguration : IEntityTypeConfiguration<EmailMessage>
{
    public void Configure(EntityTypeBuilder<EmailMessage> e)
    {
        e.HasKey(x => x.Id);
        e.Property(x => x.MessageId).HasMaxLength(EmailLimits.MessageIdMax).IsRequired();
        e.Property(x => x.InReplyTo).HasMaxLength(EmailLimits.MessageIdMax);
        e.Property(x => x.FromAddress).HasMaxLength(EmailLimits.AddressMax);
        e.Property(x => x.FromName).HasMaxLength(200);
        e.Property(x => x.Subject).HasMaxLength(EmailLimits.SubjectMax);
        e.Property(x => x.AutomaticReason).HasMaxLength(40);
        e.Property(x => x.Mailbox).HasMaxLength(100);
        e.Property(x => x.Language).HasMaxLength(10);
        e.Property(x => x.DeliveryError).HasMaxLength(EmailLimits.ReasonMax);
        // A send job claims its try by counting it: two jobs for one mail cannot both send it.
        e.Property(x => x.DeliveryAttempts).IsConcurrencyToken();
        e.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<TicketMessage>().WithMany().HasForeignKey(x => x.TicketMessageId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(x => x.Attachments).WithOne().HasForeignKey(a => a.EmailMessageId).OnDelete(DeleteBehavior.Cascade);
        // The same mail fetched twice (a crash between commit and flag, a second mailbox) is refused by the database.
        e.HasIndex(x => x.MessageId, "IX_EmailMessages_InboundMessageId").IsUnique().HasFilter("\"Direction\" = 0");
        // Threading looks up the ids we sent as well.
        e.HasIndex(x => x.MessageId, "IX_EmailMessages_MessageId");
        e.HasIndex(x => x.TicketId);
        // One mail per timeline entry: the reply listener and the reconciler cannot both send it.
        e.HasIndex(x => x.TicketMessageId).IsUnique().HasFilter("\"TicketMessageId\" IS NOT NULL");
        // The sender limit counts a sender's recent mail.
        e.HasIndex(x => new { x.FromAddress, x.CreatedAt });
        e.HasIndex(x => x.DeliveryStatus);
    }
}

internal sealed class EmailAttachmentConfiguration : IEntityTypeConfiguration<EmailAttachment>
{
    public void Configure(EntityTypeBuilder<EmailAttachment> a)
    {
        a.HasKey(x => x.Id);
        a.Property(x => x.ContentId).HasMaxLength(EmailLimits.MessageIdMax);
        a.HasOne<Attachment>().WithMany().HasForeignKey(x => x.AttachmentId).OnDelete(DeleteBehavior.Restrict);
        a.HasIndex(x => x.AttachmentId);
    }
}

internal sealed class QuarantinedMailConfiguration : IEntityTypeConfiguration<QuarantinedMail>
{
    public void Configure(EntityTypeBuilder<QuarantinedMail> q)
    {
        q.HasKey(x => x.Id);
        q.Property(x => x.Mailbox).HasMaxLength(100).IsRequired();
        q.Property(x => x.MessageId).HasMaxLength(EmailLimits.MessageIdMax);
        q.Property(x => x.Subject).HasMaxLength(EmailLimits.SubjectMax);
        q.Property(x => x.FromAddress).HasMaxLength(EmailLimits.AddressMax);
        q.Property(x => x.Reason).HasMaxLength(EmailLimits.ReasonMax).IsRequired();
        q.Property(x => x.Folder).HasMaxLength(200);
        q.HasIndex(x => x.QuarantinedAt);
        q.HasIndex(x => new { x.Mailbox, x.MessageId });
    }
}
