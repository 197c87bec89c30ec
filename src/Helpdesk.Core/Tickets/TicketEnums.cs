namespace Helpdesk.Core.Tickets;

/// <summary>服务状态. The order is the lifecycle's order; Merged is the end of a duplicate.</summary>
public enum TicketStatus
{
    New = 0,               // 新创建
    Assigned = 1,          // 已分配 (pending handling)
    WaitingOnCustomer = 2, // 等待客户
    Resolved = 3,          // 已处理
    FeedbackReceived = 4,  // 已反馈
    Archived = 5,          // 已归档
    Merged = 6,            // 已合并 into another ticket
}

/// <summary>服务类型.</summary>
public enum TicketType
{
    Inquiry = 0,    // 咨询
    Complaint = 1,  // 投诉
    Suggestion = 2, // 建议
}

/// <summary>After-sales category (售后类别).</summary>
public enum AfterSalesCategory
{
    None = 0,
    ReturnExchange = 1,   // 退换货
    Repair = 2,           // 维修
    Refund = 3,           // 退款
    OrderException = 4,   // 订单异常 (payment failed, wrong address)
    TechnicalSupport = 5, // 技术支持
    ServiceAttitude = 6,  // 服务态度
}

public enum TicketPriority
{
    Low = 0,
    Normal = 1,
    High = 2,
    Urgent = 3,
}

public enum TicketChannel
{
    Chat = 0,
    Email = 1,
    WebForm = 2,
    Api = 3,
    Phone = 4,
}

public enum MessageKind
{
    Customer = 0,
    Agent = 1,
    System = 2,
    InternalNote = 3,
}

public enum ActorKind
{
    System = 0,
    Staff = 1,
    Customer = 2,
}
