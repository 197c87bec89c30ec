using Helpdesk.Core.Customers;

namespace Helpdesk.Core.Crm;

/// <summary>A customer as the CRM (or a CSV row) sends it. Null fields are left as they are.</summary>
public sealed record CustomerRecord
{
    public string? ExternalId { get; init; }
    public string? Name { get; init; }
    public string? Surname { get; init; }
    public string? Gender { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? Mobile { get; init; }
    public string? Region { get; init; }
    public string? Tier { get; init; }
    public int? Credit { get; init; }
    public string? AccountManager { get; init; }
    public string? CompanyGroup { get; init; }
    public List<ContactRecord>? Contacts { get; init; }
    public List<OrderRecord>? Orders { get; init; }
}

public sealed record ContactRecord(string? ExternalId, string? Name, string? Gender, string? Position, string? Phone, string? Mobile, string? Notes);

public sealed record OrderRecord(string? OrderNumber, DateTime? PlacedAt, decimal? Amount, string? Currency, string? PaymentStatus);

/// <summary>Checks and applies customer records; the same rules for the CRM API, bulk upserts and CSV rows.</summary>
public static class CustomerRecordRules
{
    private static readonly Dictionary<string, CustomerTier> Tiers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["战略合作伙伴"] = CustomerTier.StrategicPartner, ["大客户"] = CustomerTier.KeyAccount, ["合作"] = CustomerTier.Partner,
        ["重点开发客户"] = CustomerTier.DevelopmentTarget, ["普通客户"] = CustomerTier.Regular,
    };

    private static readonly Dictionary<string, PaymentStatus> Payments = new(StringComparer.OrdinalIgnoreCase)
    {
        ["未回款"] = PaymentStatus.Unpaid, ["部分回款"] = PaymentStatus.PartiallyPaid, ["已回款"] = PaymentStatus.Paid,
        ["逾期"] = PaymentStatus.Overdue, ["已退款"] = PaymentStatus.Refunded,
    };

    public const int MaxContacts = 100;
    public const int MaxOrders = 1000;

    public static string TierLabel(CustomerTier tier) => Tiers.First(t => t.Value == tier).Key;

    public static bool TryTier(string text, out CustomerTier tier) =>
        Tiers.TryGetValue(text.Trim(), out tier) || (Enum.TryParse(text.Trim(), true, out tier) && Enum.IsDefined(tier) && !int.TryParse(text, out _));

    public static bool TryGender(string text, out Gender gender)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "男": case "m": case "male": gender = Gender.Male; return true;
            case "女": case "f": case "female": gender = Gender.Female; return true;
            case "": case "未知": case "unknown": gender = Gender.Unknown; return true;
            default: gender = Gender.Unknown; return false;
        }
    }

    public static bool TryPayment(string text, out PaymentStatus status) =>
        Payments.TryGetValue(text.Trim(), out status) || (Enum.TryParse(text.Trim(), true, out status) && Enum.IsDefined(status) && !int.TryParse(text, out _));

    /// <summary>Field → messages; empty when the record can be applied. <paramref name="creating"/>: a new record needs a name.</summary>
    public static Dictionary<string, string[]> Validate(CustomerRecord r, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];
        void Max(string field, string? value, int max)
        {
            if (value is not null && value.Length > max) Add(field, $"At most {max} characters.");
        }

        if (r.ExternalId is { } ext && (ext.Length == 0 || ext.Length > 128 || ext.Any(char.IsControl)))
            Add("externalId", "An external id is 1-128 printable characters.");
        if (creating && string.IsNullOrWhiteSpace(r.Name)) Add("name", "A new customer needs a name.");
        if (r.Name is not null && r.Name.Trim().Length == 0) Add("name", "The name cannot be blank.");
        Max("name", r.Name, 200);
        Max("surname", r.Surname, 50);
        if (r.Email is { Length: > 0 } email && (!email.Contains('@') || email.Length > 256 || email.Any(char.IsWhiteSpace)))
            Add("email", $"'{email}' is not an email address.");
        Max("phone", r.Phone, 40);
        Max("mobile", r.Mobile, 40);
        Max("region", r.Region, 20);
        Max("accountManager", r.AccountManager, 100);
        Max("companyGroup", r.CompanyGroup, 200);
        if (r.Gender is not null && !TryGender(r.Gender, out _)) Add("gender", $"'{r.Gender}' is not a gender (男/女/male/female).");
        if (r.Tier is not null && !TryTier(r.Tier, out _))
            Add("tier", $"'{r.Tier}' is not a tier ({string.Join(" ", Tiers.Keys)} or {string.Join(", ", Enum.GetNames<CustomerTier>())}).");
        if (r.Credit is { } credit && credit is < 1 or > 5) Add("credit", "Credit (信用度) is 1-5.");
        if (r.Contacts is { } contacts)
        {
            if (contacts.Count > MaxContacts) Add("contacts", $"At most {MaxContacts} contacts per record.");
            for (var i = 0; i < Math.Min(contacts.Count, MaxContacts); i++)
            {
                var c = contacts[i];
                if (string.IsNullOrWhiteSpace(c.ExternalId) || c.ExternalId.Length > 128) Add($"contacts[{i}].externalId", "A contact needs its CRM id (1-128 characters).");
                if (c.Name is null || c.Name.Trim().Length == 0 || c.Name.Length > 100) Add($"contacts[{i}].name", "A contact needs a name (1-100 characters).");
                if (c.Gender is not null && !TryGender(c.Gender, out _)) Add($"contacts[{i}].gender", $"'{c.Gender}' is not a gender.");
                if (c.Notes is { Length: > 2000 }) Add($"contacts[{i}].notes", "At most 2000 characters.");
                if ((c.Position?.Length ?? 0) > 100 || (c.Phone?.Length ?? 0) > 40 || (c.Mobile?.Length ?? 0) > 40) Add($"contacts[{i}]", "Position is at most 100 characters, phone numbers 40.");
            }
        }
        if (r.Orders is { } orders)
        {
            if (orders.Count > MaxOrders) Add("orders", $"At most {MaxOrders} orders per record.");
            for (var i = 0; i < Math.Min(orders.Count, MaxOrders); i++)
            {
                var o = orders[i];
                if (string.IsNullOrWhiteSpace(o.OrderNumber) || o.OrderNumber.Length > 40) Add($"orders[{i}].orderNumber", "An order needs its number (1-40 characters).");
                if (o.Amount is < 0) Add($"orders[{i}].amount", "An amount is not negative.");
                if (o.Currency is not null && (o.Currency.Length != 3 || !o.Currency.All(char.IsAsciiLetterUpper))) Add($"orders[{i}].currency", "A currency is three capital letters (CNY).");
                if (o.PaymentStatus is not null && !TryPayment(o.PaymentStatus, out _)) Add($"orders[{i}].paymentStatus", $"'{o.PaymentStatus}' is not a payment status (回款状态).");
            }
        }
        return errors;
    }

    /// <summary>Copies the given fields; contacts and orders are upserted by their CRM id and order number (others stay).</summary>
    public static void Apply(Customer c, CustomerRecord r, DateTime now)
    {
        if (r.ExternalId is not null) c.ExternalId = r.ExternalId;
        if (r.Name is not null) c.Name = r.Name.Trim();
        if (r.Surname is not null) c.Surname = Blank(r.Surname);
        if (r.Gender is not null && TryGender(r.Gender, out var g)) c.Gender = g;
        if (r.Email is not null) c.Email = Blank(r.Email);
        if (r.Phone is not null) c.Phone = Blank(r.Phone);
        if (r.Mobile is not null) c.Mobile = Blank(r.Mobile);
        if (r.Region is not null) c.Region = Blank(r.Region);
        if (r.Tier is not null && TryTier(r.Tier, out var tier)) c.Tier = tier;
        if (r.Credit is { } credit) c.Credit = credit;
        if (r.AccountManager is not null) c.AccountManager = Blank(r.AccountManager);
        if (r.CompanyGroup is not null) c.CompanyGroup = Blank(r.CompanyGroup);
        if (c.CreatedAt == default) c.CreatedAt = now;
        foreach (var rc in r.Contacts ?? [])
        {
            var contact = c.Contacts.FirstOrDefault(x => x.ExternalId == rc.ExternalId);
            if (contact is null) c.Contacts.Add(contact = new CustomerContact { ExternalId = rc.ExternalId });
            contact.Name = rc.Name!.Trim();
            if (rc.Gender is not null && TryGender(rc.Gender, out var cg)) contact.Gender = cg;
            if (rc.Position is not null) contact.Position = Blank(rc.Position);
            if (rc.Phone is not null) contact.Phone = Blank(rc.Phone);
            if (rc.Mobile is not null) contact.Mobile = Blank(rc.Mobile);
            if (rc.Notes is not null) contact.Notes = Blank(rc.Notes);
        }
        foreach (var ro in r.Orders ?? [])
        {
            var order = c.Orders.FirstOrDefault(x => x.OrderNumber == ro.OrderNumber);
            if (order is null) c.Orders.Add(order = new CustomerOrder { OrderNumber = ro.OrderNumber!, PlacedAt = ro.PlacedAt ?? now });
            if (ro.PlacedAt is { } placed) order.PlacedAt = placed;
            if (ro.Amount is { } amount) order.Amount = amount;
            if (ro.Currency is not null) order.Currency = ro.Currency;
            if (ro.PaymentStatus is not null && TryPayment(ro.PaymentStatus, out var ps)) order.PaymentStatus = ps;
        }
    }

    private static string? Blank(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>Two records are duplicates when they share an email address (any case) or a phone number.</summary>
public static class CustomerMergeRules
{
    public static bool AreDuplicates(Customer a, Customer b)
    {
        if (a.Email is { Length: > 0 } e && string.Equals(e.Trim(), b.Email?.Trim(), StringComparison.OrdinalIgnoreCase))
            return true;
        var phonesA = Phones(a).ToHashSet();
        return Phones(b).Any(phonesA.Contains);
    }

    private static IEnumerable<string> Phones(Customer c) =>
        new[] { c.Phone, c.Mobile }.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => new string(p!.Where(char.IsDigit).ToArray())).Where(p => p.Length >= 5);

    /// <summary>Fills the survivor's empty fields from the duplicate; the survivor's own values win.</summary>
    public static void Absorb(Customer survivor, Customer duplicate)
    {
        survivor.Surname ??= duplicate.Surname;
        survivor.Email ??= duplicate.Email;
        survivor.Phone ??= duplicate.Phone;
        survivor.Mobile ??= duplicate.Mobile;
        survivor.Region ??= duplicate.Region;
        survivor.AccountManager ??= duplicate.AccountManager;
        survivor.CompanyGroup ??= duplicate.CompanyGroup;
        if (duplicate.ChurnRisk > survivor.ChurnRisk)
        {
            survivor.ChurnRisk = duplicate.ChurnRisk;
            survivor.ChurnReason = duplicate.ChurnReason;
        }
    }
}
