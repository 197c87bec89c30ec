using System.Net;
using System.Text.Json;
using Helpdesk.Core.Scripts;
using Helpdesk.Core.Tickets;
using Helpdesk.Data;
using Helpdesk.Web.Scripts;
using Helpdesk.Web.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpdesk.Web.Tests.Scripts;

/// <summary>/api/scripts and /api/forbidden-phrases: the library, its validation, approval and history, the guard on ticket replies.</summary>
public sealed class ScriptsApiTests(HelpdeskServer server) : IClassFixture<HelpdeskServer>
{
    private const string StandardGreeting = "您好，欢迎咨询{company}客户服务，客服代表{agent.name}很高兴为您服务，请问有什么可以帮助您？";

    private Task<StaffClient> Agent1 => server.StaffAsync(Demo.Agent1);
    private Task<StaffClient> Agent2 => server.StaffAsync(Demo.Agent2);
    private Task<StaffClient> Supervisor => server.StaffAsync(Demo.Supervisor);
    private Task<StaffClient> Admin => server.StaffAsync(Demo.Admin);

    private T Db<T>(Func<HelpdeskDbContext, T> read)
    {
        using var scope = server.Services.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<HelpdeskDbContext>());
    }

    private static async Task<T> Expect<T>(HttpResponseMessage response, HttpStatusCode status)
    {
        await response.ShouldBeAsync(status);
        return await response.ReadAsync<T>();
    }

    private static async Task<ScriptDto> CreateAsync(StaffClient client, object body)
    {
        var response = await client.PostJsonAsync("/api/scripts", body);
        await response.ShouldBeAsync(HttpStatusCode.Created);
        return await response.ReadAsync<ScriptDto>();
    }

    [Fact]
    public async Task Every_installation_starts_with_the_standard_wording_approved_in_both_languages()
    {
        var agent = await Agent1;
        var greetings = (await agent.Http.GetFromJsonAsync<List<ScriptDto>>("/api/scripts?kind=Greeting", TestJson.Options))!;
        greetings.Should().Contain(s => s.Language == "zh-CN" && s.Text == StandardGreeting && s.Status == ScriptStatus.Approved && s.ApprovedText == StandardGreeting);
        greetings.Should().Contain(s => s.Language == "en" && s.Status == ScriptStatus.Approved);
        var all = (await agent.Http.GetFromJsonAsync<List<ScriptDto>>("/api/scripts", TestJson.Options))!;
        all.Should().Contain(s => s.Kind == ScriptKind.Closing && s.Text == "请问还有其他需要帮助的地方吗？");
        all.Should().Contain(s => s.Kind == ScriptKind.Holding && s.Text == "请稍等");
        foreach (var kind in Enum.GetValues<ScriptKind>())
        foreach (var lang in ScriptLanguages.All)
            all.Should().Contain(s => s.Kind == kind && s.Language == lang, "{0} exists in {1}", kind, lang);
        all.Where(s => s.Kind == ScriptKind.Canned).Select(s => s.Name).Should().Contain(["退换货", "物流查询", "退款进度", "Refund status"]);
        all.Single(s => s.Kind == ScriptKind.EmailAcknowledgement && s.Language == "zh-CN").Text.Should().Contain("{ticket.number}");

        var phrases = (await agent.Http.GetFromJsonAsync<List<ForbiddenPhraseDto>>("/api/forbidden-phrases", TestJson.Options))!;
        phrases.Select(p => p.Phrase).Should().Contain(["慢慢等着吧", "听不见就算了", "just wait", "not my problem"]);
        phrases.Should().OnlyContain(p => p.IsActive && !string.IsNullOrWhiteSpace(p.Suggestion));
    }

    [Fact]
    public async Task A_script_is_drafted_edited_approved_and_every_step_is_in_its_history()
    {
        var supervisor = await Supervisor;
        var name = TicketsClient.UniqueWord("退货");
        var created = await CreateAsync(supervisor, new { kind = "Canned", name, language = "zh-CN", text = "{customer.salutation}好，退货请在订单页提交。" });
        created.Status.Should().Be(ScriptStatus.Draft);
        created.ApprovedText.Should().BeNull("a new script is not used until approved");
        created.Version.Should().Be(1);

        var edit = await supervisor.Http.PutAsJsonAsync($"/api/scripts/{created.Id}", new
        {
            kind = "Canned", name, language = "zh-CN", text = "{customer.salutation}好，退货请在“我的订单”页提交申请。", expectedVersion = 1,
        });
        var edited = await Expect<ScriptDto>(edit, HttpStatusCode.OK);
        edited.Version.Should().Be(2);

        var approve = await (await Admin).PostJsonAsync($"/api/scripts/{created.Id}/approve", new { expectedVersion = 2 });
        var approved = await Expect<ScriptDto>(approve, HttpStatusCode.OK);
        approved.Status.Should().Be(ScriptStatus.Approved);
        approved.ApprovedText.Should().Be("{customer.salutation}好，退货请在“我的订单”页提交申请。");
        approved.ApprovedBy.Should().Be("管理员 Admin");

        // Editing the approved script makes a draft; the approved words stay in use until approved again.
        var again = await supervisor.Http.PutAsJsonAsync($"/api/scripts/{created.Id}", new { kind = "Canned", name, language = "zh-CN", text = "未审核的新措辞" });
        var draft = await Expect<ScriptDto>(again, HttpStatusCode.OK);
        draft.Status.Should().Be(ScriptStatus.Draft);
        draft.ApprovedText.Should().Be(approved.ApprovedText);

        var history = (await supervisor.Http.GetFromJsonAsync<List<ScriptRevisionDto>>($"/api/scripts/{created.Id}/history", TestJson.Options))!;
        history.Select(h => h.Action).Should().Equal("edited", "approved", "edited", "created");
        history[0].Should().BeEquivalentTo(new { OldText = approved.ApprovedText, NewText = "未审核的新措辞", OldStatus = ScriptStatus.Approved, NewStatus = ScriptStatus.Draft, ByName = "王主管 Wang (Supervisor)", Changes = "text" });
        history[1].Should().BeEquivalentTo(new { NewText = approved.ApprovedText, OldStatus = ScriptStatus.Draft, NewStatus = ScriptStatus.Approved, ByName = "管理员 Admin" });
        history[3].NewText.Should().Be("{customer.salutation}好，退货请在订单页提交。");
    }

    [Fact]
    public async Task A_stale_edit_a_second_approval_and_an_unknown_script_are_refused_and_change_nothing()
    {
        var supervisor = await Supervisor;
        var created = await CreateAsync(supervisor, new { kind = "Holding", name = TicketsClient.UniqueWord("hold"), language = "en", text = "Hold on." });
        var stale = await supervisor.Http.PutAsJsonAsync($"/api/scripts/{created.Id}", new { kind = "Holding", name = created.Name, language = "en", text = "Changed", expectedVersion = 7 });
        (await stale.ShouldBeRefusedAsync("stale_version")).GetProperty("detail").GetString().Should().Contain("script");

        (await supervisor.PostJsonAsync($"/api/scripts/{created.Id}/approve", new { })).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await supervisor.PostJsonAsync($"/api/scripts/{created.Id}/approve", new { })).ShouldBeRefusedAsync("already_approved");
        await (await supervisor.Http.GetAsync("/api/scripts/999999")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await supervisor.PostJsonAsync("/api/scripts/999999/approve", new { })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Db(db => db.Scripts.Single(s => s.Id == created.Id).Text).Should().Be("Hold on.");
        Db(db => db.ScriptRevisions.Count(r => r.ScriptId == created.Id)).Should().Be(2);
    }

    [Fact]
    public async Task An_unknown_placeholder_is_refused_when_saving_and_the_error_names_it()
    {
        var supervisor = await Supervisor;
        var before = Db(db => db.Scripts.Count());
        var response = await supervisor.PostJsonAsync("/api/scripts", new { kind = "Greeting", name = "bad", language = "zh-CN", text = "您好{customer.name}，订单{order.id}" });
        var problem = await response.ShouldBeInvalidAsync("text");
        var messages = problem.GetProperty("errors").GetProperty("text").EnumerateArray().Select(e => e.GetString()).ToList();
        messages.Should().HaveCount(2);
        messages[0].Should().Contain("{customer.name}");
        messages[1].Should().Contain("{order.id}");

        await (await supervisor.PostJsonAsync("/api/scripts", new { kind = "Greeting", name = "", language = "fr", text = "open {brace" }))
            .ShouldBeInvalidAsync("name", "language", "text");
        await (await supervisor.PostJsonAsync("/api/scripts", new { kind = "Nonsense", name = "x", language = "en", text = "x" }))
            .ShouldBeInvalidAsync("kind");
        await (await supervisor.PostJsonAsync("/api/scripts", new { kind = "Canned", name = "x", language = "en", text = "x", teamId = 999 }))
            .ShouldBeInvalidAsync("teamId");
        Db(db => db.Scripts.Count()).Should().Be(before, "nothing refused is stored");
    }

    [Fact]
    public async Task Agents_read_the_library_but_only_supervisors_and_admins_change_it()
    {
        var agent = await Agent1;
        (await agent.Http.GetAsync("/api/scripts")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await agent.Http.GetAsync("/api/forbidden-phrases")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await agent.PostJsonAsync("/api/scripts", new { kind = "Canned", name = "mine", language = "en", text = "hi" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var id = Db(db => db.Scripts.First().Id);
        (await agent.PostJsonAsync($"/api/scripts/{id}/approve", new { })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await agent.PostJsonAsync("/api/forbidden-phrases", new { phrase = "x", language = "en", suggestion = "y" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var anonymous = server.CreateClient();
        (await anonymous.Http.GetAsync("/api/scripts")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Preview_renders_sample_data_in_each_language_or_lists_the_unknown_placeholders()
    {
        var agent = await Agent1;
        var zh = await agent.PostJsonAsync("/api/scripts/preview", new { text = StandardGreeting + "{customer.salutation}", language = "zh-CN" });
        (await zh.ShouldBeAsync(HttpStatusCode.OK)).GetProperty("text").GetString()
            .Should().Be("您好，欢迎咨询演示商城客户服务，客服代表李娜很高兴为您服务，请问有什么可以帮助您？陈先生");
        var en = await agent.PostJsonAsync("/api/scripts/preview", new { text = "Dear {customer.salutation}, ticket {ticket.number}, {company}, {business.hours}", language = "en" });
        (await en.ShouldBeAsync(HttpStatusCode.OK)).GetProperty("text").GetString().Should().Be("Dear Ms Carter, ticket 100042, Demo Shop, business hours");

        var bad = await agent.PostJsonAsync("/api/scripts/preview", new { text = "Hi {customer.firstName} {company}", language = "en" });
        var problem = await bad.ShouldBeInvalidAsync("text");
        problem.GetProperty("unknownPlaceholders").EnumerateArray().Select(e => e.GetString()).Should().Equal("customer.firstName");
        problem.Code().Should().Be("invalid_template");
    }

    [Fact]
    public async Task Preview_and_picker_render_with_a_tickets_own_customer_and_number()
    {
        var agent = await Agent1;
        var chen = Db(db => db.Customers.Single(c => c.Name == "陈明").Id);
        var ticket = await agent.NewTicketAsync(subject: "退货咨询", customerId: chen, assigneeId: agent.Id);
        var number = ticket.Ticket.Number;
        var preview = await agent.PostJsonAsync("/api/scripts/preview", new { text = "{customer.salutation}，工单 {ticket.number}，{agent.name}", language = "zh-CN", ticketNumber = number });
        (await preview.ShouldBeAsync(HttpStatusCode.OK)).GetProperty("text").GetString().Should().Be($"陈先生，工单 {number}，李娜 Li Na");

        var picker = (await agent.Http.GetFromJsonAsync<List<RenderedScript>>($"/api/scripts/for-ticket/{number}", TestJson.Options))!;
        picker.Should().Contain(s => s.Name == "工单号" && s.Text == $"已为您登记，工单号为 {number}，处理进展我们会及时通知您。");
        picker.Should().Contain(s => s.Name == "Ticket number" && s.Text.Contains(number.ToString()));
        picker.Single(s => s.Name == "退换货").Text.Should().StartWith("陈先生好，");
        picker.Should().OnlyContain(s => !s.Text.Contains('{'), "every placeholder is filled in");
        picker.First().Kind.Should().Be(ScriptKind.Canned, "canned responses come first");

        // A ticket of another team is as unknown to the picker as to the rest of the API.
        var afterSales = await (await Agent2).NewTicketAsync(subject: "other team", teamId: Db(db => db.Teams.Single(t => t.Key == "after-sales").Id));
        (await agent.Http.GetAsync($"/api/scripts/for-ticket/{afterSales.Ticket.Number}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_composers_check_names_the_phrase_and_offers_the_approved_wording()
    {
        var agent = await Agent1;
        var check = await agent.PostJsonAsync("/api/scripts/check", new { text = "那你就慢 慢，等着吧" });
        var result = await Expect<CheckResult>(check, HttpStatusCode.OK);
        result.Allowed.Should().BeFalse();
        var match = result.Matches.Should().ContainSingle().Which;
        match.Phrase.Should().Be("慢慢等着吧");
        match.Matched.Should().Be("慢 慢，等着吧");
        match.Start.Should().Be(3);
        match.Suggestion.Should().Be("非常抱歉让您久等了，我正在加紧为您处理，请您稍等。");

        var fine = await (await agent.PostJsonAsync("/api/scripts/check", new { text = "请稍等，我马上为您处理。" })).ReadAsync<CheckResult>();
        fine.Allowed.Should().BeTrue();
        await (await agent.PostJsonAsync("/api/scripts/check", new { })).ShouldBeInvalidAsync("text");
    }

    [Fact]
    public async Task A_reply_with_a_forbidden_phrase_is_refused_with_422_and_the_ticket_is_unchanged()
    {
        var agent = await Agent1;
        var ticket = await agent.NewTicketAsync(assigneeId: agent.Id);
        var response = await agent.PostJsonAsync($"/api/tickets/{ticket.Ticket.Number}/replies", new { body = "Sorry, that is NOT my problem.", clientMessageId = "r-1" });
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        problem.Code().Should().Be("forbidden_phrase");
        problem.GetProperty("phrase").GetString().Should().Be("not my problem");
        problem.GetProperty("matched").GetString().Should().Be("NOT my problem");
        problem.GetProperty("suggestion").GetString().Should().Be("Let me find the right colleague to sort this out for you.");
        problem.GetProperty("matches").GetArrayLength().Should().Be(1);
        await agent.ShouldBeUnchangedAsync(ticket);

        // A file's caption reaches the customer too.
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]) { Headers = { ContentType = new("image/png") } }, "file", "receipt.png" },
            { new StringContent("听 不见就算了"), "text" },
        };
        var upload = await agent.Http.PostAsync($"/api/tickets/{ticket.Ticket.Number}/attachments", form);
        (await upload.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("phrase").GetString().Should().Be("听不见就算了");
        await agent.ShouldBeUnchangedAsync(ticket);

        // Internal notes do not reach the customer, and what a customer said is theirs to say.
        await agent.PostMessageAsync(ticket.Ticket.Number, "notes", "客户说“慢慢等着吧”是我们说的，需核实。");
        await agent.PostMessageAsync(ticket.Ticket.Number, "customer-messages", "你们客服让我慢慢等着吧！");
        await agent.PostMessageAsync(ticket.Ticket.Number, "replies", "非常抱歉让您久等了，我正在加紧为您处理，请您稍等。");
    }

    [Fact]
    public async Task Forbidden_phrases_are_added_edited_and_switched_off_with_history_and_the_guard_follows_at_once()
    {
        var supervisor = await Supervisor;
        var agent = await Agent1;
        var word = TicketsClient.UniqueWord("zz");
        var create = await supervisor.PostJsonAsync("/api/forbidden-phrases", new { phrase = $"{word} whatever", language = "en", suggestion = "I will look into it." });
        var phrase = await Expect<ForbiddenPhraseDto>(create, HttpStatusCode.Created);
        (await (await agent.PostJsonAsync("/api/scripts/check", new { text = $"{word.ToUpperInvariant()}   whatever!" })).ReadAsync<CheckResult>())
            .Matches.Should().ContainSingle(m => m.PhraseId == phrase.Id);

        var closing = Db(db => db.Scripts.Single(s => s.Kind == ScriptKind.Closing && s.Language == "en").Id);
        var edit = await supervisor.Http.PutAsJsonAsync($"/api/forbidden-phrases/{phrase.Id}", new { phrase = $"{word} whatever", language = "en", suggestedScriptId = closing, expectedVersion = 1 });
        await edit.ShouldBeAsync(HttpStatusCode.OK);
        (await (await agent.PostJsonAsync("/api/scripts/check", new { text = $"{word} whatever" })).ReadAsync<CheckResult>())
            .Matches.Single().Suggestion.Should().Be("Is there anything else I can help you with?", "the linked script's approved text is offered");

        var off = await supervisor.Http.PutAsJsonAsync($"/api/forbidden-phrases/{phrase.Id}", new { phrase = $"{word} whatever", language = "en", suggestedScriptId = closing, isActive = false });
        await off.ShouldBeAsync(HttpStatusCode.OK);
        (await (await agent.PostJsonAsync("/api/scripts/check", new { text = $"{word} whatever" })).ReadAsync<CheckResult>()).Allowed.Should().BeTrue();

        var history = (await agent.Http.GetFromJsonAsync<List<ForbiddenPhraseRevisionDto>>($"/api/forbidden-phrases/{phrase.Id}/history", TestJson.Options))!;
        history.Select(h => h.Action).Should().Equal("deactivated", "edited", "created");
        history[1].Should().BeEquivalentTo(new { OldSuggestion = "I will look into it.", NewSuggestion = (string?)null, Changes = "suggestion,script" });
        history[0].Should().BeEquivalentTo(new { OldActive = true, NewActive = false, ByName = "王主管 Wang (Supervisor)" });

        await (await supervisor.PostJsonAsync("/api/forbidden-phrases", new { phrase = "！！", language = "zh-CN" })).ShouldBeInvalidAsync("phrase", "suggestion");
        await (await supervisor.PostJsonAsync("/api/forbidden-phrases", new { phrase = "x", language = "en", suggestedScriptId = 99999 })).ShouldBeInvalidAsync("suggestedScriptId");
        await (await supervisor.Http.PutAsJsonAsync($"/api/forbidden-phrases/{phrase.Id}", new { phrase = "y", language = "en", suggestion = "z", expectedVersion = 1 }))
            .ShouldBeRefusedAsync("stale_version");
    }
}
