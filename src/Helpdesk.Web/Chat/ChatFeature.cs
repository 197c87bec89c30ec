using System.Text.Json.Serialization;
using Helpdesk.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;

namespace Helpdesk.Web.Chat;

public static class ChatFeature
{
    public static void AddChat(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatOptions>().Bind(builder.Configuration.GetSection(ChatOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Sites.Select(s => s.Key).Distinct().Count() == o.Sites.Count, "Chat:Sites has two sites with the same key.")
            .Validate(o => o.Sites.All(ValidHours), "Chat:Sites:*:Hours must look like 09:00-21:00 and TimeZone must be known.")
            .Validate(o => o.ConnectionExpirySeconds >= 2 * o.ConnectionRenewSeconds, "Chat:ConnectionExpirySeconds must be at least twice Chat:ConnectionRenewSeconds.")
            .ValidateOnStart();

        builder.Services.AddSingleton<VisitorTokens>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, VisitorAuthenticationHandler>(VisitorAuthenticationHandler.SchemeName, null);

        var signalR = builder.Services.AddSignalR(o =>
            {
                // Room for a 4 KB message (UTF-8 may triple it in JSON escapes) and its envelope.
                o.MaximumReceiveMessageSize = 64 * 1024;
                o.EnableDetailedErrors = false;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        CodedHubErrorsProtocol.Register(builder.Services);
        // Several nodes: every group and user send goes through Redis to the node holding the connection.
        if (builder.Configuration["SignalR:Redis"] is { Length: > 0 } redis)
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("helpdesk"));

        // Cross-origin calls come from the configured sites' pages (read at start-up).
        var origins = (builder.Configuration.GetSection(ChatOptions.Section).Get<ChatOptions>() ?? new ChatOptions()).Sites
            .SelectMany(s => s.AllowedOrigins).Select(o => o.TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        builder.Services.AddCors(o => o.AddPolicy(WidgetApi.CorsPolicy, p => p
            .SetIsOriginAllowed(origins.Contains).AllowAnyHeader().AllowAnyMethod().AllowCredentials()));

        builder.Services.AddScoped<ChatCustomers>();
        builder.Services.AddScoped<ChatPresence>();
        builder.Services.AddSingleton<ChatDispatcher>();
        builder.Services.AddSingleton<ChatMessageWriter>();
        builder.Services.AddSingleton<ChatSenders>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChatMessageWriter>());
        builder.Services.AddSingleton<ChatNode>();
        builder.Services.AddHostedService<AgentConnectionLeases>();
        builder.Services.AddSingleton<ChatOfferExpiry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChatOfferExpiry>());
        builder.Services.AddScoped<ITicketEventListener, ChatRealtimeListener>();
    }

    public static void MapChat(this WebApplication app)
    {
        app.UseMiddleware<HubShutdownGate>();
        app.MapHub<ChatHub>("/hubs/chat").RequireCors(WidgetApi.CorsPolicy);
        app.MapWidgetApi();
    }

    private static bool ValidHours(ChatSiteOptions site)
    {
        try
        {
            site.BusinessHours();
            return true;
        }
        catch (Exception e) when (e is FormatException or TimeZoneNotFoundException or IndexOutOfRangeException or InvalidTimeZoneException)
        {
            return false;
        }
    }
}
