using Helpdesk.Web.Attachments;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Data;
using Helpdesk.Web.Identity;
using Helpdesk.Web.Infrastructure;
using Helpdesk.Web.Tickets;

namespace Helpdesk.Web;

/// <summary>
/// The host, feature by feature. Split in two so that tests and benchmarks can change services
/// (a fake clock, a temp database) between <see cref="CreateBuilder"/> and <see cref="Build"/>.
/// </summary>
public static class HelpdeskApp
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // wwwroot sits at the top of the repository and is copied beside the binaries at build.
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });

        builder.AddPlatform();
        builder.AddData();
        builder.AddStaffIdentity();
        builder.AddTickets();
        builder.AddChat();
        builder.AddAttachments();
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
        app.PrintWelcomeOnStart();
        return app;
    }
}
