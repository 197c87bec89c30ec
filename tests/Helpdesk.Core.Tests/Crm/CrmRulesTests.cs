using Helpdesk.Core.Crm;
using Helpdesk.Core.Customers;

namespace Helpdesk.Core.Tests.Crm;

public sealed class CrmRulesTests
{
    private static readonly DateTime Created = new(2026, 11, 23, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Retries_back_off_exponentially_and_stop_after_24_hours()
    {
        var first = TimeSpan.FromSeconds(30);
        var max = TimeSpan.FromHours(2);
        var day = TimeSpan.FromHours(24);
        WebhookRetry.NextAttempt(1, Created, Created, first, max, day).Should().Be(Created.AddSeconds(30));
        WebhookRetry.NextAttempt(3, Created, Created.AddMinutes(2), first, max, day).Should().Be(Created.AddMinutes(4));
        WebhookRetry.NextAttempt(20, Created, Created.AddHours(10), first, max, day).Should().Be(Created.AddHours(12), "the delay is capped at 2 hours");
        WebhookRetry.NextAttempt(25, Created, Created.AddHours(23), first, max, day).Should().BeNull("the next try would fall after the 24-hour window");
    }

    [Fact]
    public void The_signature_covers_timestamp_delivery_id_and_body()
    {
        var id = Guid.NewGuid();
        var sig = WebhookSignature.Sign("secret", 1700000000, id, "{\"a\":1}");
        sig.Should().StartWith("sha256=").And.HaveLength(7 + 64);
        WebhookSignature.Verify("secret", 1700000000, id, "{\"a\":1}", sig).Should().BeTrue();
        WebhookSignature.Verify("secret", 1700000001, id, "{\"a\":1}", sig).Should().BeFalse();
        WebhookSignature.Verify("secret", 1700000000, Guid.NewGuid(), "{\"a\":1}", sig).Should().BeFalse();
        WebhookSignature.Verify("other", 1700000000, id, "{\"a\":1}", sig).Should().BeFalse();
        WebhookSignature.Verify("secret", 1700000000, id, "{\"a\":2}", sig).Should().BeFalse();
    }

    [Fact]
    public void Churn_risk_needs_two_complaints_or_a_score_of_two_or_less()
    {
        ChurnRules.ReasonFromComplaints(1).Should().BeNull();
        ChurnRules.ReasonFromComplaints(2).Should().Be("2 complaints in 30 days");
        ChurnRules.ReasonFromSurvey(3).Should().BeNull();
        ChurnRules.ReasonFromSurvey(2).Should().Be("survey score 2");
        ChurnRules.ReasonFromSurvey(1).Should().NotBeNull();
    }

    [Fact]
    public void Records_are_checked_field_by_field_with_Chinese_and_English_values()
    {
        CustomerRecordRules.Validate(new CustomerRecord { Name = "甲", Tier = "战略合作伙伴", Gender = "女", Credit = 5 }, creating: true).Should().BeEmpty();
        CustomerRecordRules.Validate(new CustomerRecord { Name = "甲", Tier = "KeyAccount", Gender = "male" }, creating: true).Should().BeEmpty();
        var errors = CustomerRecordRules.Validate(new CustomerRecord { Tier = "3", Credit = 0, Gender = "x", Email = "a b@c" }, creating: true);
        errors.Keys.Should().BeEquivalentTo("name", "tier", "credit", "gender", "email");
        CustomerRecordRules.Validate(new CustomerRecord { Credit = 2 }, creating: false).Should().BeEmpty("an update may leave the name as it is");
        CustomerRecordRules.Validate(new CustomerRecord { Orders = [new OrderRecord("", null, -1, "rmb", "maybe")] }, creating: false).Keys
            .Should().BeEquivalentTo("orders[0].orderNumber", "orders[0].amount", "orders[0].currency", "orders[0].paymentStatus");
    }

    [Fact]
    public void Applying_a_record_twice_changes_nothing_the_second_time()
    {
        var customer = new Customer();
        var record = new CustomerRecord
        {
            Name = "乙公司", Tier = "大客户", Contacts = [new ContactRecord("c1", "张", "男", null, null, null, null)],
            Orders = [new OrderRecord("SO-1", Created, 10m, "CNY", "已回款")],
        };
        CustomerRecordRules.Apply(customer, record, Created);
        CustomerRecordRules.Apply(customer, record, Created.AddDays(1));
        customer.Contacts.Should().ContainSingle();
        customer.Orders.Should().ContainSingle().Which.PaymentStatus.Should().Be(PaymentStatus.Paid);
        customer.Tier.Should().Be(CustomerTier.KeyAccount);
        customer.CreatedAt.Should().Be(Created);
    }

    [Fact]
    public void Duplicates_share_an_email_in_any_case_or_a_phone_number_in_any_format()
    {
        var a = new Customer { Email = "Li@Example.com", Mobile = "139 1111 2222" };
        CustomerMergeRules.AreDuplicates(a, new Customer { Email = "li@example.com" }).Should().BeTrue();
        CustomerMergeRules.AreDuplicates(a, new Customer { Phone = "139-1111-2222" }).Should().BeTrue();
        CustomerMergeRules.AreDuplicates(a, new Customer { Email = "other@example.com", Phone = "010" }).Should().BeFalse();
        var survivor = new Customer { Email = "keep@x.com" };
        CustomerMergeRules.Absorb(survivor, new Customer { Email = "lose@x.com", Region = "华北", ChurnRisk = ChurnRisk.High, ChurnReason = "r" });
        survivor.Should().Match<Customer>(s => s.Email == "keep@x.com" && s.Region == "华北" && s.ChurnRisk == ChurnRisk.High);
    }
}
