using Microsoft.Playwright;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.AdminUi;

/// <summary>A real gateway serving the built admin UI, and a browser page on its admin listener.</summary>
internal sealed class AdminUiSession : IAsyncDisposable
{
    private AdminUiSession(TestGateway gateway, IPage page)
    {
        Gateway = gateway;
        Page = page;
    }

    public TestGateway Gateway { get; }

    public IPage Page { get; }

    public string AdminUrl => Gateway.Admin.BaseAddress!.ToString().TrimEnd('/');

    public static async Task<AdminUiSession> StartAsync(BrowserFixture browser, IEnumerable<KeyValuePair<string, string?>>? settings = null, string? manifest = null, int width = 1280, int height = 800)
    {
        var values = new Dictionary<string, string?>(settings ?? []) { ["Admin:UiFolder"] = UiBuild.Dist };
        var gateway = await TestGateway.StartAsync(values, manifest);
        var page = await browser.NewPageAsync(width, height);
        return new AdminUiSession(gateway, page);
    }

    /// <summary>Opens a page of the UI by its route, e.g. "upstreams" or "scripts/app.test/rewrite".</summary>
    public async Task OpenAsync(string route) => await Page.GotoAsync($"{AdminUrl}/ui/#/{route}");

    /// <summary>Replaces the text of the page's CodeMirror editor as a user would (select all, delete, type).</summary>
    public async Task ReplaceEditorTextAsync(string text)
    {
        await Page.Locator(".cm-content").ClickAsync();
        await Page.Keyboard.PressAsync("Control+A");
        await Page.Keyboard.PressAsync("Delete");
        await Page.Keyboard.InsertTextAsync(text);
    }

    public Task ScreenshotAsync(string name) => Page.ScreenshotAsync(new PageScreenshotOptions { Path = UiBuild.Screenshot(name), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Page.Context.CloseAsync();
        await Gateway.DisposeAsync();
    }
}
