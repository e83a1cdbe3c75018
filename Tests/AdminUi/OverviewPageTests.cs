using Slardar.Scriptable.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Slardar.Scriptable.Tests.AdminUi;

/// <summary>The overview: the gateway's facts, traffic per upstream by status class, recent admin changes; narrow windows too.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OverviewPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Overview_ShowsListenersStoreTrafficAndRecentChanges()
    {
        await using var backend = await TestBackend.StartAsync(context =>
        {
            context.Response.StatusCode = context.Request.Path == "/missing" ? 404 : 200;
            return Task.CompletedTask;
        });
        await using var ui = await AdminUiSession.StartAsync(browser);
        Assert.Equal(200, (await ui.Gateway.AdminAsync(HttpMethod.Post, "/upstream/shop.test", $"{{\"servers\":[{{\"host\":\"127.0.0.1\",\"port\":{backend.Port}}}]}}")).Status);
        for (var i = 0; i < 3; i++)
        {
            (await ui.Gateway.GetAsync("shop.test")).Dispose();
        }

        (await ui.Gateway.GetAsync("shop.test", "/missing")).Dispose();

        await ui.OpenAsync("overview");
        await Expect(ui.Page.Locator("#gateway-facts")).ToContainTextAsync(Path.Combine(ui.Gateway.Folder, "slardar.db"));
        await Expect(ui.Page.Locator("#gateway-facts")).ToContainTextAsync(ui.AdminUrl);
        var traffic = ui.Page.Locator(".traffic-row[data-upstream='shop.test']");
        await Expect(traffic).ToContainTextAsync("2xx 3, 4xx 1");

        // A rate needs traffic between two polls: send a few requests, wait for the page's next poll, until it shows one.
        for (var poll = 0; (await traffic.Locator(".traffic-summary").TextContentAsync())!.StartsWith("0/s", StringComparison.Ordinal); poll++)
        {
            Assert.True(poll < 20, "the overview never showed a request rate above 0/s");
            for (var i = 0; i < 3; i++)
            {
                (await ui.Gateway.GetAsync("shop.test")).Dispose();
            }

            await ui.Page.WaitForResponseAsync(response => response.Url.EndsWith("/overview", StringComparison.Ordinal));
        }

        await Expect(traffic.Locator("svg.chart rect.bar-2xx").First).ToBeVisibleAsync();
        await Expect(ui.Page.Locator("#audit")).ToContainTextAsync("shop.test");
        await Expect(ui.Page.Locator("#consul-title")).ToBeVisibleAsync();
        await ui.ScreenshotAsync("overview");

        // Readable on a narrow window: nothing wider than the viewport but the tables' own scrollers.
        await ui.Page.SetViewportSizeAsync(420, 800);
        await ui.OpenAsync("upstreams");
        await Expect(ui.Page.Locator("section[data-upstream='shop.test']")).ToBeVisibleAsync();
        Assert.True(await ui.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        await ui.ScreenshotAsync("upstreams-narrow");
    }
}
