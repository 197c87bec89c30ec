using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Infrastructure;

/// <summary>
/// Bound from "ForwardedHeaders": the load balancers or reverse proxies whose X-Forwarded-For and
/// X-Forwarded-Proto the app believes. Empty (the default) trusts nobody: the headers are ignored and
/// the client address is the TCP peer, so a forged header cannot dodge a per-address rate limit.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";
    /// <summary>Addresses of trusted proxies ("10.0.0.5", "::1").</summary>
    public List<string> KnownProxies { get; set; } = [];
    /// <summary>Networks of trusted proxies in CIDR form ("10.0.0.0/8", "fd00::/8").</summary>
    public List<string> KnownNetworks { get; set; } = [];
    /// <summary>How many proxies deep to believe the header (entries are read from the right).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

/// <summary>The framework's ForwardedHeaders middleware, configured from <see cref="ForwardedHeadersSettings"/> and checked at start.</summary>
public static class ForwardedHeadersSetup
{
    public static void AddForwardedHeadersFromSettings(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeadersSettings>().Bind(builder.Configuration.GetSection(ForwardedHeadersSettings.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, Validator>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((o, settings) =>
        {
            var s = settings.Value;
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = s.ForwardLimit;
            // The framework trusts loopback by default; here only what the configuration names is trusted.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in s.KnownProxies) o.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
            foreach (var network in s.KnownNetworks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim()));
        });
    }

    /// <summary>First in the pipeline, so the rate limiter, sign-in lockouts and the audit log see the client's address.</summary>
    public static void UseForwardedHeadersFromSettings(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Enabled)
            app.UseForwardedHeaders();
    }

    private sealed class Validator : IValidateOptions<ForwardedHeadersSettings>
    {
        public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings s)
        {
            var errors = new List<string>();
            foreach (var proxy in s.KnownProxies)
                if (!IPAddress.TryParse(proxy?.Trim(), out _))
                    errors.Add($"ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address (e.g. 10.0.0.5).");
            foreach (var network in s.KnownNetworks)
                if (!System.Net.IPNetwork.TryParse(network?.Trim(), out _))
                    errors.Add($"ForwardedHeaders:KnownNetworks: '{network}' is not a network in CIDR form (e.g. 10.0.0.0/8).");
            if (s.ForwardLimit is < 1 or > 10)
                errors.Add("ForwardedHeaders:ForwardLimit must be 1-10.");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
