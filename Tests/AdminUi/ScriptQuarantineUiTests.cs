using System.Net;
using Slardar.Scriptable.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Slardar.Scriptable.Tests.AdminUi;

/// <summary>A quarantined script in the script grid: a badge, and a button that puts it back in service.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ScriptQuarantineUiTests(BrowserFixture browser)
{
    [Fact]
    public async Task ScriptGrid_QuarantinedScript_ShowsABadgeAndLiftPutsItBackInService()
    {
        await using var backend = await TestBackend.StartNamedAsync("app");
        var settings = TestGateway.Upstream("app.test", backend.Address).Append(new("Scripts:Quarantine:Failures", "1"));
        await using var ui = await AdminUiSession.StartAsync(browser, settings);
        Assert.Equal(200, (await ui.Gateway.AdminAsync(HttpMethod.Post, "/script/app.test", "if (Request.Path == \"/loop\") { while (true) { } }")).Status);
        (await ui.Gateway.GetAsync("app.test", "/loop")).Dispose();
        using (var refused = await ui.Gateway.GetAsync("app.test"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        await ui.OpenAsync("scripts");
        var cell = ui.Page.Locator("td[data-phase='rewrite']").First;
        await Expect(cell.Locator(".badge.quarantined")).ToHaveTextAsync("quarantined");
        await ui.ScreenshotAsync("script-grid-quarantined");
        await cell.Locator("#lift-app\\.test-rewrite").ClickAsync();

        await Expect(cell.Locator(".badge.quarantined")).ToHaveCountAsync(0);
        using var served = await ui.Gateway.GetAsync("app.test");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }
}
