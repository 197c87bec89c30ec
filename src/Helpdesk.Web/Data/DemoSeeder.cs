using Helpdesk.Core.Customers;
using Helpdesk.Core.Escalation;
using Helpdesk.Core.Teams;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Data.Identity;
using Helpdesk.Data.Sla;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Data;

/// <summary>
/// First start only: roles always; the first admin from Bootstrap:*; and, while Demo:Enabled,
/// the demo organisation (teams, users, customers, about twenty tickets in both languages).
/// Each part checks whether it exists, so a second start adds nothing.
/// </summary>
public sealed class DemoSeeder(
    HelpdeskDbContext db, UserManager<StaffUser> users, RoleManager<StaffRole> roles,
    IOptions<DemoOptions> demo, IOptions<BootstrapOptions> bootstrap, TimeProvider clock, ILogger<DemoSeeder> log)
{
    public const string Password = "Demo123!";

    public sealed record DemoUser(string Email, string DisplayName, string Role, string[] Teams);

    public static IReadOnlyList<DemoUser> Users { get; } =
    [
        new("admin@demo.local", "管理员 Admin", StaffRoles.Admin, []),
        new("supervisor@demo.local", "王主管 Wang (Supervisor)", StaffRoles.Supervisor, ["pre-sales", "after-sales"]),
        new("agent1@demo.local", "李娜 Li Na", StaffRoles.Agent, ["pre-sales"]),
        new("agent2@demo.local", "张伟 Zhang Wei", StaffRoles.Agent, ["after-sales"]),
    ];

    public static bool IsDemoAccount(string? email) =>
        email is not null && Users.Any(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase));

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task SeedAsync(CancellationToken ct = default)
    {
        foreach (var role in StaffRoles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new StaffRole(role));

        await SeedBootstrapAdminAsync();
        if (!demo.Value.Enabled || await db.Teams.AnyAsync(ct))
            return;

        log.LogInformation("Seeding the demo organisation");
        var teams = await SeedTeamsAsync(ct);
        var staff = await SeedUsersAsync(teams);
        var customers = await SeedCustomersAsync(ct);
        await SeedTicketsAsync(teams, staff, customers, ct);
    }

    private async Task SeedBootstrapAdminAsync()
    {
        var b = bootstrap.Value;
        if (string.IsNullOrWhiteSpace(b.AdminEmail) || string.IsNullOrWhiteSpace(b.AdminPassword) || await users.Users.AnyAsync())
            return;
        var admin = new StaffUser { UserName = b.AdminEmail, Email = b.AdminEmail, EmailConfirmed = true, DisplayName = "Administrator", CreatedAt = Now };
        var result = await users.CreateAsync(admin, b.AdminPassword);
        if (!result.Succeeded)
            throw new InvalidOperationException("Bootstrap admin refused: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(admin, StaffRoles.Admin);
    }

    private async Task<Dictionary<string, Team>> SeedTeamsAsync(CancellationToken ct)
    {
        Team Make(string key, string name, string zh) => new()
        {
            Key = key, Name = name, NameZh = zh,
            Queues =
            [
                new TicketQueue { Key = "general", Name = $"{name} queue", NameZh = $"{zh}队列" },
                new TicketQueue { Key = "complaints", Name = $"{name} complaints", NameZh = $"{zh}投诉", IsComplaintQueue = true },
            ],
        };
        var teams = new[] { Make("pre-sales", "Pre-sales", "售前"), Make("after-sales", "After-sales", "售后") };
        db.Teams.AddRange(teams);
        await db.SaveChangesAsync(ct);
        return teams.ToDictionary(t => t.Key);
    }

    private async Task<Dictionary<string, StaffUser>> SeedUsersAsync(Dictionary<string, Team> teams)
    {
        var result = new Dictionary<string, StaffUser>();
        foreach (var u in Users)
        {
            var user = await users.FindByEmailAsync(u.Email);
            if (user is null)
            {
                user = new StaffUser
                {
                    UserName = u.Email, Email = u.Email, EmailConfirmed = true, DisplayName = u.DisplayName, CreatedAt = Now,
                    Teams = u.Teams.Select(t => new StaffTeamMembership { TeamId = teams[t].Id }).ToList(),
                };
                var created = await users.CreateAsync(user, Password);
                if (!created.Succeeded)
                    throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
                await users.AddToRoleAsync(user, u.Role);
            }
            result[u.Email] = user;
        }
        return result;
    }

    private async Task<List<Customer>> SeedCustomersAsync(CancellationToken ct)
    {
        var now = Now;
        var customers = new List<Customer>
        {
            new()
            {
                Name = "陈明", Surname = "陈", Gender = Gender.Male, Email = "chen.ming@example.cn", Mobile = "13800138000",
                Region = "华东", Tier = CustomerTier.KeyAccount, Credit = 5, AccountManager = "王主管", CompanyGroup = "明达贸易集团",
                ChurnRisk = ChurnRisk.Low, CreatedAt = now.AddDays(-400),
                Contacts = [new() { Name = "刘芳", Gender = Gender.Female, Position = "采购经理", Phone = "021-55550101", Mobile = "13900139000", Notes = "负责批量采购" }],
                Interactions = [new() { At = now.AddDays(-30), Place = "上海办公室", Summary = "年度合作续约洽谈", Details = "确认下一年度采购框架", Notes = "对售后响应速度要求高" }],
                Orders =
                [
                    new() { OrderNumber = "SO-2026-0001", PlacedAt = now.AddDays(-20), Amount = 12800m, PaymentStatus = PaymentStatus.Paid },
                    new() { OrderNumber = "SO-2026-0042", PlacedAt = now.AddDays(-3), Amount = 3560m, PaymentStatus = PaymentStatus.PartiallyPaid },
                ],
            },
            new()
            {
                Name = "林晓红", Surname = "林", Gender = Gender.Female, Email = "lin.xh@example.cn", Mobile = "13700137000",
                Region = "华南", Tier = CustomerTier.Regular, Credit = 4, AccountManager = "李娜", ChurnRisk = ChurnRisk.Medium, CreatedAt = now.AddDays(-90),
                Orders = [new() { OrderNumber = "SO-2026-0107", PlacedAt = now.AddDays(-6), Amount = 499m, PaymentStatus = PaymentStatus.Paid }],
            },
            new()
            {
                Name = "赵强", Surname = "赵", Gender = Gender.Male, Email = "zhao.qiang@example.cn", Phone = "010-66668888",
                Region = "华北", Tier = CustomerTier.StrategicPartner, Credit = 5, AccountManager = "王主管", CompanyGroup = "北方电子股份",
                ChurnRisk = ChurnRisk.Low, CreatedAt = now.AddDays(-800),
                Contacts = [new() { Name = "孙磊", Gender = Gender.Male, Position = "IT 主管", Mobile = "13600136000" }],
                Interactions = [new() { At = now.AddDays(-10), Place = "电话", Summary = "技术支持回访", Details = "固件升级后设备运行正常" }],
                Orders = [new() { OrderNumber = "SO-2026-0200", PlacedAt = now.AddDays(-45), Amount = 88000m, PaymentStatus = PaymentStatus.Overdue }],
            },
            new()
            {
                Name = "Emily Carter", Gender = Gender.Female, Email = "emily.carter@example.com", Phone = "+44 20 7946 0000",
                Region = "华东", Tier = CustomerTier.Partner, Credit = 3, AccountManager = "Li Na", ChurnRisk = ChurnRisk.Medium, CreatedAt = now.AddDays(-60),
                Orders = [new() { OrderNumber = "SO-2026-0150", PlacedAt = now.AddDays(-12), Amount = 1299m, Currency = "USD", PaymentStatus = PaymentStatus.Paid }],
            },
            new()
            {
                Name = "王芳", Surname = "王", Gender = Gender.Female, Email = "wang.fang@example.cn", Mobile = "13500135000",
                Region = "西南", Tier = CustomerTier.DevelopmentTarget, Credit = 2, AccountManager = "张伟", ChurnRisk = ChurnRisk.High, CreatedAt = now.AddDays(-15),
                // The member signed in on the demo shop's /demo/signed-in.html: her chats come with her record.
                ExternalId = "shop-user-1001",
                Orders = [new() { OrderNumber = "SO-2026-0188", PlacedAt = now.AddDays(-4), Amount = 260m, PaymentStatus = PaymentStatus.Unpaid }],
            },
            new()
            {
                Name = "David Miller", Gender = Gender.Male, Email = "d.miller@example.com",
                Region = "东北", Tier = CustomerTier.Regular, Credit = 3, ChurnRisk = ChurnRisk.Low, CreatedAt = now.AddDays(-5),
            },
        };
        db.Customers.AddRange(customers);
        await db.SaveChangesAsync(ct);
        return customers;
    }

    private async Task SeedTicketsAsync(Dictionary<string, Team> teams, Dictionary<string, StaffUser> staff, List<Customer> customers, CancellationToken ct)
    {
        var pre = teams["pre-sales"];
        var after = teams["after-sales"];
        var agent1 = staff["agent1@demo.local"];
        var agent2 = staff["agent2@demo.local"];
        var supervisor = staff["supervisor@demo.local"];
        Actor As(StaffUser u) => Actor.Staff(u.Id, u.DisplayName);
        var number = await db.Tickets.MaxAsync(t => (long?)t.Number, ct) ?? TicketLimits.FirstNumber - 1;
        var start = Now.AddDays(-7);
        var minutes = 0;

        // (subject, type, category, priority, channel, team, customer, description, what happens next)
        var samples = new (string Subject, TicketType Type, AfterSalesCategory Category, TicketPriority Priority, TicketChannel Channel, Team Team, int Customer, string Text, Action<Ticket, DateTime>? Then)[]
        {
            ("咨询：这款空气净化器适合多大面积的房间？", TicketType.Inquiry, AfterSalesCategory.None, TicketPriority.Normal, TicketChannel.Chat, pre, 1, "我家客厅大概30平米，想了解一下KJ500型号是否合适。", null),
            ("订单SO-2026-0042 付款失败", TicketType.Complaint, AfterSalesCategory.OrderException, TicketPriority.High, TicketChannel.Email, after, 0, "昨天付款时提示失败，但银行卡已经扣款了，请尽快处理！", (t, at) => t.Assign(agent2.Id, after.Id, As(supervisor), at)),
            ("申请退货：耳机左耳没有声音", TicketType.Inquiry, AfterSalesCategory.ReturnExchange, TicketPriority.Normal, TicketChannel.WebForm, after, 1, "收到的蓝牙耳机左耳没有声音，想申请退货。", (t, at) => { t.Assign(agent2.Id, after.Id, As(agent2), at); t.AddAgentReply("您好林女士，已为您登记退货，请上传耳机照片以便我们核实。", As(agent2), agent2.Id, at.AddMinutes(3), null); t.ChangeStatus(TicketStatus.WaitingOnCustomer, As(agent2), at.AddMinutes(4)); }),
            ("Refund for a cancelled order", TicketType.Inquiry, AfterSalesCategory.Refund, TicketPriority.Normal, TicketChannel.Email, after, 3, "I cancelled order SO-2026-0150 within the hour but I have not been refunded yet.", (t, at) => { t.Assign(agent2.Id, after.Id, As(agent2), at); t.AddAgentReply("Hello Ms Carter, the refund was issued today; it reaches your card in 3–5 working days.", As(agent2), agent2.Id, at.AddMinutes(10), null); t.ChangeStatus(TicketStatus.Resolved, As(agent2), at.AddMinutes(11)); }),
            ("投诉：客服态度恶劣", TicketType.Complaint, AfterSalesCategory.ServiceAttitude, TicketPriority.High, TicketChannel.Phone, after, 4, "上次打电话咨询，客服说“慢慢等着吧”，非常不满意！", (t, at) => t.AddInternalNote("需要调取通话录音核实，预计两个工作日内回复客户。", As(supervisor), at.AddMinutes(20), null)),
            ("设备固件升级后无法联网", TicketType.Inquiry, AfterSalesCategory.TechnicalSupport, TicketPriority.Urgent, TicketChannel.Api, after, 2, "批量设备升级到 v2.3 后全部无法连接 Wi-Fi，影响生产。", (t, at) => t.Assign(agent2.Id, after.Id, As(supervisor), at)),
            ("Do you ship to Hong Kong?", TicketType.Inquiry, AfterSalesCategory.None, TicketPriority.Low, TicketChannel.Chat, pre, 5, "Hi, I would like to know whether you ship to Hong Kong and how long it takes.", (t, at) => { t.Assign(agent1.Id, pre.Id, As(agent1), at); t.AddAgentReply("Yes, we ship to Hong Kong; delivery takes 3–5 days.", As(agent1), agent1.Id, at.AddMinutes(1), null); t.ChangeStatus(TicketStatus.Resolved, As(agent1), at.AddMinutes(2)); t.ChangeStatus(TicketStatus.FeedbackReceived, Actor.System, at.AddHours(2)); }),
            ("建议：希望增加夜间客服", TicketType.Suggestion, AfterSalesCategory.None, TicketPriority.Low, TicketChannel.WebForm, pre, 1, "晚上十点以后就联系不到客服了，建议增加夜间在线客服。", (t, at) => { t.Assign(agent1.Id, pre.Id, As(agent1), at); t.AddAgentReply("感谢您的建议，我们已反馈给相关部门。", As(agent1), agent1.Id, at.AddMinutes(30), null); t.ChangeStatus(TicketStatus.Resolved, As(agent1), at.AddMinutes(31)); t.ChangeStatus(TicketStatus.Archived, Actor.System, at.AddDays(3)); }),
            ("洗衣机维修预约", TicketType.Inquiry, AfterSalesCategory.Repair, TicketPriority.Normal, TicketChannel.Phone, after, 0, "滚筒洗衣机脱水时噪音很大，想预约上门维修。", (t, at) => { t.Assign(agent2.Id, after.Id, As(agent2), at); t.AddAgentReply("陈先生您好，已为您预约周四上午的上门维修。", As(agent2), agent2.Id, at.AddMinutes(5), null); }),
            ("Wrong delivery address on my order", TicketType.Inquiry, AfterSalesCategory.OrderException, TicketPriority.High, TicketChannel.Chat, after, 3, "I typed the wrong street number, can you change the delivery address before it ships?", null),
            ("发票抬头如何修改？", TicketType.Inquiry, AfterSalesCategory.None, TicketPriority.Normal, TicketChannel.Email, pre, 0, "下单时发票抬头填错了，请问如何修改？", (t, at) => t.Assign(agent1.Id, pre.Id, As(agent1), at)),
            ("投诉：维修师傅迟到两个小时", TicketType.Complaint, AfterSalesCategory.Repair, TicketPriority.High, TicketChannel.Chat, after, 4, "约好上午九点，十一点才到，还没有提前通知。", null),
            ("Bulk order discount for 200 units", TicketType.Inquiry, AfterSalesCategory.None, TicketPriority.High, TicketChannel.Api, pre, 2, "We plan to order 200 units of model KJ500. What discount can you offer?", (t, at) => { t.Assign(agent1.Id, pre.Id, As(supervisor), at); t.AddInternalNote("战略客户，报价需主管审批。", As(supervisor), at.AddMinutes(2), null); }),
            ("换货：收到的颜色不对", TicketType.Inquiry, AfterSalesCategory.ReturnExchange, TicketPriority.Normal, TicketChannel.WebForm, after, 1, "我订的是白色，收到的是黑色，需要换货。", (t, at) => { t.Assign(agent2.Id, after.Id, As(agent2), at); t.AddAgentReply("林女士您好，换货单已生成，快递员明天上门取件。", As(agent2), agent2.Id, at.AddMinutes(8), null); t.ChangeStatus(TicketStatus.Resolved, As(agent2), at.AddMinutes(9)); t.ChangeStatus(TicketStatus.FeedbackReceived, Actor.System, at.AddDays(1)); t.ChangeStatus(TicketStatus.Archived, Actor.System, at.AddDays(2)); }),
            ("App crashes when I open my orders", TicketType.Inquiry, AfterSalesCategory.TechnicalSupport, TicketPriority.Normal, TicketChannel.Email, after, 5, "The Android app closes as soon as I tap 'My orders'.", (t, at) => { t.Assign(agent2.Id, after.Id, As(agent2), at); t.AddAgentReply("Thanks David, could you tell us your app version and phone model?", As(agent2), agent2.Id, at.AddMinutes(15), null); t.ChangeStatus(TicketStatus.WaitingOnCustomer, As(agent2), at.AddMinutes(16)); }),
            ("会员积分没有到账", TicketType.Inquiry, AfterSalesCategory.None, TicketPriority.Normal, TicketChannel.Chat, pre, 4, "上周的订单积分到现在还没有到账。", null),
            ("投诉：退款迟迟不到账，要向消协投诉", TicketType.Complaint, AfterSalesCategory.Refund, TicketPriority.Urgent, TicketChannel.Email, after, 0, "退款申请已经两周了还没到账，再不处理我就向消费者协会投诉！", (t, at) => t.Assign(agent2.Id, after.Id, As(supervisor), at)),
            ("Suggestion: add WeChat Pay for international cards", TicketType.Suggestion, AfterSalesCategory.None, TicketPriority.Low, TicketChannel.WebForm, pre, 3, "It would help if WeChat Pay accepted international cards at checkout.", null),
            ("咨询：延保服务怎么购买？", TicketType.Inquiry, AfterSalesCategory.Repair, TicketPriority.Low, TicketChannel.Phone, after, 2, "想给去年买的设备购买延保，请问怎么办理？", (t, at) => { t.Assign(agent2.Id, after.Id, As(agent2), at); t.AddAgentReply("赵先生您好，延保可在“我的订单”中直接购买，已发送操作指引到您的邮箱。", As(agent2), agent2.Id, at.AddMinutes(6), null); t.ChangeStatus(TicketStatus.Resolved, As(agent2), at.AddMinutes(7)); }),
            ("Is the KJ500 filter washable?", TicketType.Inquiry, AfterSalesCategory.None, TicketPriority.Normal, TicketChannel.Chat, pre, 5, "Can I wash the HEPA filter of the KJ500 or must I replace it?", (t, at) => t.Assign(agent1.Id, pre.Id, As(agent1), at)),
        };

        var recent = 0;
        foreach (var s in samples)
        {
            minutes += 457;
            var customer = customers[s.Customer];
            var queue = s.Team.Queues.First(q => q.IsComplaintQueue == (s.Type == TicketType.Complaint));
            var ticketNumber = ++number;
            Ticket Make(DateTime at)
            {
                var made = Ticket.Open(ticketNumber, new NewTicket(s.Subject, s.Type, s.Channel, s.Priority, s.Category, s.Text, customer.Id, s.Team.Id, queue.Id,
                    Tags: s.Type == TicketType.Complaint ? ["投诉"] : null), Actor.Customer(customer.Id, customer.Name), at);
                s.Then?.Invoke(made, at.AddMinutes(2));
                // These chats happened days ago: the conversations are over, the tickets live on.
                if (s.Channel == TicketChannel.Chat)
                    made.EndChat(Actor.Customer(customer.Id, customer.Name), at.AddMinutes(40));
                return made;
            }
            var ticket = Make(start.AddMinutes(minutes));
            // Open email, phone, form and API tickets came in shortly before this start, so their SLA
            // clocks run from now instead of every one breaching (and escalating) at the first start.
            // Finished tickets keep their week of history; their clocks are stopped. Open chats stay
            // days old, missed: the SLA feature records them breached without escalating history.
            if (ticket.IsOpen && s.Channel != TicketChannel.Chat)
                ticket = Make(Now.AddMinutes(-(6 + 13 * recent++)));
            // Demo history is not news: no events, so no triage or pushes rewrite the curated tickets.
            ticket.ClearPendingEvents();
            db.Tickets.Add(ticket);
            if (DeliberatelyEscalated.TryGetValue(s.Subject, out var reason))
                DemoEscalation(ticket, reason.Code, reason.Detail);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Two tickets the demo shows escalated from the start (a threat to go to the regulator; a caller who asked for a supervisor).</summary>
    private static readonly Dictionary<string, (string Code, string Detail)> DeliberatelyEscalated = new()
    {
        ["投诉：退款迟迟不到账，要向消协投诉"] = ("triage_threat", "消费者协会"),
        ["投诉：客服态度恶劣"] = ("customer_asked_for_supervisor", "电话中要求主管回电"),
    };

    /// <summary>
    /// Written as if it had happened before this start: the timeline entry and the escalation columns,
    /// without notices, mail or a level-3 step (the ticket stays at level 2 until a supervisor clears it).
    /// </summary>
    private void DemoEscalation(Ticket ticket, string reason, string detail)
    {
        var at = ticket.UpdatedAt.AddMinutes(5);
        ticket.RecordEscalation(EscalationEventKind.Escalated, EscalationLevel.None, EscalationLevel.Level2, reason, detail, at);
        var entry = db.Entry(ticket);
        entry.Property(SlaColumns.EscalationLevel).CurrentValue = (int)EscalationLevel.Level2;
        entry.Property(SlaColumns.IsEscalated).CurrentValue = true;
        entry.Property(SlaColumns.EscalatedSince).CurrentValue = at;
        entry.Property(SlaColumns.Reasons).CurrentValue = reason;
    }
}
