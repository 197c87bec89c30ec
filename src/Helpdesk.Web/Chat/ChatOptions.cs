using System.ComponentModel.DataAnnotations;
using Helpdesk.Core.Chat;

namespace Helpdesk.Web.Chat;

/// <summary>Bound from "Chat".</summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    /// <summary>The web sites that embed the widget, by site key.</summary>
    public List<ChatSiteOptions> Sites { get; set; } = [];

    [Range(1, 50)] public int AgentCapacity { get; set; } = AgentRouting.DefaultCapacity;
    /// <summary>Assign a routed chat at once instead of offering it for the agent to accept.</summary>
    public bool AutoAssign { get; set; }
    [Range(5, 600)] public int OfferTimeoutSeconds { get; set; } = 30;
    [Range(64, 32 * 1024)] public int MaxMessageBytes { get; set; } = 4096;
    /// <summary>Per connection: a burst of this many messages, refilled at <see cref="MessagesPerSecond"/>.</summary>
    [Range(1, 1000)] public int MessageBurst { get; set; } = 20;
    [Range(0.1, 1000)] public double MessagesPerSecond { get; set; } = 2;
    /// <summary>Average time an agent spends on one chat, for the waiting customer's estimate.</summary>
    [Range(10, 7200)] public int AverageHandleSeconds { get; set; } = 300;
    /// <summary>How often a node renews the record of its agents' console connections.</summary>
    [Range(1, 3600)] public int ConnectionRenewSeconds { get; set; } = 15;
    /// <summary>A console connection not renewed for this long belongs to a node that died: it no longer keeps its agent online.</summary>
    [Range(2, 86400)] public int ConnectionExpirySeconds { get; set; } = 60;
    /// <summary>How long a visitor token stays valid (renewed on every widget start).</summary>
    [Range(1, 3650)] public int VisitorTokenDays { get; set; } = 180;

    public ChatSiteOptions? FindSite(string? key) =>
        key is null ? null : Sites.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.Ordinal));
}

public sealed class ChatSiteOptions
{
    [Required, RegularExpression("^[a-z0-9-]{1,40}$")] public string Key { get; set; } = "";
    [Required] public string Name { get; set; } = "";
    /// <summary>Origins allowed to open the widget ("https://shop.example.com"). The helpdesk's own origin is always allowed.</summary>
    public List<string> AllowedOrigins { get; set; } = [];
    /// <summary>Shared secret for HMAC identity verification of the site's signed-in users; none means no identified users.</summary>
    public string? IdentitySecret { get; set; }
    /// <summary>Team that receives this site's chats.</summary>
    public string TeamKey { get; set; } = "pre-sales";
    /// <summary>Opening hours, e.g. "09:00-21:00"; empty means always open.</summary>
    public string? Hours { get; set; }
    public string TimeZone { get; set; } = "Asia/Shanghai";
    public List<DayOfWeek> Days { get; set; } = [];

    public BusinessHours BusinessHours()
    {
        if (string.IsNullOrWhiteSpace(Hours)) return Core.Chat.BusinessHours.AlwaysOpen;
        var parts = Hours.Split('-', StringSplitOptions.TrimEntries);
        var days = Days.Count > 0 ? Days.ToHashSet() : Enum.GetValues<DayOfWeek>().ToHashSet();
        return new BusinessHours(TimeZoneInfo.FindSystemTimeZoneById(TimeZone), TimeOnly.Parse(parts[0]), TimeOnly.Parse(parts[1]), days);
    }
}
