using System.Net.Http.Headers;
using Helpdesk.Core.Chat;
using System.Text;
using System.Text.Json;
using Helpdesk.E2E.Tests.Fixtures;
using Helpdesk.E2E.Tests.Widget;
using Helpdesk.Web.Chat;
using Helpdesk.Web.Email;
using Helpdesk.Web.Tests.Fixtures;
using Helpdesk.Web.Tests.Hostile;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Helpdesk.E2E.Tests.Security;

/// <summary>
/// Issue 11 point 5, the browser's part: every XSS payload of tests/corpus/xss.txt is put into
/// every text field the consoles render (through the API, the CRM API, the chat hub, the mail
/// intake and, for team names only, the database: no endpoint renames a team), then each console
/// page that shows them is opened once. On every page no payload ran (window.__xss unset, no
/// dialog, no Content-Security-Policy violation, no page error) and payloads appear as text.
/// One app, payloads batched into few records, each page visited once.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class XssConsoleTests(BrowserFixture browser, ITestOutputHelper output) : WidgetTestBase(browser)
{
    private static IReadOnlyList<string> Payloads => HostileCorpus.Xss;
    private static string All => string.Join("\n", Payloads);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    private static async Task OkAsync(Task<HttpResponseMessage> call, string what)
    {
        using var response = await call;
        response.IsSuccessStatusCode.Should().BeTrue("{0} is accepted: {1}", what, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Payloads that fit <paramref name="max"/>, cycled to give <paramref name="count"/> of them.</summary>
    private static string Pick(int index, int max = 200) { var fit = HostileCorpus.XssUpTo(max).ToList(); return fit[index % fit.Count]; }

    public override async Task InitializeAsync()
    {
        // Acknowledgements would need an SMTP server; the mail here is about what the consoles show.
        Server.Settings.AddRange(["Email:Acknowledgement:Enabled=false", "Chat:MessageBurst=1000", "Chat:MessagesPerSecond=1000"]);
        await base.InitializeAsync();
    }

    private sealed record Seeded(long AllFieldsTicket, long MailTicket, long ChatTicket, long CustomerId, IReadOnlyList<string> Subjects, string StaffName, string TeamName,
        string SurveyToken, string SurveyComment);

    [Fact]
    public async Task No_payload_runs_on_any_console_page_and_each_shows_as_text()
    {
        Payloads.Should().HaveCountGreaterThanOrEqualTo(40);
        var agentHub = await OnlineAgentAsync();
        var seeded = await SeedAsync(agentHub);

        var pages = new (string Email, string Path, string[] Shows)[]
        {
            ("agent1@demo.local", "/agent/#view=open", [seeded.Subjects[0], seeded.Subjects[5]]),
            ("agent1@demo.local", $"/agent/#view=open&ticket={seeded.AllFieldsTicket}", [Payloads[9], Payloads[20]]),
            ("agent1@demo.local", $"/agent/#view=open&ticket={seeded.MailTicket}", []),
            ("agent1@demo.local", $"/agent/#view=mine&ticket={seeded.ChatTicket}", [Payloads[14]]),
            ("agent1@demo.local", $"/agent/customer.html?id={seeded.CustomerId}", [Pick(3)]),
            ("agent1@demo.local", "/agent/handover.html", []),
            ("supervisor@demo.local", "/supervisor/", []),
            ("supervisor@demo.local", "/supervisor/reports.html", []),
            ("supervisor@demo.local", "/supervisor/handover.html", []),
            ("admin@demo.local", "/admin/", [seeded.StaffName]),
            ("admin@demo.local", "/admin/scripts.html", []),
            ("admin@demo.local", "/admin/mail.html", []),
            ("admin@demo.local", "/admin/crm.html", []),
            // The customer's own survey page shows their earlier answer, comment included.
            ("", "/survey/" + Uri.EscapeDataString(seeded.SurveyToken), [seeded.SurveyComment]),
        };
        var failures = new List<string>();
        foreach (var (email, path, shows) in pages)
            failures.AddRange(await VisitAsync(email, path, shows));

        // The widget: the shopper's own messages and the agent's, both full of payloads.
        failures.AddRange(await WidgetAsync(agentHub));

        foreach (var f in failures) output.WriteLine(f);
        failures.Should().BeEmpty();

        // The watch itself works: markup put in as HTML (what a rendering bug does) is caught.
        var control = await PageAsAsync(Demo.Admin);
        await control.GotoAsync("/admin/");
        await control.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await control.EvaluateAsync("html => document.body.insertAdjacentHTML('beforeend', html)", Payloads.First(p => p.Contains("onerror")));
        await Expect(control.Locator("body")).ToHaveCountAsync(1);
        await control.WaitForTimeoutAsync(500);
        (await RanAsync(control, "control")).Should().NotBeEmpty("an inline handler injected as HTML is reported, so a clean run means something");
    }

    // ---- seeding ---------------------------------------------------------------------------------

    private async Task<Seeded> SeedAsync(ChatConnection agentHub)
    {
        var admin = await Server.StaffAsync(Demo.Admin);
        var agent = await Server.StaffAsync(Demo.Agent1);
        var supervisor = await Server.StaffAsync(Demo.Supervisor);

        // Staff display name and a team name.
        var agent2Id = Db(db => db.Users.Single(u => u.Email == Demo.Agent2).Id);
        var staffName = Pick(7, 100);
        await OkAsync(admin.Http.PutAsJsonAsync($"/api/admin/staff/{agent2Id}", new { displayName = staffName }), "a display name");
        var teamName = Pick(14, 100);
        Db(db => { var team = db.Teams.OrderBy(t => t.Id).First(); team.Name = teamName; team.NameZh = Pick(15, 100); return db.SaveChanges(); });

        // CRM customers: every text field of the record, contacts too.
        var key = await IssueKeyAsync(admin);
        using var crm = new HttpClient { BaseAddress = Server.BaseAddress };
        crm.DefaultRequestHeaders.Add("X-Api-Key", key);
        long customerId = 0;
        for (var i = 0; i < 6; i++)
        {
            var response = await crm.PutAsJsonAsync($"/api/crm/customers/xss-{i}", new
            {
                name = Pick(3 + i), surname = Pick(i, 50), email = $"xss{i}@example.cn", phone = Pick(i, 40), mobile = Pick(i + 1, 40),
                region = Pick(i, 20), accountManager = Pick(i + 2, 100), companyGroup = Pick(i + 3, 200),
                contacts = new[] { new { externalId = $"c-{i}", name = Pick(i + 4, 100), position = Pick(i + 5, 100), notes = All[..Math.Min(All.Length, 2000)] } },
            });
            response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
            if (i == 0) customerId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        }
        await OkAsync(agent.Http.PostAsJsonAsync($"/api/customers/{customerId}/interactions", new { place = Pick(1), summary = Pick(2), details = Cut(All, 4000), notes = Cut(All, 2000) }), "an interaction");

        // One ticket per payload (subjects fill the list), with tags; one ticket carrying everything else.
        var subjects = new List<string>();
        var agent1Id = agent.Id;
        for (var i = 0; i < Payloads.Count; i++)
        {
            var subject = Payloads[i].Length <= 200 ? Payloads[i] : Payloads[i][..200];
            var tag = Pick(i, 40);
            var response = await agent.Http.PostAsJsonAsync("/api/tickets", new
            {
                subject, type = "Inquiry", channel = "Phone", description = Payloads[i], customerId = i % 3 == 0 ? customerId : (long?)null,
                assigneeId = i % 2 == 0 ? agent1Id : agent2Id, tags = new[] { tag },
            });
            response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
            subjects.Add(subject);
        }
        var all = await agent.Http.PostAsJsonAsync("/api/tickets", new { subject = "XSS all fields " + Payloads[9], type = "Complaint", channel = "Phone", description = All, customerId, assigneeId = agent1Id });
        all.IsSuccessStatusCode.Should().BeTrue(await all.Content.ReadAsStringAsync());
        var allNumber = (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetProperty("number").GetInt64();
        await OkAsync(agent.Http.PostAsJsonAsync($"/api/tickets/{allNumber}/notes", new { body = All }), "a note");
        await OkAsync(agent.Http.PostAsJsonAsync($"/api/tickets/{allNumber}/customer-messages", new { body = All }), "a logged customer message");
        (await agent.Http.PostAsJsonAsync($"/api/tickets/{allNumber}/replies", new { body = "回复 " + string.Join(" ", Payloads.Take(20)) })).StatusCode
            .Should().BeOneOf(System.Net.HttpStatusCode.OK, System.Net.HttpStatusCode.Created, System.Net.HttpStatusCode.UnprocessableEntity, System.Net.HttpStatusCode.BadRequest);
        foreach (var name in Payloads.Take(8))
        {
            using var form = new MultipartFormDataContent();
            var png = new ByteArrayContent(TestFiles.Png(4, 4, (200, 30, 30))) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } };
            // filename* (RFC 5987) carries any character, quotes and angle brackets included.
            png.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileNameStar = name + ".png" };
            form.Add(png);
            form.Add(new StringContent(name), "text");
            await OkAsync(agent.Http.PostAsync($"/api/tickets/{allNumber}/attachments", form), "a file named " + name);
        }

        // Scripts (name and text), a handover, and a quarantined mail's subject and sender.
        // Braces are placeholders in a script: the payloads without them.
        var scriptText = string.Join(" ", Payloads.Where(p => !p.Contains('{') && !p.Contains('}')).Take(30));
        await OkAsync(supervisor.Http.PostAsJsonAsync("/api/scripts", new { kind = "Holding", name = Pick(4, 100), language = "en", text = Cut(scriptText, 1000) }), "a script");
        await OkAsync(agent.Http.PostAsJsonAsync("/api/handovers", new { text = Cut(All, 2000) }), "a handover");
        using (var scope = Server.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<MailQuarantine>().RecordAsync("support", 1, "xss@corpus.test", Pick(5), Pick(6), Pick(8), "Quarantine", default);

        // Mail through the intake: the corpus mails with hostile file names and HTML, and one with payloads in subject, sender name and HTML.
        var html = "<html><body>" + All + "</body></html>";
        var crafted = Encoding.UTF8.GetBytes(
            $"From: =?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(Pick(10, 100)))}?= <xss-mail@example.cn>\r\nTo: support@test.local\r\n" +
            $"Subject: =?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes("Mail " + Pick(11, 150)))}?=\r\nMessage-ID: <xss-crafted@corpus.test>\r\nMIME-Version: 1.0\r\n" +
            $"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{Convert.ToBase64String(Encoding.UTF8.GetBytes(html), Base64FormattingOptions.InsertLineBreaks)}\r\n");
        long mailTicket = 0;
        uint uid = 100;
        foreach (var raw in new[] { crafted, HostileCorpus.Mails.Single(m => m.Name.StartsWith("21-")).Raw, HostileCorpus.Mails.Single(m => m.Name.StartsWith("22-")).Raw })
        {
            using var scope = Server.Services.CreateScope();
            var taken = await scope.ServiceProvider.GetRequiredService<EmailIntake>().TakeAsync("support", uid++, MailReader.Read(raw, 10_000_000), default);
            if (mailTicket == 0) mailTicket = taken.TicketNumber!.Value;
        }

        // A chat: the visitor's name and messages, the agent's messages.
        var visitor = Track(await ChatConnection.VisitorAsync(Server));
        var chat = await visitor.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.StartChat), new StartChatRequest(Payloads[14], Guid.NewGuid().ToString("N"), Pick(12, 100), null, "en"));
        await agentHub.Hub.InvokeAsync<ChatStarted>(nameof(ChatHub.Accept), (await agentHub.NextAsync<ChatOfferNotice>(nameof(IChatClient.Offer), timeoutSeconds: 15)).TicketNumber);
        foreach (var chunk in Payloads.Chunk(15))
        {
            await visitor.Hub.InvokeAsync<ChatAck>(nameof(ChatHub.Send), new SendChatMessage(chat.TicketNumber, Guid.NewGuid().ToString("N"), string.Join("\n", chunk)));
            await AgentSaysAsync(agentHub, chat.TicketNumber, string.Join("\n", chunk));
        }
        // A survey answered with a payload comment (the ticket is resolved; the token is the one the invitation carries).
        var surveyed = await agent.Http.PostAsJsonAsync("/api/tickets", new { subject = "Survey", type = "Inquiry", channel = "Phone", customerId, assigneeId = agent1Id });
        var surveyedNumber = (await surveyed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetProperty("number").GetInt64();
        await OkAsync(agent.Http.PostAsJsonAsync($"/api/tickets/{surveyedNumber}/status", new { status = "Resolved" }), "resolving");
        var survey = await Eventually.GetAsync(() => Task.FromResult(Db(db => db.Surveys.FirstOrDefault(s => s.TicketNumber == surveyedNumber))), "the survey");
        string token;
        using (var scope = Server.Services.CreateScope())
            token = scope.ServiceProvider.GetRequiredService<Helpdesk.Web.Surveys.SurveyIssuer>().TokenFor(survey);
        var comment = Pick(9, 500);
        await OkAsync(Server.CreateClient().Http.PostAsJsonAsync("/api/surveys/answer", new { token, score = 2, solved = false, comment }), "a survey answer");
        return new Seeded(allNumber, mailTicket, chat.TicketNumber, customerId, subjects, staffName, teamName, token, comment);
    }

    private async Task<string> IssueKeyAsync(StaffClient admin)
    {
        var response = await admin.Http.PostAsJsonAsync("/api/admin/api-keys", new { name = "xss", scope = "ReadWrite" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    // ---- the browser ------------------------------------------------------------------------------

    /// <summary>Records what a payload would cause if it ran: CSP violations (inline handlers, javascript: URLs, injected scripts).</summary>
    private const string Watcher = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', e =>
            window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
        """;

    /// <summary>A page signed in as <paramref name="email"/>, or anonymous for an empty one.</summary>
    private async Task<IPage> PageAsAsync(string email)
    {
        var context = await ContextAsync("en-US");
        await context.AddInitScriptAsync(Watcher);
        if (email.Length > 0)
        {
            var client = await Server.StaffAsync(email);
            var cookies = client.Cookies.GetCookies(Server.BaseAddress).Cast<System.Net.Cookie>().Where(c => c.Name == "helpdesk.staff")
                .Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = Server.BaseAddress.ToString() }).ToList();
            await context.AddCookiesAsync(cookies);
        }
        var page = await context.NewPageAsync();
        Watch(page);
        return page;
    }

    private async Task<List<string>> VisitAsync(string email, string path, string[] shows)
    {
        var page = await PageAsAsync(email);
        var dialogs = Dialogs.Count;
        await page.GotoAsync(path);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        if (!path.StartsWith("/survey/", StringComparison.Ordinal))
            await Expect(page.Locator("#lang-switch")).Not.ToBeEmptyAsync();
        var failures = new List<string>();
        foreach (var text in shows)
        {
            try { await Expect(page.Locator("body")).ToContainTextAsync(text.Trim()); }
            catch (PlaywrightException) { failures.Add($"{path}: the payload is not shown as text: {text}"); }
        }
        // Give late renders (lists, timelines, images that fail to load) a moment to do their worst.
        await page.WaitForTimeoutAsync(500);
        failures.AddRange(await RanAsync(page, path));
        if (Dialogs.Count > dialogs) failures.Add($"{path}: a dialog opened: {string.Join(" | ", Dialogs.Skip(dialogs))}");
        output.WriteLine($"visited {path[..Math.Min(path.Length, 60)]} as {(email.Length > 0 ? email : "anonymous")}");
        await page.Context.CloseAsync();
        return failures;
    }

    private static async Task<List<string>> RanAsync(IPage page, string where)
    {
        var failures = new List<string>();
        var xss = await page.EvaluateAsync<JsonElement>("() => window.__xss === undefined ? null : String(window.__xss)");
        if (xss.ValueKind != JsonValueKind.Null) failures.Add($"{where}: window.__xss was set to {xss}");
        var csp = await page.EvaluateAsync<string[]>("() => window.__cspViolations || []");
        failures.AddRange(csp.Select(v => $"{where}: CSP violation {v}"));
        return failures;
    }

    private async Task<List<string>> WidgetAsync(ChatConnection agentHub)
    {
        var context = await ContextAsync("en-US", 1280, 800);
        await context.AddInitScriptAsync(Watcher);
        var page = await context.NewPageAsync();
        Watch(page);
        // The console pages of agent1 opened and closed in the browser: online again on the test's own connection.
        await agentHub.Hub.InvokeAsync(nameof(ChatHub.SetPresence), PresenceStatus.Online);
        await page.GotoAsync("/demo/");
        await OpenAsync(page);
        await SendAsync(page, Payloads[0]);
        var number = await AcceptNextChatAsync(agentHub);
        foreach (var chunk in Payloads.Chunk(15))
            await AgentSaysAsync(agentHub, number, string.Join("\n", chunk));
        var failures = new List<string>();
        try
        {
            await Expect(CustomerMessage(page, Payloads[0])).ToBeVisibleAsync();
            await Expect(AgentBubbles(page).Last).ToContainTextAsync(Payloads[^1]);
        }
        catch (PlaywrightException e) { failures.Add("widget: payloads not shown as text: " + e.Message.Split('\n')[0]); }
        await page.WaitForTimeoutAsync(500);
        failures.AddRange(await RanAsync(page, "widget"));
        return failures;
    }
}
