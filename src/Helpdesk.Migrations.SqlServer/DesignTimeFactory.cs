using Helpdesk.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Helpdesk.Migrations.SqlServer;

/// <summary>Lets dotnet-ef build the context for this provider without starting the web host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<HelpdeskDbContext>
{
    public HelpdeskDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<HelpdeskDbContext>()
            .UseHelpdeskDatabase(DatabaseProvider.SqlServer, "Server=localhost;Database=Helpdesk;Trusted_Connection=True;TrustServerCertificate=True")
            .Options;
        return new HelpdeskDbContext(options);
    }
}
