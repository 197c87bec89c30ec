using Helpdesk.Core.Escalation;
using Helpdesk.Core.Tickets;
using Helpdesk.Core.Triage;

namespace Helpdesk.Core.Sla;

/// <summary>
/// The policies a new installation starts with (all with an 80 % warning and Waiting on customer
/// pausing; business hours are <see cref="DefaultBusinessCalendar"/>, 9 a day):
/// <list type="table">
/// <item>10 chat — any chat: first response 30 s and next response 60 s, wall-clock (design §5:
/// 客户响应时间不超过30秒); resolution 8 business hours. Level 3 ten minutes after a breach.</item>
/// <item>20 urgent — priority Urgent (triage's immediate complaints: money, account, faults):
/// first response 30 business minutes, next 1 h, resolution 4 h.</item>
/// <item>25 immediate complaint — a complaint triage marked for immediate handling (money,
/// account, faults) at any priority: the urgent goals, and level 2 moves it to the complaint queue.</item>
/// <item>30 complaint — type Complaint: first response 1 business hour, next 2 h, resolution
/// 9 h (one business day); level 2 moves it to the team's complaint queue.</item>
/// <item>1000 default — everything else (email, web form, API, phone): first response 4 business
/// hours, next 8 h, resolution 27 h (three business days).</item>
/// </list>
/// </summary>
public static class DefaultSlaPolicies
{
    public static SlaPolicy Chat { get; } = new()
    {
        Key = "chat",
        Name = "Live chat",
        NameZh = "在线客服",
        Order = 10,
        Conditions = new SlaConditions { Channels = new HashSet<TicketChannel> { TicketChannel.Chat } },
        FirstResponse = SlaGoal.CalendarSeconds(30),
        NextResponse = SlaGoal.CalendarSeconds(60),
        Resolution = SlaGoal.BusinessHours(8),
        Escalation = EscalationLadder.Default with { Level3After = TimeSpan.FromMinutes(10) },
    };

    public static SlaPolicy Urgent { get; } = new()
    {
        Key = "urgent",
        Name = "Urgent",
        NameZh = "紧急",
        Order = 20,
        Conditions = new SlaConditions { Priorities = new HashSet<TicketPriority> { TicketPriority.Urgent } },
        FirstResponse = SlaGoal.BusinessMinutes(30),
        NextResponse = SlaGoal.BusinessHours(1),
        Resolution = SlaGoal.BusinessHours(4),
        Escalation = EscalationLadder.Default with { Level3After = TimeSpan.FromMinutes(30) },
    };

    public static SlaPolicy ImmediateComplaint { get; } = new()
    {
        Key = "immediate-complaint",
        Name = "Complaint to handle at once",
        NameZh = "需立即处理的投诉",
        Order = 25,
        Conditions = new SlaConditions
        {
            Types = new HashSet<TicketType> { TicketType.Complaint },
            HandlingModes = new HashSet<HandlingMode> { HandlingMode.Immediate },
        },
        FirstResponse = SlaGoal.BusinessMinutes(30),
        NextResponse = SlaGoal.BusinessHours(1),
        Resolution = SlaGoal.BusinessHours(4),
        Escalation = EscalationLadder.Default with { Level3After = TimeSpan.FromMinutes(30), SeniorQueueKey = "complaints" },
    };

    public static SlaPolicy Complaint { get; } = new()
    {
        Key = "complaint",
        Name = "Complaint",
        NameZh = "投诉",
        Order = 30,
        Conditions = new SlaConditions { Types = new HashSet<TicketType> { TicketType.Complaint } },
        FirstResponse = SlaGoal.BusinessHours(1),
        NextResponse = SlaGoal.BusinessHours(2),
        Resolution = SlaGoal.BusinessHours(9),
        Escalation = EscalationLadder.Default with { SeniorQueueKey = "complaints" },
    };

    public static SlaPolicy Default { get; } = new()
    {
        Key = "default",
        Name = "Standard (email and other channels)",
        NameZh = "标准（邮件及其他渠道）",
        Order = 1000,
        FirstResponse = SlaGoal.BusinessHours(4),
        NextResponse = SlaGoal.BusinessHours(8),
        Resolution = SlaGoal.BusinessHours(27),
    };

    public static IReadOnlyList<SlaPolicy> All { get; } = [Chat, Urgent, ImmediateComplaint, Complaint, Default];

    public static SlaPolicySet CreateSet() => new(All);
}
