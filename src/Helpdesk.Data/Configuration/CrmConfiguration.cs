using Helpdesk.Core.Crm;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpdesk.Data.Configuration;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> k)
    {
        k.Property(x => x.Name).HasMaxLength(100).IsRequired();
        k.Property(x => x.Prefix).HasMaxLength(16).IsRequired();
        k.HasIndex(x => x.Prefix).IsUnique();
        k.Property(x => x.SecretHash).HasMaxLength(32).IsRequired();
    }
}

internal sealed class CustomerChangeConfiguration : IEntityTypeConfiguration<CustomerChange>
{
    public void Configure(EntityTypeBuilder<CustomerChange> c)
    {
        c.Property(x => x.Kind).HasMaxLength(20);
        c.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> w)
    {
        w.Property(x => x.Url).HasMaxLength(2000).IsRequired();
        w.Property(x => x.Secret).HasMaxLength(200).IsRequired();
        w.Property(x => x.Events).HasMaxLength(500).IsRequired();
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> d)
    {
        d.Property(x => x.Event).HasMaxLength(50);
        d.Property(x => x.LastError).HasMaxLength(1000);
        // The claim of a try: a second job for the same delivery loses on this token.
        d.Property(x => x.Attempts).IsConcurrencyToken();
        d.HasOne<WebhookSubscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        d.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.NoAction);
        d.HasIndex(x => new { x.Status, x.NextAttemptAt });
        d.HasIndex(x => new { x.SubscriptionId, x.CreatedAt });
    }
}
