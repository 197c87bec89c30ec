using Helpdesk.E2E.Tests.Fixtures;

namespace Helpdesk.E2E.Tests.Widget;

/// <summary>One script tag on somebody else's page: isolation, language, colour, keyboard.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetEmbeddingTests(BrowserFixture browser) : WidgetTestBase(browser)
{
    private const string LauncherStyle = """
        () => {
          const b = document.querySelector('[data-helpdesk-widget]').shadowRoot.querySelector('.launcher');
          const s = getComputedStyle(b);
          const r = b.getBoundingClientRect();
          return [s.display, s.color, s.backgroundColor, s.fontSize, s.fontFamily, s.letterSpacing, s.borderTopWidth,
                  r.x, r.y, r.width, r.height].join(' | ');
        }
        """;

    [Fact]
    public async Task The_widget_lives_in_a_shadow_root_and_the_host_pages_css_cannot_change_it()
    {
        var page = await ShopperAsync("en-US");
        await Expect(Launcher(page)).ToBeVisibleAsync();
        (await page.EvaluateAsync<bool>("() => document.querySelector('[data-helpdesk-widget]').shadowRoot !== null")).Should().BeTrue();
        (await page.EvaluateAsync<int>("() => document.querySelectorAll('.launcher, .panel, .composer').length"))
            .Should().Be(0, "nothing of the widget is in the host page's DOM");
        var before = await page.EvaluateAsync<string>(LauncherStyle);

        // A hostile (or merely careless) shop stylesheet.
        await page.AddStyleTagAsync(new()
        {
            Content = """
                button { color: red !important; font-size: 40px !important; background: lime !important;
                         border: 6px solid red !important; width: 300px !important; position: static !important; }
                div, section, textarea, svg { display: none !important; }
                * { font-family: "Comic Sans MS", cursive !important; letter-spacing: 6px !important; line-height: 4 !important; }
                """,
        });
        (await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.product button')).color"))
            .Should().Be("rgb(255, 0, 0)", "the rule is live on the shop's own buttons");

        (await page.EvaluateAsync<string>(LauncherStyle)).Should().Be(before);
        await Expect(Launcher(page)).ToBeVisibleAsync();
        await OpenAsync(page);
        await Expect(Composer(page)).ToBeVisibleAsync();
        var panel = await Panel(page).BoundingBoxAsync();
        panel!.Width.Should().BeInRange(360, 380, "the panel keeps its own size");
    }

    [Fact]
    public async Task It_opens_with_the_keyboard_in_the_browsers_language_and_escape_closes_it()
    {
        var page = await ShopperAsync("zh-CN");
        await Expect(Launcher(page)).ToHaveAttributeAsync("aria-label", "打开在线客服");
        await Expect(Launcher(page)).ToHaveAttributeAsync("aria-expanded", "false");

        await Launcher(page).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(Panel(page)).ToBeVisibleAsync();
        await Expect(Composer(page)).ToBeFocusedAsync();
        await Expect(Composer(page)).ToHaveAttributeAsync("placeholder", "请输入消息…");
        await Expect(Launcher(page)).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(Host(page).Locator(".welcome")).ToContainTextAsync("您好！欢迎咨询演示商城 Demo Shop");
        foreach (var button in await Host(page).Locator(".panel button:visible").AllAsync())
            (await button.GetAttributeAsync("aria-label") ?? await button.TextContentAsync()).Should().NotBeNullOrWhiteSpace("every button has a name");

        await page.Keyboard.PressAsync("Escape");
        await Expect(Panel(page)).ToBeHiddenAsync();
        await Expect(Launcher(page)).ToBeFocusedAsync();

        // The language toggle switches every string and is remembered.
        await OpenAsync(page);
        await Host(page).Locator(".lang").ClickAsync();
        await Expect(Composer(page)).ToHaveAttributeAsync("placeholder", "Type a message…");
        await Expect(Panel(page)).ToHaveAttributeAsync("lang", "en");
        await Expect(Host(page).Locator(".lang")).ToHaveAttributeAsync("aria-label", "切换到中文");
        await Expect(Host(page).Locator(".welcome")).ToContainTextAsync("Hello! Welcome to 演示商城 Demo Shop");
        await page.ReloadAsync();
        await Expect(Panel(page)).ToBeVisibleAsync(); // it was open: it stays open across the reload
        await Expect(Composer(page)).ToHaveAttributeAsync("placeholder", "Type a message…");
    }

    [Fact]
    public async Task The_script_tags_language_and_colour_are_honoured()
    {
        var page = await ShopperAsync("zh-CN", path: "/demo/");
        // Another shop page of the same origin, with its own tag: English and a pink brand colour.
        await page.RouteAsync("**/demo/brand.html", route => route.FulfillAsync(new()
        {
            ContentType = "text/html; charset=utf-8",
            Body = """
                <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Brand</title></head>
                <body><h1>品牌页</h1>
                <script src="/widget/helpdesk-widget.js" data-site-key="demo" data-lang="en" data-color="#e91e63" async></script>
                </body></html>
                """,
        }));
        await page.GotoAsync("/demo/brand.html");
        await Expect(Launcher(page)).ToHaveAttributeAsync("aria-label", "Open chat");
        await Expect(Launcher(page)).ToHaveCSSAsync("background-color", "rgb(233, 30, 99)");
        await OpenAsync(page);
        await Expect(Host(page).Locator(".head")).ToHaveCSSAsync("background-color", "rgb(233, 30, 99)");
        await Expect(Composer(page)).ToHaveAttributeAsync("placeholder", "Type a message…");
    }
}
