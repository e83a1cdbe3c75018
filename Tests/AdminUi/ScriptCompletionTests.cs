using Microsoft.Playwright;
using Slardar.Scriptable.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Slardar.Scriptable.Tests.AdminUi;

/// <summary>The script editor completes the phase's script API (GET /script-api/&lt;phase&gt;) and the modules' types, by keyboard.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ScriptCompletionTests(BrowserFixture browser)
{
    private static ILocator Options(IPage page) => page.Locator(".cm-tooltip-autocomplete li .cm-completionLabel");

    // CodeMirror ignores Enter, Tab and arrows for 75 ms after the list opens (a key meant for the
    // text is not taken by a list that just appeared); the page's clock jumps past that, no waiting.
    private static async Task PressInListAsync(IPage page, string key)
    {
        await page.Clock.FastForwardAsync(100);
        await page.Keyboard.PressAsync(key);
    }

    [Fact]
    public async Task ScriptEditor_TypingAPrefix_OffersTheApiNames_AndAPropertyChainOffersItsTypesMembers()
    {
        await using var backend = await TestBackend.StartNamedAsync("app");
        await using var ui = await AdminUiSession.StartAsync(browser, TestGateway.Upstream("app.test", backend.Address));
        Assert.Equal(200, (await ui.Gateway.AdminAsync(HttpMethod.Post, "/module/acme.auth", "namespace Acme.Auth;\npublic static class Tokens { public static bool IsValid(string? t) => t == \"good\"; }\n")).Status);

        await ui.Page.Clock.InstallAsync();
        await ui.OpenAsync("scripts/app.test/rewrite");
        await ui.ReplaceEditorTextAsync(string.Empty);
        await ui.Page.Keyboard.TypeAsync("Req");
        await Expect(Options(ui.Page).First).ToHaveTextAsync("Request");
        await ui.ScreenshotAsync("script-editor-completion");
        await PressInListAsync(ui.Page, "Enter");
        await Expect(ui.Page.Locator(".cm-content")).ToHaveTextAsync("Request");

        // "Request." lists IScriptRequest's members; arrows move, typing filters them, Tab picks.
        await ui.Page.Keyboard.TypeAsync(".");
        await Expect(Options(ui.Page).Filter(new() { HasTextRegex = new("^Path$") })).ToHaveCountAsync(1);
        await Expect(Options(ui.Page).Filter(new() { HasTextRegex = new("^Headers$") })).ToHaveCountAsync(1);
        await Expect(Options(ui.Page).Filter(new() { HasTextRegex = new("^Request$") })).ToHaveCountAsync(0);
        var second = await Options(ui.Page).Nth(1).TextContentAsync();
        await PressInListAsync(ui.Page, "ArrowDown");
        await Expect(ui.Page.Locator(".cm-tooltip-autocomplete li[aria-selected='true'] .cm-completionLabel")).ToHaveTextAsync(second!);
        await ui.Page.Keyboard.TypeAsync("Pat");
        await Expect(Options(ui.Page).First).ToHaveTextAsync("Path");
        await PressInListAsync(ui.Page, "Tab");
        await Expect(ui.Page.Locator(".cm-content")).ToHaveTextAsync("Request.Path");

        // A module's type is offered too; Escape closes the list and leaves the text as typed.
        await ui.Page.Keyboard.PressAsync("Enter");
        await ui.Page.Keyboard.TypeAsync("Tok");
        await Expect(Options(ui.Page).First).ToHaveTextAsync("Tokens");
        await Expect(ui.Page.Locator(".cm-tooltip-autocomplete")).ToContainTextAsync("module acme.auth");
        await ui.Page.Keyboard.PressAsync("Escape");
        await Expect(ui.Page.Locator(".cm-tooltip-autocomplete")).ToHaveCountAsync(0);
        await Expect(ui.Page.Locator(".cm-line").Nth(1)).ToHaveTextAsync("Tok");

        // A chain goes on through the API's types: Request.Headers. lists IScriptHeaders' members.
        await ui.Page.Keyboard.PressAsync("Enter");
        await ui.Page.Keyboard.TypeAsync("Request.Headers.");
        await Expect(Options(ui.Page).Filter(new() { HasTextRegex = new("^Remove$") })).ToHaveCountAsync(1);
        await Expect(Options(ui.Page).Filter(new() { HasTextRegex = new("^Path$") })).ToHaveCountAsync(0);
    }
}
