using Helpdesk.Core.Customers;

namespace Helpdesk.Core.Scripts;

/// <summary>What is known of the customer's name, for addressing them.</summary>
public sealed record CustomerName(string? Name, string? Surname = null, Gender Gender = Gender.Unknown);

/// <summary>
/// How a script addresses the customer (design §5: surname + 先生/女士 when known).
/// zh-CN: 陈先生, 欧阳女士, Carter女士; otherwise 您.
/// en: Mr Chen, Ms Carter; otherwise "customer" (reads right after "Dear" and "Hello" alike).
/// The surname is the record's own when it has one; else it is read from the name when the name
/// looks like a person's name (Chinese: compound surnames such as 欧阳 and 司马 first; Latin: the
/// last word). A name ending in 先生 or 女士/小姐 gives the gender too. Nothing is guessed from
/// a visitor's placeholder name ("访客 Visitor 1a2b3c").
/// </summary>
public static class Salutation
{
    public const string ChineseFallback = "您";
    public const string EnglishFallback = "customer";

    /// <summary>Two-character surnames (复姓) that a name may start with.</summary>
    public static IReadOnlySet<string> CompoundSurnames { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "司空",
        "夏侯", "轩辕", "端木", "南宫", "西门", "独孤", "澹台", "申屠", "太史", "呼延", "闻人", "万俟", "赫连", "百里",
        "东郭", "钟离", "拓跋", "濮阳", "淳于", "单于", "公冶", "宗政", "仲孙", "第五", "左丘", "羊舌", "微生", "梁丘",
    };

    public static string For(string language, CustomerName? customer)
    {
        var zh = (ScriptLanguages.Normalise(language) ?? ScriptLanguages.Default) == ScriptLanguages.Chinese;
        var (surname, gender) = Resolve(customer);
        if (surname is null || gender == Gender.Unknown)
            return zh ? ChineseFallback : EnglishFallback;
        if (zh)
            return surname + (gender == Gender.Male ? "先生" : "女士");
        return (gender == Gender.Male ? "Mr " : "Ms ") + surname;
    }

    /// <summary>The surname and gender to use, or nulls when they are not known well enough.</summary>
    public static (string? Surname, Gender Gender) Resolve(CustomerName? customer)
    {
        if (customer is null) return (null, Gender.Unknown);
        var gender = customer.Gender;
        var name = customer.Name?.Trim() ?? "";
        if (name.EndsWith("先生", StringComparison.Ordinal)) { name = name[..^2].Trim(); if (gender == Gender.Unknown) gender = Gender.Male; }
        else if (name.EndsWith("女士", StringComparison.Ordinal) || name.EndsWith("小姐", StringComparison.Ordinal)) { name = name[..^2].Trim(); if (gender == Gender.Unknown) gender = Gender.Female; }

        var surname = string.IsNullOrWhiteSpace(customer.Surname) ? SurnameOf(name) : customer.Surname.Trim();
        return (surname, gender);
    }

    /// <summary>The surname read from a person's name, or null when the name does not look like one.</summary>
    public static string? SurnameOf(string? name)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name)) return null;
        if (name.All(IsHan))
        {
            if (name.Length > 5) return null;
            if (name.Length >= 2 && CompoundSurnames.Contains(name[..2])) return name[..2];
            return name[..1];
        }
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is >= 2 and <= 4 && words.All(w => w.All(ch => char.IsLetter(ch) || ch is '-' or '\'' or '.') && !w.Any(IsHan)))
            return words[^1];
        return null;
    }

    private static bool IsHan(char c) => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf';
}
