using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Helpdesk.Migrations.PostgreSql;

/// <summary>Lets dotnet-ef build the context for this provider without starting the web host (no server is contacted).</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<HelpdeskDbContext>
{
    public HelpdeskDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<HelpdeskDbContext>()
            .UseHelpdeskDatabase(DatabaseProvider.PostgreSql, "Host=localhost;Database=helpdesk;Username=helpdesk")
            .Options;
        return new HelpdeskDbContext(options);
    }
}
