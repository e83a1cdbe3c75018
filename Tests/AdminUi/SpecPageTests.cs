using Microsoft.Playwright;
using Slardar.Scriptable.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Slardar.Scriptable.Tests.AdminUi;

/// <summary>The Specs page in a real chromium: run a spec with POST /spec, read each block's result, jump to a failing block's lines.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SpecPageTests(BrowserFixture browser)
{
    // 40 comment lines first, so the failing block starts below the editor's fold and has to be scrolled to.
    private static readonly string Spec = string.Concat(Enumerable.Repeat("# padding\n", 40)) + """
        === Test 1: denied
        --- request
        GET /deny
        Host: app.test
        --- response
        403

        === Test 2: proxied to the echo
        --- request
        GET /pass
        Host: app.test
        --- response
        200

        === Test 3: fails on purpose
        --- request
        GET /deny
        Host: app.test
        --- response
        200
        """;

    [Fact]
    public async Task SpecPage_RunsTheSpec_ShowsEachBlock_AndAFailingBlockLinksToItsLines()
    {
        await using var backend = await TestBackend.StartNamedAsync("app");
        await using var ui = await AdminUiSession.StartAsync(browser, TestGateway.Upstream("app.test", backend.Address));
        Assert.Equal(200, (await ui.Gateway.AdminAsync(HttpMethod.Post, "/script/app.test", "if (Request.Path == \"/deny\") return Exit(403);")).Status);

        await ui.OpenAsync("specs");
        await ui.ReplaceEditorTextAsync(Spec);
        await ui.Page.Locator("#spec-run").ClickAsync();

        // A sandbox gateway starts for the run: longer than a page's usual wait on a loaded machine.
        await Expect(ui.Page.Locator("#spec-state")).ToHaveTextAsync("2 passed, 1 failed", new() { Timeout = 90_000 });
        await Expect(ui.Page.Locator("li.spec-block")).ToHaveCountAsync(3);
        await Expect(ui.Page.Locator("li.spec-block[data-pass='true']")).ToHaveCountAsync(2);
        var failing = ui.Page.Locator("li.spec-block[data-block='3']");
        await Expect(failing).ToHaveAttributeAsync("data-pass", "false");
        await Expect(failing.Locator(".spec-diff")).ToContainTextAsync("line 60: status");
        await Expect(failing.Locator(".spec-diff")).ToContainTextAsync("expected: 200");
        await Expect(failing.Locator(".spec-diff")).ToContainTextAsync("actual:   403");

        await failing.GetByRole(AriaRole.Button, new() { Name = "Show the lines of test 3 (lines 55–60)" }).ClickAsync();
        var marked = ui.Page.Locator(".cm-marked-line");
        await Expect(marked).ToHaveCountAsync(6);
        await Expect(marked.First).ToHaveTextAsync("=== Test 3: fails on purpose");
        await Expect(marked.First).ToBeInViewportAsync();
        await Expect(marked.Last).ToHaveTextAsync("200");
        await ui.ScreenshotAsync("spec-page");
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task SpecPage_NotASpec_SaysWhyAndShowsTheLine()
    {
        await using var ui = await AdminUiSession.StartAsync(browser);

        await ui.OpenAsync("specs");
        await ui.ReplaceEditorTextAsync("=== Test 1: a\n--- requests\nGET /\n");
        await ui.Page.Locator("#spec-run").ClickAsync();

        await Expect(ui.Page.Locator("#spec-state")).ToContainTextAsync("Not run: not a spec: ");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Show line 2" }).ClickAsync();
        await Expect(ui.Page.Locator(".cm-marked-line")).ToHaveTextAsync("--- requests");
    }
}
