using System.Net;
using Microsoft.Playwright;
using Slardar.Scriptable.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Slardar.Scriptable.Tests.AdminUi;

/// <summary>The Modules page in a real chromium: the list with each module's users, edit with dry-run findings, a refused change, delete, rollback.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ModulesPageTests(BrowserFixture browser)
{
    private const string Auth = "namespace Acme.Auth;\n\npublic static class Tokens\n{\n    public static bool IsValid(string? token) => token == \"good\";\n}\n";

    private const string UsesAuth = "using Acme.Auth;\nif (!Tokens.IsValid(Request.Headers[\"X-Token\"])) return Exit(401);\n";

    private static async Task<HttpStatusCode> SendAsync(TestGateway gateway, string host, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = host;
        request.Headers.Add("X-Token", token);
        using var response = await gateway.Client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task ModulesPage_ListsUsers_ABreakingChangeShowsTheDependentsAndIsNotSaved_AFixSavesDeleteNamesUsers_RollbackServes()
    {
        await using var backend = await TestBackend.StartNamedAsync("app");
        await using var ui = await AdminUiSession.StartAsync(browser, TestGateway.Upstream("a.test", backend.Address).Concat(TestGateway.Upstream("b.test", backend.Address)));
        Assert.Equal(200, (await ui.Gateway.AdminAsync(HttpMethod.Post, "/module/acme.auth", Auth)).Status);
        Assert.Equal(200, (await ui.Gateway.AdminAsync(HttpMethod.Post, "/script/a.test", UsesAuth)).Status);
        Assert.Equal(200, (await ui.Gateway.AdminAsync(HttpMethod.Post, "/script/b.test/auth", UsesAuth)).Status);

        await ui.OpenAsync("modules");
        var row = ui.Page.Locator("tr[data-module='acme.auth']");
        await Expect(row).ToContainTextAsync("v1");
        await Expect(row.Locator("td.users a")).ToHaveTextAsync(["a.test/rewrite", "b.test/auth"]);
        await ui.ScreenshotAsync("modules");
        await row.GetByRole(AriaRole.Link, new() { Name = "acme.auth" }).ClickAsync();
        await Expect(ui.Page.Locator(".cm-content")).ToContainTextAsync("token == \"good\"");

        // IsValid now takes two arguments: both scripts would break at their line 2; nothing is saved.
        await ui.ReplaceEditorTextAsync(Auth.Replace("string? token)", "string? token, string realm)", StringComparison.Ordinal));
        await Expect(ui.Page.Locator("#check-state")).ToHaveTextAsync("Would break 2 scripts: see below");
        var dependent = ui.Page.Locator("#dependents li[data-script='a.test/rewrite']");
        await Expect(dependent.Locator("li.diagnostic[data-line='2']").First).ToContainTextAsync("CS7036");
        await Expect(ui.Page.Locator("#dependents li[data-script='b.test/auth']")).ToContainTextAsync("CS7036");
        await Expect(ui.Page.Locator("#module-save")).ToBeDisabledAsync();
        await ui.ScreenshotAsync("module-editor-refused");

        await ui.ReplaceEditorTextAsync(Auth.Replace("\"good\"", "\"better\"", StringComparison.Ordinal));
        await Expect(ui.Page.Locator("#check-state")).ToHaveTextAsync("Compiles: ready to save (recompiles a.test/rewrite, b.test/auth)");
        await ui.Page.Locator("#module-save").ClickAsync();
        await Expect(ui.Page.Locator("#save-message")).ToHaveTextAsync("Saved: version 2 is serving; recompiled a.test/rewrite, b.test/auth.");
        await Expect(ui.Page.Locator("#serving-version")).ToHaveTextAsync("v2");
        Assert.Equal(HttpStatusCode.OK, await SendAsync(ui.Gateway, "a.test", "better"));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(ui.Gateway, "b.test", "good"));
        await ui.ScreenshotAsync("module-editor");

        ui.Page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await ui.Page.Locator("#module-delete").ClickAsync();
        await Expect(ui.Page.Locator("#save-message")).ToContainTextAsync("Not deleted: module acme.auth is used by a.test/rewrite, b.test/auth");
        await Expect(ui.Page.Locator("#save-message a")).ToHaveTextAsync(["a.test/rewrite", "b.test/auth"]);

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Roll back to version 1" }).ClickAsync();
        await Expect(ui.Page.Locator(".versions .message")).ToContainTextAsync("Rolled back to v1: now serving as v3.");
        await Expect(ui.Page.Locator("#serving-version")).ToHaveTextAsync("v3");
        await Expect(ui.Page.Locator(".cm-content")).ToContainTextAsync("token == \"good\"");
        Assert.Equal(HttpStatusCode.OK, await SendAsync(ui.Gateway, "b.test", "good"));
    }

    [Fact]
    public async Task ModulesPage_ABadNameIsNamed_ANewNameOpensAStarter_SavedItIsListedAndAScriptCanUseIt()
    {
        await using var backend = await TestBackend.StartNamedAsync("app");
        await using var ui = await AdminUiSession.StartAsync(browser, TestGateway.Upstream("a.test", backend.Address));

        await ui.OpenAsync("modules");
        await Expect(ui.Page.Locator("main")).ToContainTextAsync("No modules yet");
        await ui.Page.GetByLabel("Module name").FillAsync("Acme/Auth");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Open editor" }).ClickAsync();
        await Expect(ui.Page.Locator("#new-module-error")).ToContainTextAsync("lower-case letters");
        await ui.Page.GetByLabel("Module name").FillAsync("acme.auth");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Open editor" }).ClickAsync();

        await Expect(ui.Page.Locator(".summary")).ToContainTextAsync("No such module yet");
        await Expect(ui.Page.Locator("#check-state")).ToHaveTextAsync("Compiles: ready to save");
        await ui.ReplaceEditorTextAsync(Auth);
        await Expect(ui.Page.Locator("#check-state")).ToHaveTextAsync("Compiles: ready to save");
        await ui.Page.Keyboard.PressAsync("Control+S");
        await Expect(ui.Page.Locator("#save-message")).ToHaveTextAsync("Saved: version 1 is serving.");
        await Expect(ui.Page.Locator("#module-users")).ToHaveTextAsync("no script");

        Assert.Equal(200, (await ui.Gateway.AdminAsync(HttpMethod.Post, "/script/a.test", UsesAuth)).Status);
        Assert.Equal(HttpStatusCode.OK, await SendAsync(ui.Gateway, "a.test", "good"));
        await Expect(ui.Page.Locator("#module-users a")).ToHaveTextAsync("a.test/rewrite");
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "← All modules" }).ClickAsync();
        await Expect(ui.Page.Locator("tr[data-module='acme.auth'] td.users")).ToHaveTextAsync("a.test/rewrite");
    }
}
