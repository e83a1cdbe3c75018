using Microsoft.Playwright;
using Slardar.Scriptable.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Slardar.Scriptable.Tests.AdminUi;

/// <summary>With Admin:Token set, the UI asks for the token, says so when it is wrong, and sends it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TokenPromptTests(BrowserFixture browser)
{
    [Fact]
    public async Task TokenPrompt_WrongTokenIsSaidClearly_RightTokenShowsTheOverview()
    {
        await using var ui = await AdminUiSession.StartAsync(browser, [new("Admin:Token", "s3cret-token")]);

        await ui.OpenAsync("overview");
        var token = ui.Page.GetByLabel("Token", new() { Exact = true });
        var dialog = ui.Page.GetByRole(AriaRole.Dialog, new() { Name = "Admin token" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(ui.Page.Locator("#fact-version")).ToHaveCountAsync(0);

        await token.FillAsync("not-the-token");
        await token.PressAsync("Enter");
        await Expect(ui.Page.Locator("#token-error")).ToHaveTextAsync("Wrong token: the gateway answered 401 Unauthorized. Check Admin:Token and try again.");
        await Expect(dialog).ToBeVisibleAsync();
        await ui.ScreenshotAsync("token-prompt");

        await token.FillAsync("s3cret-token");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(ui.Page.Locator("#fact-version")).Not.ToBeEmptyAsync();

        // The API itself still wants the token; the page only got in by sending it.
        using var anonymous = await ui.Gateway.Admin.GetAsync("/status");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
