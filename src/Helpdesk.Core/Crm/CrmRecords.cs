namespace Helpdesk.Core.Crm;

public enum ApiKeyScope { Read = 0, ReadWrite = 1 }

/// <summary>
/// A key the CRM calls /api/crm with. Only a SHA-256 of the secret is kept: the secret has 256
/// random bits, so a plain hash cannot be reversed by guessing and needs no slow KDF.
/// </summary>
public sealed class ApiKey
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>The public part of the key ("hdk_" + 8 characters), shown in lists and used to find the row.</summary>
    public string Prefix { get; set; } = "";
    public byte[] SecretHash { get; set; } = [];
    public ApiKeyScope Scope { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
}

/// <summary>
/// One entry of the changes feed: its id is the cursor. Written in the transaction of the change
/// it records, so a reader that sees the change sees its entry.
/// </summary>
public sealed class CustomerChange
{
    public long Id { get; set; }
    public long CustomerId { get; set; }
    public Customers.Customer? Customer { get; set; }
    public string Kind { get; set; } = CustomerChangeKinds.Updated;
    public DateTime At { get; set; }
}

public static class CustomerChangeKinds
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Merged = "merged";
}

public sealed class WebhookSubscription
{
    public int Id { get; set; }
    public string Url { get; set; } = "";
    /// <summary>The HMAC key. Kept readable (the signature needs it), shown to admins only when set.</summary>
    public string Secret { get; set; } = "";
    /// <summary>Event names, comma separated (<see cref="WebhookEvents.All"/>).</summary>
    public string Events { get; set; } = "";
    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }

    public bool Wants(string eventName) => Active && Events.Split(',').Contains(eventName);
}

public enum WebhookDeliveryStatus { Pending = 0, Sending = 1, Delivered = 2, Failed = 3 }

/// <summary>
/// The outbox: one event for one subscriber. Written with the change it announces; a Hangfire job
/// sends it. <see cref="Id"/> is the delivery id the receiver dedupes on: it never changes across tries.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public int SubscriptionId { get; set; }
    public string Event { get; set; } = "";
    /// <summary>The customer the event is about; its id is known only after the insert, so the body is composed at the first try.</summary>
    public long? CustomerId { get; set; }
    public Customers.Customer? Customer { get; set; }
    public string? Payload { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    /// <summary>While Sending: when the claim expires (a node that died mid-try).</summary>
    public DateTime? LeaseUntil { get; set; }
    public int Attempts { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTime? DeliveredAt { get; set; }
}

public static class WebhookEvents
{
    public const string CustomerUpdated = "customer.updated";
    public const string TicketCreated = "ticket.created";
    public const string TicketResolved = "ticket.resolved";
    public const string SurveyAnswered = "survey.answered";
    public const string CustomerChurnRisk = "customer.churn_risk";

    public static IReadOnlyList<string> All { get; } = [CustomerUpdated, TicketCreated, TicketResolved, SurveyAnswered, CustomerChurnRisk];
}
