namespace Helpdesk.Web.Tickets;

public static class TicketsFeature
{
    public static void AddTickets(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TicketOptions>().Bind(builder.Configuration.GetSection(TicketOptions.Section));
        builder.Services.AddScoped<TicketRouting>();
        builder.Services.AddScoped<TicketService>();
        builder.Services.AddScoped<TicketQueries>();
        builder.Services.AddScoped<TicketAccess>();
    }

    public static void MapTickets(this WebApplication app)
    {
        app.MapTicketsApi();
        app.MapPublicTicketsApi();
    }
}
