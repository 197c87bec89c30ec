using System.ComponentModel.DataAnnotations;

namespace Helpdesk.Web.Scripts;

/// <summary>Bound from "Scripts".</summary>
public sealed class ScriptOptions
{
    public const string Section = "Scripts";

    /// <summary>{company} in every script, unless <see cref="CompanyNames"/> has the script's language.</summary>
    [Required, MaxLength(100)] public string CompanyName { get; set; } = "本公司";
    /// <summary>{company} per language ("en": "Demo Shop").</summary>
    public Dictionary<string, string> CompanyNames { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>{business.hours}; unset means the first chat site's opening hours.</summary>
    [MaxLength(100)] public string? BusinessHours { get; set; }

    /// <summary>Send the approved greeting as the agent's first message when they take a chat.</summary>
    public bool GreetOnAccept { get; set; } = true;

    /// <summary>The idle protocol: off, or a prompt after this much customer silence following an agent message.</summary>
    public bool IdleEnabled { get; set; } = true;
    [Range(10, 3600)] public int IdlePromptSeconds { get; set; } = 120;
    /// <summary>After the last prompt, this much more silence sends the closing script and ends the chat.</summary>
    [Range(10, 3600)] public int IdleCloseSeconds { get; set; } = 120;
    /// <summary>How many prompts before closing (design §5 describes two: "prompt, wait, prompt again").</summary>
    [Range(1, 5)] public int IdlePrompts { get; set; } = 1;
    /// <summary>How often the idle protocol looks at open chats.</summary>
    [Range(1, 60)] public int IdleCheckSeconds { get; set; } = 5;

    public string CompanyFor(string language) =>
        CompanyNames.TryGetValue(language, out var name) && !string.IsNullOrWhiteSpace(name) ? name : CompanyName;
}
