using Helpdesk.Core.Tickets;

namespace Helpdesk.Bench;

/// <summary>Where a generated ticket ends up; chosen by its age, so the open queue is the recent work plus a tail of stuck tickets.</summary>
public enum Fate { New, Assigned, Waiting, Resolved, Feedback, Archived }

/// <summary>A staff member the generator can act as.</summary>
public sealed record BenchAgent(Guid Id, string Name, int TeamId)
{
    public Actor Actor => Actor.Staff(Id, Name);
}

/// <summary>One later step of a ticket's life, run through <see cref="Helpdesk.Web.Tickets.TicketService"/>.</summary>
public abstract record Step(DateTime At);
public sealed record AssignStep(DateTime At, BenchAgent Agent, BenchAgent By) : Step(At);
public sealed record ReplyStep(DateTime At, BenchAgent Agent, string Body) : Step(At);
public sealed record CustomerStep(DateTime At, Actor Customer, string Body) : Step(At);
public sealed record StatusStep(DateTime At, TicketStatus To, Actor By) : Step(At);

public sealed record TicketPlan(NewTicket Spec, Actor Creator, DateTime CreatedAt, int TeamId, Fate Fate, IReadOnlyList<Step> Steps);

/// <summary>
/// Generates the bench's tickets: Chinese and English (about 65/35), the three service types,
/// the after-sales categories, four priorities, five channels, both teams (mostly by the app's
/// own routing), one to three human messages each, and lifecycles that leave the recent tickets
/// open and most old ones archived. Deterministic for a given seed and count.
/// </summary>
public sealed class TicketMix(
    int count, DateTime end, TimeSpan span, int preSalesTeamId, int afterSalesTeamId,
    IReadOnlyList<BenchAgent> agents, IReadOnlyList<(long Id, string Name)> customers, int seed = 20261123)
{
    private readonly Random _random = new(seed);
    private readonly BenchAgent[] _preSales = agents.Where(a => a.TeamId == preSalesTeamId).ToArray();
    private readonly BenchAgent[] _afterSales = agents.Where(a => a.TeamId == afterSalesTeamId).ToArray();

    private sealed record Template(bool Chinese, TicketType Type, AfterSalesCategory Category, int Weight,
        string Subject, string Body, string Reply);

    private static readonly Template[] Templates =
    [
        // 售前 (routed to pre-sales: inquiries and suggestions without an after-sales category)
        new(true, TicketType.Inquiry, AfterSalesCategory.None, 10, "咨询：{p}适合多大面积的房间？", "我家客厅大概{n}平米，想了解一下{p}是否合适。", "您好，{p}适用面积约{n}平米，完全可以满足您的需求。"),
        new(true, TicketType.Inquiry, AfterSalesCategory.None, 8, "{p}现在有优惠活动吗？", "看到{p}在做活动，请问现在下单还有优惠吗？优惠券可以叠加吗？", "您好，本周下单{p}可享受九折优惠，优惠券可以叠加使用。"),
        new(true, TicketType.Inquiry, AfterSalesCategory.None, 5, "批量采购{n}台{p}的报价", "我们公司计划采购{n}台{p}，请提供报价和交货周期。", "您好，报价单已发送到您的邮箱，交货周期约两周。"),
        new(true, TicketType.Inquiry, AfterSalesCategory.None, 5, "发票抬头如何修改？", "订单{o}下单时发票抬头填错了，请问如何修改？", "您好，请在“我的订单”中申请修改发票抬头，我们会重新开具。"),
        new(true, TicketType.Inquiry, AfterSalesCategory.None, 4, "会员积分没有到账", "订单{o}的积分到现在还没有到账，麻烦查一下。", "您好，积分会在确认收货后7天内发放，请耐心等待。"),
        new(true, TicketType.Suggestion, AfterSalesCategory.None, 3, "建议：希望增加夜间客服", "晚上十点以后就联系不到客服了，建议增加夜间在线客服。", "感谢您的建议，我们已反馈给相关部门。"),
        new(false, TicketType.Inquiry, AfterSalesCategory.None, 6, "Do you ship the {p} to {c}?", "Hi, I would like to know whether you ship the {p} to {c} and how long it takes.", "Yes, we ship to {c}; delivery takes 3–5 days."),
        new(false, TicketType.Inquiry, AfterSalesCategory.None, 3, "Bulk order discount for {n} units", "We plan to order {n} units of the {p}. What discount can you offer?", "Thank you, our quote for {n} units is on its way to your inbox."),
        new(false, TicketType.Inquiry, AfterSalesCategory.None, 4, "Is the {p} filter washable?", "Can I wash the filter of the {p} or must I replace it?", "The pre-filter is washable; the main filter must be replaced every 6 months."),
        new(false, TicketType.Suggestion, AfterSalesCategory.None, 2, "Suggestion: add WeChat Pay for international cards", "It would help if WeChat Pay accepted international cards at checkout.", "Thanks for the suggestion, we have passed it on to the payments team."),
        // 售后 (routed to after-sales: complaints and every after-sales category)
        new(true, TicketType.Inquiry, AfterSalesCategory.ReturnExchange, 6, "申请退货：{p}{f}", "收到的{p}{f}，想申请退货退款。", "您好，已为您登记退货，请上传照片以便我们核实，审核通过后退款将原路返回。"),
        new(true, TicketType.Inquiry, AfterSalesCategory.ReturnExchange, 3, "换货：收到的颜色不对", "我订的{p}是白色，收到的是黑色，需要换货。", "您好，换货单已生成，快递员明天上门取件。"),
        new(true, TicketType.Inquiry, AfterSalesCategory.Refund, 4, "退款进度查询：订单{o}", "订单{o}已经取消了，请问退款什么时候到账？", "您好，款项已原路退回，预计3–5个工作日到账。"),
        new(true, TicketType.Complaint, AfterSalesCategory.Refund, 2, "投诉：钱迟迟不到账", "退款申请已经两周了还没到账，再不处理我就向消费者协会投诉！", "非常抱歉给您带来不便，已加急处理，今天内会有专人联系您。"),
        new(true, TicketType.Inquiry, AfterSalesCategory.Repair, 5, "{p}维修预约", "{p}{f}，想预约上门维修。", "您好，已为您预约{d}上午的上门维修。"),
        new(true, TicketType.Inquiry, AfterSalesCategory.OrderException, 4, "订单{o}付款失败", "付款时提示失败，但银行卡已经扣款了，请尽快处理！", "您好，重复扣款会在24小时内自动退回，请您放心。"),
        new(true, TicketType.Inquiry, AfterSalesCategory.TechnicalSupport, 4, "{p}升级后无法联网", "{p}升级到 v{v} 后无法连接 Wi-Fi，请问怎么处理？", "您好，请长按复位键5秒后重新配网，如仍有问题请告诉我们。"),
        new(true, TicketType.Complaint, AfterSalesCategory.ServiceAttitude, 2, "投诉：客服态度恶劣", "上次打电话咨询，客服态度非常差，非常不满意！", "非常抱歉，我们会调取通话录音核实，两个工作日内给您答复。"),
        new(true, TicketType.Complaint, AfterSalesCategory.Repair, 2, "投诉：维修师傅迟到两个小时", "约好上午九点，十一点才到，还没有提前通知。不修好我要求退款。", "非常抱歉，已对维修网点进行通报，并为您申请了50元补偿。"),
        new(false, TicketType.Inquiry, AfterSalesCategory.Refund, 3, "Money back for cancelled order {o}", "I cancelled order {o} within the hour but I have not been refunded yet.", "Hello, the refund was issued today; it reaches your card in 3–5 working days."),
        new(false, TicketType.Inquiry, AfterSalesCategory.ReturnExchange, 3, "Return request: {p} {F}", "My {p} {F}. I would like to return it for a refund.", "We have registered the return; a courier will collect it tomorrow."),
        new(false, TicketType.Inquiry, AfterSalesCategory.OrderException, 3, "Wrong delivery address on order {o}", "I typed the wrong street number, can you change the delivery address before it ships?", "We have corrected the address; the parcel ships tomorrow."),
        new(false, TicketType.Inquiry, AfterSalesCategory.TechnicalSupport, 3, "App crashes when I open my orders", "The Android app closes as soon as I tap 'My orders'. Version {v}.", "Could you tell us your phone model? We are looking into it."),
        new(false, TicketType.Complaint, AfterSalesCategory.Repair, 1, "Complaint: technician did not show up", "The technician never came to repair my {p}. I want the service fee back.", "We apologise; the service fee will be refunded and a new visit is booked."),
        new(false, TicketType.Complaint, AfterSalesCategory.ServiceAttitude, 1, "Complaint: rude phone support", "The agent on the phone was rude and hung up on me.", "We are sorry; we are reviewing the call and will come back to you within two working days."),
    ];

    private static readonly string[] ProductsZh = ["KJ500 空气净化器", "X3 扫地机器人", "Q8 蓝牙耳机", "W10 滚筒洗衣机", "M2 智能手表", "R7 电饭煲", "T5 电动牙刷"];
    private static readonly string[] ProductsEn = ["KJ500 air purifier", "X3 robot vacuum", "Q8 earbuds", "W10 washing machine", "M2 smart watch", "R7 rice cooker"];
    private static readonly string[] FaultsZh = ["左耳没有声音", "开机就报错", "噪音很大", "充不进电", "屏幕有划痕"];
    private static readonly string[] FaultsEn = ["arrived with a cracked case", "will not charge", "is very noisy", "stopped working after a week"];
    private static readonly string[] Cities = ["Hong Kong", "Singapore", "London", "Sydney", "Toronto"];
    private static readonly string[] DaysZh = ["周一", "周二", "周三", "周四", "周五", "周六"];
    private static readonly string[] FollowUpsZh = ["好的，谢谢！", "请问还要多久？", "照片已上传，请查收。", "还是不行，麻烦再看一下。"];
    private static readonly string[] FollowUpsEn = ["Thanks!", "Any update on this?", "Photos attached.", "Still not working, please check again."];

    private readonly int _totalWeight = Templates.Sum(t => t.Weight);

    public IEnumerable<TicketPlan> Plans()
    {
        var start = end - span;
        for (var i = 0; i < count; i++)
        {
            // Evenly spread over the span, a little jitter, always increasing.
            var createdAt = start + span * ((i + 0.5 + (_random.NextDouble() - 0.5) * 0.9) / count);
            yield return Plan(createdAt);
        }
    }

    private TicketPlan Plan(DateTime createdAt)
    {
        var template = Pick();
        var afterSales = template.Type == TicketType.Complaint || template.Category != AfterSalesCategory.None;
        var team = afterSales ? _afterSales : _preSales;
        var teamId = afterSales ? afterSalesTeamId : preSalesTeamId;
        var fill = Filler(template.Chinese);

        var (customerId, customerName) = _random.NextDouble() < 0.9 ? customers[_random.Next(customers.Count)] : ((long?)null, "访客");
        var customer = Actor.Customer(customerId, customerName);
        var channel = Weighted((TicketChannel.Chat, 40), (TicketChannel.Email, 25), (TicketChannel.WebForm, 15), (TicketChannel.Api, 5), (TicketChannel.Phone, 15));
        var priority = template.Type == TicketType.Complaint
            ? Weighted((TicketPriority.Normal, 25), (TicketPriority.High, 50), (TicketPriority.Urgent, 25))
            : Weighted((TicketPriority.Low, 20), (TicketPriority.Normal, 55), (TicketPriority.High, 20), (TicketPriority.Urgent, 5));
        var fate = FateFor(end - createdAt);
        var agent = team[_random.Next(team.Length)];
        var supervisor = team[0];

        // A phone call is typed in by the agent who took it: team given, and the ticket is theirs at once when it stays with them.
        var byPhone = channel == TicketChannel.Phone;
        var assignAtCreate = byPhone && fate != Fate.New;
        List<string>? tags = template.Type == TicketType.Complaint ? [template.Chinese ? "投诉" : "complaint"] : null;
        if (_random.NextDouble() < 0.05) tags = [.. tags ?? [], "vip"];
        var spec = new NewTicket(fill(template.Subject), template.Type, channel, priority, template.Category, fill(template.Body),
            customerId, TeamId: byPhone ? teamId : null, AssigneeId: assignAtCreate ? agent.Id : null, Tags: tags,
            ClientMessageId: channel == TicketChannel.Chat ? Guid.NewGuid().ToString("N") : null);
        var creator = byPhone ? agent.Actor : customer;

        var steps = new List<Step>();
        var at = createdAt;
        DateTime Later(double minMinutes, double maxMinutes)
        {
            at = at.AddMinutes(minMinutes + _random.NextDouble() * (maxMinutes - minMinutes));
            return at < end ? at : end;
        }
        var reply = fill(template.Reply);
        switch (fate)
        {
            case Fate.New:
                break;
            case Fate.Assigned:
                if (!assignAtCreate) steps.Add(new AssignStep(Later(1, 30), agent, supervisor));
                if (_random.NextDouble() < 0.4) steps.Add(new ReplyStep(Later(1, 60), agent, reply));
                if (_random.NextDouble() < 0.15) steps.Add(new CustomerStep(Later(5, 120), customer, FollowUp(template.Chinese)));
                break;
            default:
                steps.Add(new ReplyStep(Later(1, 60), agent, reply));
                if (_random.NextDouble() < 0.3) steps.Add(new CustomerStep(Later(5, 240), customer, FollowUp(template.Chinese)));
                if (fate == Fate.Waiting) { steps.Add(new StatusStep(Later(1, 10), TicketStatus.WaitingOnCustomer, agent.Actor)); break; }
                steps.Add(new StatusStep(Later(10, 600), TicketStatus.Resolved, agent.Actor));
                if (fate == Fate.Feedback || (fate == Fate.Archived && _random.NextDouble() < 0.2))
                    steps.Add(new StatusStep(Later(60, 2880), TicketStatus.FeedbackReceived, Actor.System));
                if (fate == Fate.Archived) steps.Add(new StatusStep(Later(1440, 7 * 1440), TicketStatus.Archived, Actor.System));
                break;
        }
        return new TicketPlan(spec, creator, createdAt, teamId, fate, steps);
    }

    /// <summary>Recent tickets are mostly open; old ones mostly archived, with a few stuck open.</summary>
    private Fate FateFor(TimeSpan age) => age.TotalDays switch
    {
        < 1 => Weighted((Fate.New, 35), (Fate.Assigned, 35), (Fate.Waiting, 10), (Fate.Resolved, 20)),
        < 3 => Weighted((Fate.New, 10), (Fate.Assigned, 25), (Fate.Waiting, 15), (Fate.Resolved, 40), (Fate.Feedback, 10)),
        < 14 => Weighted((Fate.New, 2), (Fate.Assigned, 6), (Fate.Waiting, 6), (Fate.Resolved, 25), (Fate.Feedback, 11), (Fate.Archived, 50)),
        _ => Weighted((Fate.New, 3), (Fate.Assigned, 12), (Fate.Waiting, 15), (Fate.Resolved, 20), (Fate.Feedback, 10), (Fate.Archived, 940)),
    };

    private Template Pick()
    {
        var roll = _random.Next(_totalWeight);
        foreach (var t in Templates)
        {
            if (roll < t.Weight) return t;
            roll -= t.Weight;
        }
        return Templates[^1];
    }

    private Func<string, string> Filler(bool chinese)
    {
        var product = chinese ? ProductsZh[_random.Next(ProductsZh.Length)] : ProductsEn[_random.Next(ProductsEn.Length)];
        var fault = FaultsZh[_random.Next(FaultsZh.Length)];
        var faultEn = FaultsEn[_random.Next(FaultsEn.Length)];
        var order = $"SO-2026-{_random.Next(1, 10000):D4}";
        var n = (_random.Next(2, 40) * 5).ToString();
        var version = $"2.{_random.Next(0, 9)}.{_random.Next(0, 20)}";
        var city = Cities[_random.Next(Cities.Length)];
        var day = DaysZh[_random.Next(DaysZh.Length)];
        return text => text.Replace("{p}", product).Replace("{f}", fault).Replace("{F}", faultEn).Replace("{o}", order)
            .Replace("{n}", n).Replace("{v}", version).Replace("{c}", city).Replace("{d}", day);
    }

    private string FollowUp(bool chinese) =>
        chinese ? FollowUpsZh[_random.Next(FollowUpsZh.Length)] : FollowUpsEn[_random.Next(FollowUpsEn.Length)];

    private T Weighted<T>(params (T Value, int Weight)[] choices)
    {
        var roll = _random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight) return value;
            roll -= weight;
        }
        return choices[^1].Value;
    }
}
