using Helpdesk.Core.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpdesk.Data.Configuration;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> c)
    {
        c.Property(x => x.Name).HasMaxLength(200).IsRequired();
        c.Property(x => x.Surname).HasMaxLength(50);
        c.Property(x => x.Email).HasMaxLength(256);
        c.Property(x => x.Phone).HasMaxLength(40);
        c.Property(x => x.Mobile).HasMaxLength(40);
        c.Property(x => x.Region).HasMaxLength(20);
        c.Property(x => x.AccountManager).HasMaxLength(100);
        c.Property(x => x.CompanyGroup).HasMaxLength(200);
        c.HasIndex(x => x.Email);
        c.HasIndex(x => x.Mobile);
        c.Property(x => x.ExternalId).HasMaxLength(128);
        c.Property(x => x.VisitorId).HasMaxLength(64);
        c.HasIndex(x => x.ExternalId);
        c.HasIndex(x => x.VisitorId);
        c.Property(x => x.ChurnReason).HasMaxLength(200);
        c.Property(x => x.Version).IsConcurrencyToken();
        c.HasIndex(x => x.MergedIntoId);
        c.HasMany(x => x.Contacts).WithOne().HasForeignKey("CustomerId").OnDelete(DeleteBehavior.Cascade);
        c.HasMany(x => x.Interactions).WithOne().HasForeignKey("CustomerId").OnDelete(DeleteBehavior.Cascade);
        c.HasMany(x => x.Orders).WithOne().HasForeignKey("CustomerId").OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CustomerContactConfiguration : IEntityTypeConfiguration<CustomerContact>
{
    public void Configure(EntityTypeBuilder<CustomerContact> c)
    {
        c.Property(x => x.Name).HasMaxLength(100);
        c.Property(x => x.Position).HasMaxLength(100);
        c.Property(x => x.Phone).HasMaxLength(40);
        c.Property(x => x.Mobile).HasMaxLength(40);
        c.Property(x => x.Notes).HasMaxLength(2000);
        c.Property(x => x.ExternalId).HasMaxLength(128);
        c.HasIndex("CustomerId", nameof(CustomerContact.ExternalId));
    }
}

internal sealed class CustomerInteractionConfiguration : IEntityTypeConfiguration<CustomerInteraction>
{
    public void Configure(EntityTypeBuilder<CustomerInteraction> c)
    {
        c.Property(x => x.Place).HasMaxLength(200);
        c.Property(x => x.Summary).HasMaxLength(500);
        c.Property(x => x.Details).HasMaxLength(4000);
        c.Property(x => x.Notes).HasMaxLength(2000);
        c.Property(x => x.Source).HasMaxLength(20);
        c.Property(x => x.Author).HasMaxLength(100);
        c.HasIndex("CustomerId", nameof(CustomerInteraction.At));
    }
}

internal sealed class CustomerOrderConfiguration : IEntityTypeConfiguration<CustomerOrder>
{
    public void Configure(EntityTypeBuilder<CustomerOrder> c)
    {
        c.Property(x => x.OrderNumber).HasMaxLength(40);
        c.Property(x => x.Currency).HasMaxLength(3);
        c.Property(x => x.Amount).HasPrecision(18, 2);
    }
}
