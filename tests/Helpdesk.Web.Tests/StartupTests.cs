using System.Net;
using Helpdesk.Data.Identity;
using Helpdesk.Web.Data;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tickets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Tests;

/// <summary>Start-up and storage: restarts on the same file, WAL, provider choice, demo and bootstrap seeding.</summary>
public sealed class StartupTests
{
    private const string OwnerEmail = "owner@example.com";
    private const string OwnerPassword = "Own3r!Pass";

    private static async Task<int> CountAsync<T>(StaffClient client, string url) =>
        (await client.Http.GetFromJsonAsync<List<T>>(url, TestJson.Options))!.Count;

    private static async Task<List<TicketSummary>> AllTicketsAsync(StaffClient client) =>
        (await client.Http.GetFromJsonAsync<TicketPage>("/api/tickets?sort=Newest&limit=200", TestJson.Options))!.Items.ToList();

    [Fact]
    public async Task Second_start_on_the_same_file_keeps_the_data_and_seeds_nothing_twice()
    {
        string[] bootstrap = [$"Bootstrap:AdminEmail={OwnerEmail}", $"Bootstrap:AdminPassword={OwnerPassword}"];
        long created;
        int staff, teams, tickets;
        string folder;
        await using (var first = new HelpdeskServer { KeepFolder = true })
        {
            first.Settings.AddRange(bootstrap);
            await first.InitializeAsync();
            folder = first.Folder;
            var admin = await first.StaffAsync(Demo.Admin);
            created = (await admin.NewTicketAsync("Written before the restart")).Ticket.Number;
            staff = await CountAsync<StaffAccount>(admin, "/api/admin/staff");
            teams = await CountAsync<TeamInfo>(admin, "/api/teams");
            tickets = (await AllTicketsAsync(admin)).Count;
            staff.Should().Be(5, "four demo users and the bootstrap admin");
        }

        await using var second = new HelpdeskServer { Folder = folder };
        second.Settings.AddRange(bootstrap);
        await second.InitializeAsync();

        var again = await second.StaffAsync(Demo.Admin);
        (await again.GetTicketAsync(created)).Ticket.Subject.Should().Be("Written before the restart");
        (await CountAsync<StaffAccount>(again, "/api/admin/staff")).Should().Be(staff);
        (await CountAsync<TeamInfo>(again, "/api/teams")).Should().Be(teams);
        var all = await AllTicketsAsync(again);
        all.Should().HaveCount(tickets, "the demo tickets are not seeded again");
        all.Select(t => t.Subject).Should().OnlyHaveUniqueItems();
        (await again.NewTicketAsync()).Ticket.Number.Should().Be(created + 1, "numbering carries on");
        using var owner = await second.SignedInAsync(OwnerEmail, OwnerPassword);
        owner.Session!.Roles.Should().Equal(StaffRoles.Admin);
    }

    [Fact]
    public async Task Database_is_a_SQLite_file_in_WAL_mode()
    {
        await using var server = new HelpdeskServer { PinnedToSqlite = true };
        await server.InitializeAsync();

        File.Exists(server.DatabasePath).Should().BeTrue();
        await using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        ((string)(await command.ExecuteScalarAsync())!).Should().Be("wal");
    }

    [Fact]
    public async Task Without_demo_data_only_the_bootstrap_admin_exists_and_demo_sign_ins_are_refused()
    {
        await using var server = new HelpdeskServer();
        server.Settings.AddRange(["Demo:Enabled=false", $"Bootstrap:AdminEmail={OwnerEmail}", $"Bootstrap:AdminPassword={OwnerPassword}"]);
        await server.InitializeAsync();

        using var owner = await server.SignedInAsync(OwnerEmail, OwnerPassword);
        owner.Session!.Roles.Should().Equal(StaffRoles.Admin);
        (await owner.Http.GetFromJsonAsync<List<StaffAccount>>("/api/admin/staff", TestJson.Options))!.Select(s => s.Email).Should().Equal(OwnerEmail);
        (await owner.Http.GetFromJsonAsync<List<TeamInfo>>("/api/teams", TestJson.Options)).Should().BeEmpty();
        (await AllTicketsAsync(owner)).Should().BeEmpty();

        using var visitor = server.CreateClient();
        var demo = await visitor.PostJsonAsync("/api/auth/sign-in", new { email = Demo.Admin, password = DemoSeeder.Password });
        (await demo.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).Code().Should().Be("invalid_credentials");
    }

    [Fact]
    public async Task Demo_users_are_refused_once_demo_is_turned_off_on_a_database_that_has_them()
    {
        string folder;
        await using (var first = new HelpdeskServer { KeepFolder = true })
        {
            await first.InitializeAsync();
            folder = first.Folder;
            var admin = await first.StaffAsync(Demo.Admin);
            await (await admin.PostJsonAsync("/api/admin/staff", new { email = OwnerEmail, displayName = "Owner", password = OwnerPassword, roles = new[] { "Admin" } }))
                .ShouldBeAsync(HttpStatusCode.Created);
        }

        await using var production = new HelpdeskServer { Folder = folder };
        production.Settings.Add("Demo:Enabled=false");
        await production.InitializeAsync();

        using var visitor = production.CreateClient();
        foreach (var email in new[] { Demo.Admin, Demo.Agent1 })
        {
            var refused = await visitor.PostJsonAsync("/api/auth/sign-in", new { email, password = DemoSeeder.Password });
            (await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).Code().Should().Be("invalid_credentials", "{0} has a published password", email);
        }
        using var owner = await production.SignedInAsync(OwnerEmail, OwnerPassword);
        (await owner.Http.GetFromJsonAsync<List<TeamInfo>>("/api/teams", TestJson.Options)).Should().HaveCount(2, "the data stays");
    }

    private static WebApplication BuildOnSqlServer(params string[] settings)
    {
        var args = new List<string>
        {
            "--environment=Testing",
            "--urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=None",
            "--Database:Provider=SqlServer",
            // Nothing listens there: a test that reaches the database fails (or hangs) instead of passing.
            "--ConnectionStrings:Helpdesk=Server=tcp:127.0.0.1,9;Database=Helpdesk;User Id=sa;Password=x;Connect Timeout=2;TrustServerCertificate=True",
        };
        args.AddRange(settings.Select(s => "--" + s));
        return HelpdeskApp.Build(HelpdeskApp.CreateBuilder(args.ToArray()));
    }

    [Fact]
    public async Task Database_Provider_SqlServer_chooses_the_SQL_Server_provider_with_demo_data_off()
    {
        await using var app = BuildOnSqlServer();

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Helpdesk.Data.HelpdeskDbContext>();
        db.Database.ProviderName.Should().Be("Microsoft.EntityFrameworkCore.SqlServer");
        db.Database.IsSqlServer().Should().BeTrue();
        app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled.Should().BeFalse("demo data is off by default on SQL Server");
    }

    [Fact]
    public async Task Demo_data_on_SQL_Server_refuses_to_start_with_a_clear_message_before_touching_the_database()
    {
        await using var app = BuildOnSqlServer("Demo:Enabled=true");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // Program.cs prepares the database before it starts the host: the refusal must come first.
        var prepare = () => app.PrepareDatabaseAsync(timeout.Token);
        var start = () => app.StartAsync(timeout.Token);

        (await prepare.Should().ThrowAsync<OptionsValidationException>()).Which.Message
            .Should().Contain("Demo users").And.Contain("refused on SQL Server").And.Contain("Demo:AllowOnSqlServer");
        await start.Should().ThrowAsync<OptionsValidationException>();
    }

    [Fact]
    public async Task Demo_data_on_SQL_Server_is_allowed_when_explicitly_asked_for()
    {
        await using var app = BuildOnSqlServer("Demo:Enabled=true", "Demo:AllowOnSqlServer=true");

        var demo = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value;

        demo.Enabled.Should().BeTrue();
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Bad_bootstrap_email_refuses_to_start()
    {
        await using var server = new HelpdeskServer();
        server.Settings.AddRange(["Demo:Enabled=false", "Bootstrap:AdminEmail=not-an-email", "Bootstrap:AdminPassword=Whatever1!"]);

        var start = () => server.InitializeAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("AdminEmail");
    }
}
