using Helpdesk.Core.Chat;
using Helpdesk.Core.Tickets;
using Helpdesk.Data.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpdesk.Data.Configuration;

internal sealed class AgentPresenceConfiguration : IEntityTypeConfiguration<AgentPresence>
{
    public void Configure(EntityTypeBuilder<AgentPresence> p)
    {
        p.HasKey(x => x.AgentId);
        p.HasOne<StaffUser>().WithOne().HasForeignKey<AgentPresence>(x => x.AgentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AgentConnectionConfiguration : IEntityTypeConfiguration<AgentConnection>
{
    public void Configure(EntityTypeBuilder<AgentConnection> c)
    {
        c.HasKey(x => x.ConnectionId);
        c.Property(x => x.ConnectionId).HasMaxLength(64);
        c.Property(x => x.Node).HasMaxLength(100);
        c.HasOne<StaffUser>().WithMany().HasForeignKey(x => x.AgentId).OnDelete(DeleteBehavior.Cascade);
        c.HasIndex(x => x.AgentId);
        c.HasIndex(x => new { x.Node, x.SeenAt });
    }
}

internal sealed class ChatOfferConfiguration : IEntityTypeConfiguration<ChatOffer>
{
    public void Configure(EntityTypeBuilder<ChatOffer> o)
    {
        o.HasKey(x => x.Id);
        o.HasOne<Ticket>().WithMany().HasForeignKey(x => x.TicketId).OnDelete(DeleteBehavior.Cascade);
        o.HasOne<StaffUser>().WithMany().HasForeignKey(x => x.AgentId).OnDelete(DeleteBehavior.Cascade);
        o.HasIndex(x => new { x.TicketId, x.State });
        // One pending offer per chat, whichever node dispatches: each node takes turns only with itself.
        o.HasIndex(x => x.TicketId, "IX_ChatOffers_OnePendingPerTicket").IsUnique().HasFilter("\"State\" = 0");
        o.HasIndex(x => new { x.State, x.ExpiresAt });
        o.HasIndex(x => new { x.AgentId, x.State });
    }
}
