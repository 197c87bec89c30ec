using Helpdesk.Core.Customers;
using Helpdesk.Core.Scripts;

namespace Helpdesk.Core.Tests.Scripts;

public sealed class ScriptTemplateTests
{
    private const string Greeting = "您好，欢迎咨询{company}客户服务，客服代表{agent.name}很高兴为您服务，请问有什么可以帮助您？";

    private static readonly ScriptContext Full = new(
        CompanyName: "演示商城", AgentName: "李娜", Customer: new CustomerName("陈明", "陈", Gender.Male),
        TicketNumber: 100042, QueuePosition: 3, BusinessHours: "09:00-21:00");

    [Fact]
    public void The_standard_greeting_renders_company_and_agent_in_chinese()
    {
        ScriptTemplate.Parse(Greeting).Render("zh-CN", Full)
            .Should().Be("您好，欢迎咨询演示商城客户服务，客服代表李娜很高兴为您服务，请问有什么可以帮助您？");
    }

    [Theory]
    [InlineData("zh-CN", "{company}", "演示商城")]
    [InlineData("en", "{company}", "演示商城")]
    [InlineData("zh-CN", "{agent.name}", "李娜")]
    [InlineData("en", "{agent.name}", "李娜")]
    [InlineData("zh-CN", "{customer.salutation}", "陈先生")]
    [InlineData("en", "{customer.salutation}", "Mr 陈")]
    [InlineData("zh-CN", "{ticket.number}", "100042")]
    [InlineData("en", "{ticket.number}", "100042")]
    [InlineData("zh-CN", "{queue.position}", "3")]
    [InlineData("en", "{queue.position}", "3")]
    [InlineData("zh-CN", "{business.hours}", "09:00-21:00")]
    [InlineData("en", "{business.hours}", "09:00-21:00")]
    public void Each_placeholder_renders_its_value_in_each_language(string language, string text, string expected)
    {
        ScriptTemplate.Parse(text).Render(language, Full).Should().Be(expected);
    }

    [Theory]
    [InlineData("zh-CN", "{company}", "本公司")]
    [InlineData("en", "{company}", "our")]
    [InlineData("zh-CN", "{agent.name}", "")]
    [InlineData("en", "{agent.name}", "your agent")]
    [InlineData("zh-CN", "{customer.salutation}", "您")]
    [InlineData("en", "{customer.salutation}", "customer")]
    [InlineData("zh-CN", "{ticket.number}", "（待生成）")]
    [InlineData("en", "{ticket.number}", "(pending)")]
    [InlineData("zh-CN", "{queue.position}", "几")]
    [InlineData("en", "{queue.position}", "a few")]
    [InlineData("zh-CN", "{business.hours}", "工作时间")]
    [InlineData("en", "{business.hours}", "business hours")]
    public void Each_missing_value_falls_back_to_neutral_wording(string language, string text, string expected)
    {
        ScriptTemplate.Parse(text).Render(language, new ScriptContext()).Should().Be(expected);
    }

    [Fact]
    public void Worked_examples_with_missing_data_read_naturally()
    {
        ScriptTemplate.Parse(Greeting).Render("zh-CN", new ScriptContext())
            .Should().Be("您好，欢迎咨询本公司客户服务，客服代表很高兴为您服务，请问有什么可以帮助您？");
        ScriptTemplate.Parse("Hello, welcome to {company} customer service. This is {agent.name}, how can I help you today?")
            .Render("en", new ScriptContext())
            .Should().Be("Hello, welcome to our customer service. This is your agent, how can I help you today?");
        ScriptTemplate.Parse("Dear {customer.salutation}, we received your email (ticket {ticket.number}).")
            .Render("en", new ScriptContext(Customer: new CustomerName("Emily Carter", null, Gender.Female), TicketNumber: 100007))
            .Should().Be("Dear Ms Carter, we received your email (ticket 100007).");
        ScriptTemplate.Parse("{customer.salutation}您好，您前面还有{queue.position}位客户。")
            .Render("zh-CN", new ScriptContext(Customer: new CustomerName("访客 Visitor 1a2b3c"), QueuePosition: 2))
            .Should().Be("您您好，您前面还有2位客户。", "an anonymous visitor is addressed as 您");
    }

    [Fact]
    public void An_unknown_placeholder_is_an_error_that_names_it()
    {
        var template = ScriptTemplate.Parse("您好{customer.name}，订单{order.number}已发货，{company}");
        template.IsValid.Should().BeFalse();
        template.UnknownPlaceholders.Should().Equal("customer.name", "order.number");
        template.Errors.Should().OnlyContain(e => e.Code == "unknown_placeholder");
        template.Errors[0].Message.Should().Contain("{customer.name}").And.Contain("{agent.name}");
        template.Placeholders.Should().Equal("company");
    }

    [Fact]
    public void Doubled_braces_are_literal_and_an_unclosed_brace_is_an_error()
    {
        var literal = ScriptTemplate.Parse("格式：{{订单号}} {ticket.number}");
        literal.IsValid.Should().BeTrue();
        literal.Render("zh-CN", Full).Should().Be("格式：{订单号} 100042");

        var open = ScriptTemplate.Parse("您好 {company");
        open.IsValid.Should().BeFalse();
        open.Errors.Should().ContainSingle().Which.Code.Should().Be("unclosed_brace");
        ScriptTemplate.Parse("a { b {company}").Errors.Should().ContainSingle(e => e.Code == "unclosed_brace" && e.Position == 2);
    }

    [Fact]
    public void Spaces_inside_braces_are_forgiven_and_text_without_placeholders_is_kept_verbatim()
    {
        ScriptTemplate.Parse("{ company }").Render("zh-CN", Full).Should().Be("演示商城");
        ScriptTemplate.Parse("请稍等").Render("zh-CN", Full).Should().Be("请稍等");
        ScriptTemplate.Parse("").Render("en", Full).Should().BeEmpty();
    }

    [Theory]
    [InlineData("zh", "zh-CN")]
    [InlineData("zh-cn", "zh-CN")]
    [InlineData("zh-Hans-CN", "zh-CN")]
    [InlineData("en-GB", "en")]
    [InlineData("EN", "en")]
    [InlineData("fr", null)]
    [InlineData("", null)]
    public void Language_spellings_are_normalised(string given, string? expected)
    {
        ScriptLanguages.Normalise(given).Should().Be(expected);
    }
}
