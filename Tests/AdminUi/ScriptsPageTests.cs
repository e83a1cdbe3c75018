using System.Net;
using Microsoft.Playwright;
using Slardar.Scriptable.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Slardar.Scriptable.Tests.AdminUi;

/// <summary>The script editor in a real chromium: compiler diagnostics as the user types, save, versions and rollback.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ScriptsPageTests(BrowserFixture browser)
{
    private static async Task<HttpStatusCode> StatusAsync(TestGateway gateway, string path)
    {
        using var response = await gateway.GetAsync("app.test", path);
        return response.StatusCode;
    }

    [Fact]
    public async Task ScriptEditor_ErrorShowsAtItsLineAndCannotBeSaved_FixedAndSavedActsOnTheNextRequest()
    {
        await using var backend = await TestBackend.StartNamedAsync("app");
        await using var ui = await AdminUiSession.StartAsync(browser, TestGateway.Upstream("app.test", backend.Address));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(ui.Gateway, "/blocked"));

        await ui.OpenAsync("scripts/app.test/rewrite");
        await ui.ReplaceEditorTextAsync("Request.Headers[\"X-Ui\"] = \"1\";\nif (Request.Path == \"/blocked\") return Exit(undefinedThing);\n");

        var diagnostic = ui.Page.Locator("#diagnostics li[data-line='2']");
        await Expect(diagnostic).ToContainTextAsync("CS0103");
        await Expect(diagnostic).ToContainTextAsync("undefinedThing");
        await Expect(ui.Page.Locator(".cm-line").Nth(1).Locator(".cm-lintRange-error")).ToHaveCountAsync(1);
        await Expect(ui.Page.Locator(".cm-line").Nth(0).Locator(".cm-lintRange-error")).ToHaveCountAsync(0);
        await Expect(ui.Page.Locator("#check-state")).ToContainTextAsync("1 compile error");
        await Expect(ui.Page.Locator("#script-save")).ToBeDisabledAsync();
        await ui.Page.Keyboard.PressAsync("Control+S");
        await ui.ScreenshotAsync("script-editor-diagnostic");
        var (notSaved, _) = await ui.Gateway.AdminAsync(HttpMethod.Get, "/script/app.test/rewrite");
        Assert.Equal(404, notSaved);

        await ui.ReplaceEditorTextAsync("Request.Headers[\"X-Ui\"] = \"1\";\nif (Request.Path == \"/blocked\") return Exit(403);\n");
        await Expect(ui.Page.Locator("#check-state")).ToHaveTextAsync("Compiles: ready to save");
        await Expect(ui.Page.Locator("#diagnostics li")).ToHaveCountAsync(0);
        await ui.Page.Locator("#script-save").ClickAsync();
        await Expect(ui.Page.Locator("#save-message")).ToHaveTextAsync("Saved: version 1 is serving.");

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(ui.Gateway, "/blocked"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(ui.Gateway, "/open"));
        await Expect(ui.Page.Locator("#serving-version")).ToHaveTextAsync("v1");
        await ui.ScreenshotAsync("script-editor");

        ui.Page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(ui.Page.Locator("#save-message")).ToContainTextAsync("Deleted: no script runs here now");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(ui.Gateway, "/blocked"));
    }

    [Fact]
    public async Task ScriptVersions_RollbackOneClick_RestoresThePreviousVersionAndItServes()
    {
        await using var backend = await TestBackend.StartNamedAsync("app");
        await using var ui = await AdminUiSession.StartAsync(
            browser,
            TestGateway.Upstream("app.test", backend.Address),
            manifest: """{"hosts": {"*.bound.test": {"upstream": "app.test", "trusted": true}}}""");
        const string first = "if (Request.Path == \"/blocked\") return Exit(403);";
        Assert.Equal(200, (await ui.Gateway.AdminAsync(HttpMethod.Post, "/script/app.test/rewrite", first)).Status);
        Assert.Equal(200, (await ui.Gateway.AdminAsync(HttpMethod.Post, "/script/app.test/rewrite", "return Exit(418);")).Status);
        Assert.Equal((HttpStatusCode)418, await StatusAsync(ui.Gateway, "/blocked"));

        await ui.OpenAsync("scripts");
        var cell = ui.Page.Locator("tr[data-host='app.test'] td[data-phase='rewrite']");
        await Expect(cell).ToContainTextAsync("v2");
        await Expect(cell).ToContainTextAsync("compiled");
        var bound = ui.Page.Locator("tr[data-host='*.bound.test']");
        await Expect(bound.Locator("th")).ToContainTextAsync("upstream app.test · trusted");
        await Expect(bound.GetByRole(AriaRole.Link, new() { Name = "Add auth script for *.bound.test" })).ToBeVisibleAsync();
        await ui.ScreenshotAsync("scripts");
        await cell.GetByRole(AriaRole.Link).ClickAsync();

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Diff version 1" }).ClickAsync();
        await Expect(ui.Page.Locator(".diff .diff-removed")).ToContainTextAsync("Exit(403)");
        await Expect(ui.Page.Locator(".diff .diff-added")).ToContainTextAsync("Exit(418)");
        await ui.ScreenshotAsync("script-versions");

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Roll back to version 1" }).ClickAsync();
        await Expect(ui.Page.Locator(".versions .message")).ToContainTextAsync("Rolled back to v1: now serving as v3.");
        await Expect(ui.Page.Locator("#serving-version")).ToHaveTextAsync("v3");
        await Expect(ui.Page.Locator(".cm-content")).ToContainTextAsync("Exit(403)");

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(ui.Gateway, "/blocked"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(ui.Gateway, "/open"));
    }
}
