using Helpdesk.Core.Customers;
using Helpdesk.Core.Tickets;
using Helpdesk.Core.Triage;

namespace Helpdesk.Core.Tests.Triage;

public sealed class TriageEngineTests
{
    private static readonly TriageEngine Engine = TriageEngine.Compile(7, TriageRuleSet.Defaults);

    private static TriageOutcome Classify(string text, CustomerTier? tier = null, int earlier = 0) =>
        Engine.Classify(new TriageInput(text, tier, earlier));

    [Theory]
    [InlineData("退款拖了一个月，再不退我就打12315投诉你们。")]
    [InlineData("再不处理我就向消费者协会反映，并且找媒体曝光。")]
    [InlineData("My lawyer will be in touch.")]
    [InlineData("I will file a chargeback with my bank.")]
    public void Regulator_media_and_legal_threats_are_flagged_and_make_a_complaint(string text)
    {
        var r = Classify(text);
        r.Flags.Should().HaveFlag(TriageFlags.RegulatorOrMediaThreat);
        r.Type.Should().Be(TicketType.Complaint);
        r.Fired.Should().Contain(f => f.RuleId == "flag.threat" && f.Spans.Count > 0);
    }

    [Fact]
    public void A_mention_of_issue_inside_a_word_is_not_a_threat_to_sue() =>
        Classify("I have an issue with the login page").Flags.Should().NotHaveFlag(TriageFlags.RegulatorOrMediaThreat);

    [Theory]
    [InlineData("你们这些骗子，垃圾公司")]
    [InlineData("Your staff are incompetent idiots.")]
    public void Abuse_is_flagged(string text) => Classify(text).Flags.Should().HaveFlag(TriageFlags.AbusiveLanguage);

    [Fact]
    public void A_drum_washing_machine_is_not_abuse() =>
        Classify("滚筒洗衣机怎么清洗滤网？").Flags.Should().NotHaveFlag(TriageFlags.AbusiveLanguage);

    [Theory]
    [InlineData("请问退款几天到账？")]
    [InlineData("I want compensation for the damage.")]
    [InlineData("多扣了我199元")]
    [InlineData("You charged me $45 twice")]
    public void Money_at_stake_is_flagged(string text) => Classify(text).Flags.Should().HaveFlag(TriageFlags.MoneyAtStake);

    [Fact]
    public void Important_customer_comes_from_the_crm_tier()
    {
        Classify("请问发票怎么开？", CustomerTier.StrategicPartner).Flags.Should().HaveFlag(TriageFlags.ImportantCustomer);
        Classify("请问发票怎么开？", CustomerTier.KeyAccount).Flags.Should().HaveFlag(TriageFlags.ImportantCustomer);
        Classify("请问发票怎么开？", CustomerTier.Regular).Flags.Should().NotHaveFlag(TriageFlags.ImportantCustomer);
        Classify("请问发票怎么开？").Flags.Should().NotHaveFlag(TriageFlags.ImportantCustomer);
    }

    [Fact]
    public void Repeat_complainant_is_the_second_complaint_within_thirty_days()
    {
        const string complaint = "快递员态度很差，把东西扔在门口。";
        Classify(complaint, earlier: 0).Flags.Should().NotHaveFlag(TriageFlags.RepeatComplainant);
        Classify(complaint, earlier: 1).Flags.Should().HaveFlag(TriageFlags.RepeatComplainant);
        Classify("请问几点发货？", earlier: 1).Flags.Should().NotHaveFlag(TriageFlags.RepeatComplainant, "an inquiry is not a second complaint");
        Classify("请问几点发货？", earlier: 2).Flags.Should().HaveFlag(TriageFlags.RepeatComplainant, "two earlier complaints are a repeat complainant");
    }

    [Fact]
    public void Negated_complaint_word_is_not_a_complaint()
    {
        var r = Classify("我不是要投诉，只是想问一下退款进度。");
        r.Type.Should().Be(TicketType.Inquiry);
        r.Fired.Should().Contain(f => f.RuleId == "complaint.explicit" && f.Negated && f.Weight == 0)
            .Which.Spans.Should().ContainSingle(s => s.Text == "投诉");
    }

    [Fact]
    public void Not_satisfied_is_negative_and_not_dissatisfied_is_mildly_positive()
    {
        Classify("我不满意").Sentiment.Should().BeLessThan(0);
        Classify("我很满意").Sentiment.Should().BeGreaterThan(0);
        // 不是不满意: two negators cancel; the result is "not dissatisfied", mild and never negative.
        var doubled = Classify("我不是不满意");
        doubled.Sentiment.Should().BeGreaterThan(0).And.BeLessThan(Classify("我很满意").Sentiment);
        Classify("I am not happy").Sentiment.Should().BeLessThan(0);
        Classify("not bad at all").Sentiment.Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public void Intensifier_strengthens_feeling()
    {
        Classify("非常失望").Sentiment.Should().BeLessThan(Classify("失望").Sentiment);
        Classify("very disappointed").Fired.Should().Contain(f => f.RuleId == "sentiment.negative" && f.Intensified);
    }

    [Fact]
    public void Words_that_contain_a_negator_but_do_not_negate_are_ignored()
    {
        // 不好意思 ("excuse me") and 不过 ("but") do not cancel what follows.
        Classify("不好意思，客服态度太差了").Type.Should().Be(TicketType.Complaint);
        Classify("七天无理由退货怎么申请？").Category.Should().Be(AfterSalesCategory.ReturnExchange);
    }

    [Fact]
    public void Rhetorical_negative_question_asserts()
    {
        var r = Classify("说好的返现一直没到账，这不是欺骗消费者吗？");
        r.Fired.Should().Contain(f => f.RuleId == "complaint.failure" && !f.Negated);
        r.Type.Should().Be(TicketType.Complaint);
    }

    [Fact]
    public void Chinese_needs_no_spaces_and_traditional_characters_and_full_width_letters_match()
    {
        Classify("退貨申請提交了十天都沒人處理").Category.Should().Be(AfterSalesCategory.ReturnExchange);
        var r = Classify("ＲＥＦＵＮＤ please");
        r.Category.Should().Be(AfterSalesCategory.Refund);
        r.Fired.Should().Contain(f => f.RuleId == "category.refund").Which.Spans[0].Text.Should().Be("ＲＥＦＵＮＤ", "spans quote the original text");
    }

    [Theory]
    [InlineData("鞋子尺码偏小，想换大一码", AfterSalesCategory.ReturnExchange)]
    [InlineData("空调不制冷了，想预约上门维修", AfterSalesCategory.Repair)]
    [InlineData("退款什么时候到账", AfterSalesCategory.Refund)]
    [InlineData("付款显示失败但是扣钱了", AfterSalesCategory.OrderException)]
    [InlineData("App登录收不到验证码", AfterSalesCategory.TechnicalSupport)]
    [InlineData("客服态度恶劣，直接挂电话", AfterSalesCategory.ServiceAttitude)]
    [InlineData("Can I exchange the jacket for a large?", AfterSalesCategory.ReturnExchange)]
    [InlineData("The technician never showed up for the repair", AfterSalesCategory.Repair)]
    [InlineData("How long does a refund take?", AfterSalesCategory.Refund)]
    [InlineData("Can you change the delivery address?", AfterSalesCategory.OrderException)]
    [InlineData("How do I pair the speaker over Bluetooth?", AfterSalesCategory.TechnicalSupport)]
    [InlineData("The agent was rude and hung up on me", AfterSalesCategory.ServiceAttitude)]
    [InlineData("这款净化器适合多大的房间？", AfterSalesCategory.None)]
    public void Categories(string text, AfterSalesCategory expected) => Classify(text).Category.Should().Be(expected);

    [Fact]
    public void Money_account_and_fault_complaints_are_immediate_attitude_is_deferred()
    {
        Classify("退款拖了一个月还没到账，太过分了").Handling.Should().Be(HandlingMode.Immediate);
        Classify("我的账号被盗了，你们的安全措施呢？").Handling.Should().Be(HandlingMode.Immediate);
        Classify("冰箱修了三次了还是不制冷，太失望了").Handling.Should().Be(HandlingMode.Immediate);
        Classify("客服态度很差，问两句就不耐烦").Handling.Should().Be(HandlingMode.Deferred);
    }

    [Fact]
    public void Severity_rises_with_threats_impact_and_the_customer()
    {
        Classify("请问营业时间？").Severity.Should().Be(TriageSeverity.P4);
        Classify("快递员态度很差").Severity.Should().BeOneOf(TriageSeverity.P3, TriageSeverity.P2);
        var threat = Classify("退款拖了一个月，再不退我就打12315，还要找媒体曝光！！", CustomerTier.KeyAccount, earlier: 2);
        threat.Severity.Should().Be(TriageSeverity.P1);
        threat.Priority.Should().Be(TicketPriority.Urgent);
    }

    [Fact]
    public void Explanation_lists_each_fired_rule_with_weight_and_the_words_it_matched()
    {
        var r = Classify("这已经是第三次了，退款还没到账，我要投诉！");
        r.RuleSetVersion.Should().Be(7);
        r.Fired.Should().Contain(f => f.RuleId == "complaint.explicit" && f.Weight == 2.0 && f.Spans.Any(s => s.Text == "投诉"));
        r.Fired.Should().Contain(f => f.RuleId == "category.refund" && f.Spans.Any(s => s.Text == "退款"));
        r.Fired.Should().Contain(f => f.RuleId == "complaint.repeat-count" && f.Spans.Any(s => s.Text == "第三次"));
        foreach (var f in r.Fired)
        foreach (var s in f.Spans)
            "这已经是第三次了，退款还没到账，我要投诉！".Substring(s.Start, s.Length).Should().Be(s.Text);
        r.DecidingRule(TriageTarget.Type, "Complaint").Should().Be("complaint.explicit");
    }

    [Fact]
    public void A_rule_carries_its_queue_and_priority_floor()
    {
        var set = TriageRuleSet.Defaults with
        {
            Rules = [.. TriageRuleSet.Defaults.Rules, new TriageRule { Id = "vip.recall", Kind = TriageRuleKind.Keywords, Keywords = ["召回"], Target = TriageTarget.Type, Value = "Complaint", Weight = 2, QueueKey = "recalls", Priority = TicketPriority.Urgent }],
        };
        var r = TriageEngine.Compile(2, set).Classify(new TriageInput("这个批次是不是召回了"));
        r.QueueKey.Should().Be("recalls");
        r.Priority.Should().Be(TicketPriority.Urgent);
    }

    [Fact]
    public void Empty_text_is_an_inquiry_with_no_fired_rules()
    {
        var r = Classify("");
        r.Type.Should().Be(TicketType.Inquiry);
        r.Fired.Should().BeEmpty();
        r.Sentiment.Should().Be(0);
    }
}

public sealed class TriageRuleValidatorTests
{
    private static TriageRuleSet With(TriageRule rule) => TriageRuleSet.Defaults with { Rules = [rule] };

    [Fact]
    public void The_shipped_defaults_are_valid_and_round_trip_through_json()
    {
        TriageRuleValidator.Validate(TriageRuleSet.Defaults).Should().BeEmpty();
        var again = TriageRuleSet.FromJson(TriageRuleSet.Defaults.ToJson());
        again.Rules.Select(r => r.Id).Should().Equal(TriageRuleSet.Defaults.Rules.Select(r => r.Id));
        again.ToJson().Should().Be(TriageRuleSet.Defaults.ToJson());
    }

    [Fact]
    public void A_bad_regex_is_named_with_its_rule()
    {
        var errors = TriageRuleValidator.Validate(With(new TriageRule { Id = "broken", Kind = TriageRuleKind.Pattern, Pattern = "(unclosed", Target = TriageTarget.Severity, Weight = 1 }));
        errors.Should().ContainSingle().Which.Should().BeEquivalentTo(new { RuleId = "broken", Field = "pattern" });
    }

    [Fact]
    public void Lookarounds_are_refused_because_patterns_never_backtrack()
    {
        var errors = TriageRuleValidator.Validate(With(new TriageRule { Id = "look", Kind = TriageRuleKind.Pattern, Pattern = "退款(?!成功)", Target = TriageTarget.Severity, Weight = 1 }));
        errors.Should().ContainSingle(e => e.RuleId == "look" && e.Field == "pattern");
    }

    [Fact]
    public void A_pattern_that_matches_everything_is_refused() =>
        TriageRuleValidator.Validate(With(new TriageRule { Id = "all", Kind = TriageRuleKind.Pattern, Pattern = ".*", Target = TriageTarget.Severity, Weight = 1 }))
            .Should().ContainSingle(e => e.RuleId == "all" && e.Field == "pattern");

    [Theory]
    [InlineData(TriageTarget.Type, "Angry", "value")]
    [InlineData(TriageTarget.Category, "None", "value")]
    [InlineData(TriageTarget.Flag, "ImportantCustomer", "value")]
    [InlineData(TriageTarget.Sentiment, "Complaint", "value")]
    public void Values_must_fit_the_target(TriageTarget target, string value, string field) =>
        TriageRuleValidator.Validate(With(new TriageRule { Id = "r1", Keywords = ["x"], Target = target, Value = value, Weight = 1 }))
            .Should().ContainSingle(e => e.RuleId == "r1" && e.Field == field);

    [Fact]
    public void Duplicate_ids_empty_keywords_and_wild_weights_are_refused()
    {
        var set = TriageRuleSet.Defaults with
        {
            Rules =
            [
                new TriageRule { Id = "same", Keywords = ["a"], Target = TriageTarget.Severity, Weight = 1 },
                new TriageRule { Id = "same", Keywords = [" "], Target = TriageTarget.Severity, Weight = 99 },
            ],
        };
        TriageRuleValidator.Validate(set).Select(e => (e.RuleId, e.Field)).Should().BeEquivalentTo(
            [("same", "id"), ("same", "weight"), ("same", "keywords")]);
        var act = () => TriageEngine.Compile(1, set);
        act.Should().Throw<ArgumentException>();
    }
}
