namespace Helpdesk.Core.Customers;

/// <summary>客户档案: the customer record shared with the CRM (design §5).</summary>
public sealed class Customer
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>姓: used for the polite address (surname + 先生/女士).</summary>
    public string? Surname { get; set; }
    public Gender Gender { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Mobile { get; set; }
    /// <summary>地区: one of <see cref="CustomerRegions.Defaults"/> unless the company edits the list.</summary>
    public string? Region { get; set; }
    public CustomerTier Tier { get; set; } = CustomerTier.Regular;
    /// <summary>信用度 1–5.</summary>
    public int Credit { get; set; } = 3;
    public string? AccountManager { get; set; }
    public string? CompanyGroup { get; set; }
    public ChurnRisk ChurnRisk { get; set; }
    /// <summary>Why churn risk was raised (complaints in 30 days, a low survey score).</summary>
    public string? ChurnReason { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
    /// <summary>Row version (ETag): raised by every change of the record or its contacts, interactions, orders.</summary>
    public long Version { get; set; }
    /// <summary>Set on a duplicate merged into another record; its tickets and log moved there.</summary>
    public long? MergedIntoId { get; set; }
    /// <summary>The host site's own id of its signed-in user (verified by HMAC), unique per site.</summary>
    public string? ExternalId { get; set; }
    /// <summary>The anonymous chat visitor this record was made for.</summary>
    public string? VisitorId { get; set; }
    public List<CustomerContact> Contacts { get; set; } = [];
    public List<CustomerInteraction> Interactions { get; set; } = [];
    public List<CustomerOrder> Orders { get; set; } = [];
}

public enum Gender { Unknown = 0, Male = 1, Female = 2 }

/// <summary>客户等级.</summary>
public enum CustomerTier
{
    StrategicPartner = 0, // 战略合作伙伴
    KeyAccount = 1,       // 大客户
    Partner = 2,          // 合作
    DevelopmentTarget = 3,// 重点开发客户
    Regular = 4,          // 普通客户
}

public enum ChurnRisk { Low = 0, Medium = 1, High = 2 }

/// <summary>回款状态.</summary>
public enum PaymentStatus { Unpaid = 0, PartiallyPaid = 1, Paid = 2, Overdue = 3, Refunded = 4 }

public static class CustomerRegions
{
    public static IReadOnlyList<string> Defaults { get; } = ["华北", "华东", "华中", "华南", "西北", "西南", "东北"];
}

/// <summary>A contact person of a customer company.</summary>
public sealed class CustomerContact
{
    public long Id { get; set; }
    /// <summary>The CRM's id of this contact, the key of its upserts.</summary>
    public string? ExternalId { get; set; }
    public string Name { get; set; } = "";
    public Gender Gender { get; set; }
    public string? Position { get; set; }
    public string? Phone { get; set; }
    public string? Mobile { get; set; }
    public string? Notes { get; set; }
}

/// <summary>交往记录: one entry of the interaction log.</summary>
public sealed class CustomerInteraction
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string? Place { get; set; }
    public string Summary { get; set; } = "";
    public string? Details { get; set; }
    public string? Notes { get; set; }
    /// <summary>Where the entry came from: ticket, chat, agent, merge, crm.</summary>
    public string Source { get; set; } = InteractionSources.Agent;
    public long? TicketNumber { get; set; }
    public string? Author { get; set; }
}

public static class InteractionSources
{
    public const string Ticket = "ticket";
    public const string Chat = "chat";
    public const string Agent = "agent";
    public const string Merge = "merge";
    public const string Crm = "crm";
}

public sealed class CustomerOrder
{
    public long Id { get; set; }
    public string OrderNumber { get; set; } = "";
    public DateTime PlacedAt { get; set; }
    public decimal Amount { get; set; }
    public string Currency { get; set; } = "CNY";
    public PaymentStatus PaymentStatus { get; set; }
}
