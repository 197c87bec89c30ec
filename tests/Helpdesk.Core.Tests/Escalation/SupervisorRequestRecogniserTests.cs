using Helpdesk.Core.Escalation;

namespace Helpdesk.Core.Tests.Escalation;

public sealed class SupervisorRequestRecogniserTests
{
    [Theory]
    [InlineData("你们这什么服务，找你们领导来！", "找你们领导")]
    [InlineData("叫主管过来", "叫主管")]
    [InlineData("我要投诉你", "我要投诉")]
    [InlineData("再不处理我就投诉你", "投诉你")]
    [InlineData("找 你们 领导", "找你们领导")]
    [InlineData("让你们经理出来说话", "经理出来")]
    [InlineData("I want to speak to a manager.", "manager")]
    [InlineData("Get me your SUPERVISOR now", "supervisor")]
    [InlineData("Please escalate this ticket", "escalate")]
    [InlineData("I will file a complaint", "file a complaint")]
    [InlineData("ＭＡＮＡＧＥＲ please", "manager")]                 // full-width letters
    [InlineData("Ｉ want to talk to your boss", "your boss")]
    public void Requests_for_a_supervisor_are_recognised(string text, string phrase)
    {
        SupervisorRequestRecogniser.Recognise(text).Should().Be(phrase);
    }

    [Theory]
    [InlineData("我的耳机坏了，请帮我看看")]
    [InlineData("我的客户经理说可以退货")]             // the customer's own account manager
    [InlineData("My account manager told me to write here")]
    [InlineData("The product manager app crashes")]
    [InlineData("Where is my parcel?")]
    [InlineData("mismanagement of stock")]               // not the word manager
    [InlineData("")]
    [InlineData(null)]
    public void Ordinary_messages_are_not_requests(string? text)
    {
        SupervisorRequestRecogniser.IsRequest(text).Should().BeFalse();
    }
}
