namespace Helpdesk.Core.Sla;

/// <summary>
/// The calendar a new installation starts with: Monday to Friday 09:00–18:00, Asia/Shanghai,
/// China's public holidays.
/// <para>
/// Every year: the fixed-date statutory days (全国年节及纪念日放假办法 as revised for 2025):
/// 元旦 01-01, 劳动节 05-01..05-02, 国庆节 10-01..10-03. The lunar holidays (春节, 清明, 端午, 中秋)
/// move every year and the State Council announces the bridged weeks and 调休 make-up days each
/// November, so they are seeded only for years already announced: 2026 (国办发明电, 4 Nov 2025).
/// 2027 was not announced when this was written; an admin adds it as one-off ranges and make-up
/// days when it is.
/// </para>
/// </summary>
public static class DefaultBusinessCalendar
{
    public const string Key = "default";

    public static WeeklyHours Hours { get; } = WeeklyHours.MondayToFriday("09:00-18:00");

    public static IReadOnlyList<Holiday> YearlyHolidays { get; } =
    [
        Holiday.EveryYear(1, 1, "元旦 New Year's Day"),
        Holiday.EveryYear(5, 1, "劳动节 Labour Day", days: 2),
        Holiday.EveryYear(10, 1, "国庆节 National Day", days: 3),
    ];

    /// <summary>The 2026 arrangement as announced, bridged weeks included.</summary>
    public static IReadOnlyList<Holiday> Holidays2026 { get; } =
    [
        Holiday.Range(new(2026, 1, 1), new(2026, 1, 3), "元旦 New Year's Day"),
        Holiday.Range(new(2026, 2, 15), new(2026, 2, 23), "春节 Spring Festival"),
        Holiday.Range(new(2026, 4, 4), new(2026, 4, 6), "清明节 Qingming"),
        Holiday.Range(new(2026, 5, 1), new(2026, 5, 5), "劳动节 Labour Day"),
        Holiday.Range(new(2026, 6, 19), new(2026, 6, 21), "端午节 Dragon Boat Festival"),
        Holiday.Range(new(2026, 9, 25), new(2026, 9, 27), "中秋节 Mid-Autumn Festival"),
        Holiday.Range(new(2026, 10, 1), new(2026, 10, 7), "国庆节 National Day"),
    ];

    /// <summary>2026 调休: weekend days worked in exchange for the bridged holidays.</summary>
    public static IReadOnlyList<ExtraWorkingDay> MakeUpDays2026 { get; } =
    [
        new(new(2026, 1, 4), "元旦调休"),
        new(new(2026, 2, 14), "春节调休"),
        new(new(2026, 2, 28), "春节调休"),
        new(new(2026, 5, 9), "劳动节调休"),
        new(new(2026, 9, 20), "国庆节调休"),
        new(new(2026, 10, 10), "国庆节调休"),
    ];

    public static BusinessCalendar Create() =>
        new(Key, BusinessCalendar.FindZone(BusinessCalendar.DefaultTimeZoneId), Hours,
            [.. YearlyHolidays, .. Holidays2026], MakeUpDays2026);
}
