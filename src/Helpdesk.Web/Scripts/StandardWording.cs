using Helpdesk.Core.Scripts;

namespace Helpdesk.Web.Scripts;

/// <summary>
/// The standard wording every installation starts with (design §5, 规范用语), in both languages:
/// approved, language-wide, and then the company's own to edit.
/// </summary>
public static class StandardWording
{
    public sealed record Entry(ScriptKind Kind, string Name, string Language, string Text);

    public sealed record Phrase(string Text, string Language, string Suggestion);

    public static IReadOnlyList<Entry> Scripts { get; } =
    [
        new(ScriptKind.Greeting, "标准问候语", "zh-CN", "您好，欢迎咨询{company}客户服务，客服代表{agent.name}很高兴为您服务，请问有什么可以帮助您？"),
        new(ScriptKind.Greeting, "Standard greeting", "en", "Hello, welcome to {company} customer service. This is {agent.name}, happy to help. How may I help you today?"),
        new(ScriptKind.Closing, "结束语", "zh-CN", "请问还有其他需要帮助的地方吗？"),
        new(ScriptKind.Closing, "Closing question", "en", "Is there anything else I can help you with?"),
        new(ScriptKind.Holding, "请稍等", "zh-CN", "请稍等"),
        new(ScriptKind.Holding, "One moment", "en", "One moment, please."),
        new(ScriptKind.Holding, "查询中请稍等", "zh-CN", "请您稍等，我正在为您查询。"),
        new(ScriptKind.Holding, "Checking, please hold", "en", "Please bear with me for a moment while I check that for you."),
        new(ScriptKind.IdlePrompt, "询问是否在线", "zh-CN", "{customer.salutation}好，请问您还在线吗？如果还有问题，请随时告诉我。"),
        new(ScriptKind.IdlePrompt, "Still there?", "en", "Are you still there? Let me know if there is anything else I can do for you."),
        new(ScriptKind.QueueGreeting, "排队问候", "zh-CN", "您好，欢迎咨询{company}客户服务！您目前排在第{queue.position}位，请稍等，客服代表马上为您服务。"),
        new(ScriptKind.QueueGreeting, "Queue greeting", "en", "Welcome to {company} customer service! You are number {queue.position} in the queue; an agent will be with you shortly."),
        new(ScriptKind.ComplaintOpening, "投诉致歉", "zh-CN", "非常抱歉给您带来了不便，我完全理解您的心情。请您把遇到的情况详细告诉我，我一定尽全力为您处理。"),
        new(ScriptKind.ComplaintOpening, "Complaint apology", "en", "I am very sorry for the trouble this has caused you, and I completely understand how you feel. Please tell me what happened, and I will do everything I can to put it right."),
        new(ScriptKind.SurveyInvitation, "满意度邀请", "zh-CN", "感谢您的咨询！为了更好地为您服务，请您对本次服务进行评价，您的意见对我们非常重要。"),
        new(ScriptKind.SurveyInvitation, "Survey invitation", "en", "Thank you for contacting us! Please take a moment to rate this conversation; your feedback helps us serve you better."),
        new(ScriptKind.EmailAcknowledgement, "邮件自动回复", "zh-CN", "{customer.salutation}好！\n\n我们已收到您的邮件，工单号为 {ticket.number}。客服人员会在工作时间（{business.hours}）内尽快回复您；如需补充信息，直接回复本邮件即可。\n\n{company}客户服务"),
        new(ScriptKind.EmailAcknowledgement, "Email acknowledgement", "en", "Dear {customer.salutation},\n\nThank you for your email. We have registered it as ticket {ticket.number} and will reply within our business hours ({business.hours}). To add anything, simply reply to this email.\n\n{company} Customer Service"),
        new(ScriptKind.Canned, "退换货", "zh-CN", "{customer.salutation}好，商品签收后7天内支持无理由退货，15天内有质量问题可以换货。请在“我的订单”中提交退换货申请并上传商品照片，审核通过后快递员会上门取件。"),
        new(ScriptKind.Canned, "Returns and exchanges", "en", "You can return an item within 7 days of delivery for any reason, and exchange it within 15 days if it is faulty. Please file the request under \"My orders\" with a photo of the item; once approved, a courier will collect it."),
        new(ScriptKind.Canned, "物流查询", "zh-CN", "请您提供一下订单号，我马上为您查询物流信息。"),
        new(ScriptKind.Canned, "Delivery tracking", "en", "Could you give me your order number? I will check the delivery status for you right away."),
        new(ScriptKind.Canned, "退款进度", "zh-CN", "您的退款已经提交，款项会在3–5个工作日内原路退回，请您留意账户信息。"),
        new(ScriptKind.Canned, "Refund status", "en", "Your refund has been issued; it will reach your original payment method within 3–5 working days."),
        new(ScriptKind.Canned, "维修预约", "zh-CN", "请您提供设备型号和故障情况，我为您预约上门维修时间。"),
        new(ScriptKind.Canned, "Repair booking", "en", "Please tell me the model of your device and what is wrong with it, and I will book a repair visit for you."),
        new(ScriptKind.Canned, "工单号", "zh-CN", "已为您登记，工单号为 {ticket.number}，处理进展我们会及时通知您。"),
        new(ScriptKind.Canned, "Ticket number", "en", "I have logged this as ticket {ticket.number}; we will keep you posted on progress."),
        new(ScriptKind.Canned, "服务时间", "zh-CN", "我们的在线客服时间为 {business.hours}，其他时间欢迎留言，我们会尽快回复。"),
        new(ScriptKind.Canned, "Opening hours", "en", "Our chat is open {business.hours}; outside those hours please leave a message and we will get back to you."),
    ];

    public static IReadOnlyList<Phrase> ForbiddenPhrases { get; } =
    [
        new("慢慢等着吧", "zh-CN", "非常抱歉让您久等了，我正在加紧为您处理，请您稍等。"),
        new("听不见就算了", "zh-CN", "抱歉，刚才没有听清楚，麻烦您再说一遍好吗？"),
        new("这不归我管", "zh-CN", "这个问题我帮您转给负责的同事处理，请您稍等。"),
        new("我也没办法", "zh-CN", "我理解您的心情，我这就帮您想办法解决。"),
        new("just wait", "en", "Thank you for your patience; I am working on it right now."),
        new("not my problem", "en", "Let me find the right colleague to sort this out for you."),
        new("calm down", "en", "I understand how frustrating this is; let us sort it out together."),
        new("I can't help you", "en", "Let me see what I can do for you."),
    ];
}
