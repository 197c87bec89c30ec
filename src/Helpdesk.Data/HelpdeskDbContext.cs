using Helpdesk.Core.Chat;
using Helpdesk.Core.Crm;
using Helpdesk.Core.Customers;
using Helpdesk.Core.Scripts;
using Helpdesk.Core.Email;
using Helpdesk.Core.Teams;
using Helpdesk.Core.Tickets;
using Helpdesk.Core.Triage;
using Helpdesk.Data.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Helpdesk.Data;

public sealed class HelpdeskDbContext(DbContextOptions<HelpdeskDbContext> options)
    : IdentityDbContext<StaffUser, StaffRole, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>Data-protection keys (cookies, antiforgery, visitor tokens) shared by every node and kept across restarts.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketMessage> TicketMessages => Set<TicketMessage>();
    public DbSet<TicketHistoryEntry> TicketHistory => Set<TicketHistoryEntry>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TicketQueue> Queues => Set<TicketQueue>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<StaffTeamMembership> TeamMemberships => Set<StaffTeamMembership>();
    public DbSet<AgentPresence> AgentPresence => Set<AgentPresence>();
    public DbSet<AgentConnection> AgentConnections => Set<AgentConnection>();
    public DbSet<ChatOffer> ChatOffers => Set<ChatOffer>();
    public DbSet<EmailMessage> EmailMessages => Set<EmailMessage>();
    public DbSet<EmailAttachment> EmailAttachments => Set<EmailAttachment>();
    public DbSet<QuarantinedMail> QuarantinedMails => Set<QuarantinedMail>();
    public DbSet<Sla.SlaOutcomeRecord> SlaOutcomes => Set<Sla.SlaOutcomeRecord>();
    public DbSet<Script> Scripts => Set<Script>();
    public DbSet<ScriptRevision> ScriptRevisions => Set<ScriptRevision>();
    public DbSet<ForbiddenPhrase> ForbiddenPhrases => Set<ForbiddenPhrase>();
    public DbSet<ForbiddenPhraseRevision> ForbiddenPhraseRevisions => Set<ForbiddenPhraseRevision>();
    public DbSet<TriageRuleSetVersion> TriageRuleSets => Set<TriageRuleSetVersion>();
    public DbSet<TriageResult> TriageResults => Set<TriageResult>();
    public DbSet<TriageCorrection> TriageCorrections => Set<TriageCorrection>();
    public DbSet<Helpdesk.Core.Surveys.Survey> Surveys => Set<Helpdesk.Core.Surveys.Survey>();
    public DbSet<Helpdesk.Core.Surveys.FollowUpTask> FollowUpTasks => Set<Helpdesk.Core.Surveys.FollowUpTask>();
    public DbSet<Helpdesk.Core.Surveys.AgentCsatGrade> AgentCsatGrades => Set<Helpdesk.Core.Surveys.AgentCsatGrade>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<CustomerChange> CustomerChanges => Set<CustomerChange>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<Helpdesk.Core.Handover.ShiftHandover> Handovers => Set<Helpdesk.Core.Handover.ShiftHandover>();
    public DbSet<Helpdesk.Core.Handover.HandoverRead> HandoverReads => Set<Helpdesk.Core.Handover.HandoverRead>();
    public DbSet<Audit.AuditEntry> AuditEntries => Set<Audit.AuditEntry>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configuration.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(HelpdeskDbContext).Assembly);
    }
}
