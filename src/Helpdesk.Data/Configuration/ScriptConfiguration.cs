using Helpdesk.Core.Scripts;
using Helpdesk.Core.Teams;
using Helpdesk.Core.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Helpdesk.Data.Configuration;

/// <summary>Limits of script texts, shared by the mapping and the API's validation.</summary>
public static class ScriptLimits
{
    public const int NameMax = 100;
    public const int TextMax = 4000;
    public const int PhraseMax = 200;
    public const int SuggestionMax = 1000;
}

internal sealed class ScriptConfiguration : IEntityTypeConfiguration<Script>
{
    public void Configure(EntityTypeBuilder<Script> s)
    {
        s.HasKey(x => x.Id);
        // Kinds and statuses by name: a reader of the table (or a report) needs no enum list.
        s.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
        s.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        s.Property(x => x.Channel).HasConversion<string>().HasMaxLength(20);
        s.Property(x => x.Name).HasMaxLength(ScriptLimits.NameMax).IsRequired();
        s.Property(x => x.Language).HasMaxLength(10).IsRequired();
        s.Property(x => x.Text).HasMaxLength(ScriptLimits.TextMax).IsRequired();
        s.Property(x => x.ApprovedText).HasMaxLength(ScriptLimits.TextMax);
        s.Property(x => x.ApprovedBy).HasMaxLength(100);
        s.Property(x => x.Version).IsConcurrencyToken();
        s.Ignore(x => x.IsInUse);
        s.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
        s.HasIndex(x => new { x.Kind, x.Language });
    }
}

internal sealed class ScriptRevisionConfiguration : IEntityTypeConfiguration<ScriptRevision>
{
    public void Configure(EntityTypeBuilder<ScriptRevision> r)
    {
        r.HasKey(x => x.Id);
        r.Property(x => x.ById).HasMaxLength(64);
        r.Property(x => x.ByName).HasMaxLength(100);
        r.Property(x => x.Action).HasMaxLength(20);
        r.Property(x => x.Changes).HasMaxLength(200);
        r.Property(x => x.OldText).HasMaxLength(ScriptLimits.TextMax);
        r.Property(x => x.NewText).HasMaxLength(ScriptLimits.TextMax);
        r.Property(x => x.OldStatus).HasConversion<string>().HasMaxLength(20);
        r.Property(x => x.NewStatus).HasConversion<string>().HasMaxLength(20);
        r.HasOne<Script>().WithMany().HasForeignKey(x => x.ScriptId).OnDelete(DeleteBehavior.Cascade);
        r.HasIndex(x => new { x.ScriptId, x.Version });
    }
}

internal sealed class ForbiddenPhraseConfiguration : IEntityTypeConfiguration<ForbiddenPhrase>
{
    public void Configure(EntityTypeBuilder<ForbiddenPhrase> p)
    {
        p.HasKey(x => x.Id);
        p.Property(x => x.Phrase).HasMaxLength(ScriptLimits.PhraseMax).IsRequired();
        p.Property(x => x.Language).HasMaxLength(10).IsRequired();
        p.Property(x => x.Suggestion).HasMaxLength(ScriptLimits.SuggestionMax);
        p.Property(x => x.Version).IsConcurrencyToken();
        p.HasOne<Script>().WithMany().HasForeignKey(x => x.SuggestedScriptId).OnDelete(DeleteBehavior.SetNull);
        p.HasIndex(x => x.IsActive);
    }
}

internal sealed class ForbiddenPhraseRevisionConfiguration : IEntityTypeConfiguration<ForbiddenPhraseRevision>
{
    public void Configure(EntityTypeBuilder<ForbiddenPhraseRevision> r)
    {
        r.HasKey(x => x.Id);
        r.Property(x => x.ById).HasMaxLength(64);
        r.Property(x => x.ByName).HasMaxLength(100);
        r.Property(x => x.Action).HasMaxLength(20);
        r.Property(x => x.Changes).HasMaxLength(200);
        r.Property(x => x.OldPhrase).HasMaxLength(ScriptLimits.PhraseMax);
        r.Property(x => x.NewPhrase).HasMaxLength(ScriptLimits.PhraseMax);
        r.Property(x => x.OldSuggestion).HasMaxLength(ScriptLimits.SuggestionMax);
        r.Property(x => x.NewSuggestion).HasMaxLength(ScriptLimits.SuggestionMax);
        r.HasOne<ForbiddenPhrase>().WithMany().HasForeignKey(x => x.PhraseId).OnDelete(DeleteBehavior.Cascade);
        r.HasIndex(x => new { x.PhraseId, x.Version });
    }
}
