using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;

namespace Helpdesk.Web.Infrastructure;

/// <summary>What every feature stands on: forwarded headers, JSON, problem details, OpenAPI, rate limits, static files, health.</summary>
public static class PlatformFeature
{
    public const string SignInRateLimit = "sign-in";
    public const string PublicFormRateLimit = "public-form";
    public const string WidgetRateLimit = "widget";
    public const string SurveyPageRateLimit = "survey-page";

    public static void AddPlatform(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<JsonOptions>(o =>
        {
            // Enum names, not numbers: an unknown name is a 400 with the field named.
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            o.SerializerOptions.Converters.Add(new NoNulStringConverter());
        });
        builder.Services.AddOptions<HttpLimitOptions>().Bind(builder.Configuration.GetSection(HttpLimitOptions.Section))
            .Validate(o => o.MaxRequestBodyBytes > 0, "Http:MaxRequestBodyBytes must be positive.").ValidateOnStart();
        // A body that does not bind (unknown enum name, wrong type) throws in every environment, not
        // only in Development, so ProblemExceptionHandler can name the field; otherwise it is a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks();
        builder.AddForwardedHeadersFromSettings();
        var limits = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInRateLimit, ctx => PerAddress(ctx, limits.SignInPerMinute));
            o.AddPolicy(PublicFormRateLimit, ctx => PerAddress(ctx, limits.PublicFormPerMinute));
            o.AddPolicy(WidgetRateLimit, ctx => PerAddress(ctx, limits.WidgetPerMinute));
            o.AddPolicy(SurveyPageRateLimit, ctx => PerAddress(ctx, limits.SurveyPagePerMinute));
        });
    }

    private static RateLimitPartition<string> PerAddress(HttpContext ctx, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) });

    public static void UsePlatform(this WebApplication app)
    {
        app.UseForwardedHeadersFromSettings();
        app.UseExceptionHandler();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseSecurityHeaders();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseCors();
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
    }

    /// <summary>Prints where the product listens and how to sign in, once Kestrel has bound its ports.</summary>
    public static void PrintWelcomeOnStart(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var demo = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Data.DemoOptions>>().Value;
            foreach (var address in addresses)
            {
                Console.WriteLine($"Helpdesk is listening on {address}");
                Console.WriteLine($"  agent console       {address}/agent/");
                Console.WriteLine($"  demo shop (widget)  {address}/demo/");
                Console.WriteLine($"  admin               {address}/admin/");
                Console.WriteLine($"  API description     {address}/openapi/v1.json");
                Console.WriteLine($"  health              {address}/healthz");
            }
            if (demo.Enabled)
            {
                Console.WriteLine($"Demo sign-ins (password {Data.DemoSeeder.Password}): " +
                    string.Join(", ", Data.DemoSeeder.Users.Select(u => u.Email)));
            }
        });
    }
}

/// <summary>Bound from "RateLimits": requests per minute from one address.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";
    public int SignInPerMinute { get; set; } = 30;
    public int PublicFormPerMinute { get; set; } = 20;
    /// <summary>Widget sessions and uploads: higher, because many shoppers may share one address (a NAT).</summary>
    public int WidgetPerMinute { get; set; } = 300;
    /// <summary>The emailed survey page (/survey/{token}): a customer opens and sends it a few times; a script guessing links many.</summary>
    public int SurveyPagePerMinute { get; set; } = 60;
}
