using Helpdesk.Web.Attachments;
using Helpdesk.Web.Audit;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Crm;
using Helpdesk.Web.Data;
using Helpdesk.Web.Email;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Helpdesk.Web.Reports;
using Helpdesk.Web.Handover;
using Helpdesk.Web.Scripts;
using Helpdesk.Web.Surveys;
using Helpdesk.Web.Jobs;
using Helpdesk.Web.Sla;
using Helpdesk.Web.Supervisor;
using Helpdesk.Web.Tickets;
using Helpdesk.Web.Triage;

namespace Helpdesk.Web;

/// <summary>
/// The host, feature by feature. Split in two so that tests and benchmarks can change services
/// (a fake clock, a temp database) between <see cref="CreateBuilder"/> and <see cref="Build"/>.
/// </summary>
public static class HelpdeskApp
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        // The content root (appsettings.json, data/) is the working folder, as with `dotnet run`;
        // started from elsewhere (a bench, a service manager), it is the folder of the binaries.
        var workingFolder = Directory.GetCurrentDirectory();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = File.Exists(Path.Combine(workingFolder, "appsettings.json")) ? workingFolder : AppContext.BaseDirectory,
            // wwwroot sits at the top of the repository and is copied beside the binaries at build.
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });

        builder.AddPlatform();
        builder.AddData();
        builder.AddStaffIdentity();
        builder.AddTickets();
        builder.AddChat();
        builder.AddAttachments();
        builder.AddScripts();
        builder.AddTriage();
        builder.AddJobs();
        builder.AddEmail();
        builder.AddSla();
        builder.AddSurveys();
        builder.AddCrm();
        builder.AddReports();
        builder.AddHandover();
        builder.AddSupervisor();
        builder.AddAudit();
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UsePlatform();
        app.MapData();
        app.MapStaffIdentity();
        app.MapTickets();
        app.MapChat();
        app.MapAttachments();
        app.MapCrm();
        app.MapScripts();
        app.MapTriage();
        app.MapJobs();
        app.MapEmail();
        app.MapSla();
        app.MapSurveys();
        app.MapReports();
        app.MapHandover();
        app.MapSupervisor();
        app.MapAudit();
        app.PrintWelcomeOnStart();
        return app;
    }
}
