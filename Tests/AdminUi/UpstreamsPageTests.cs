using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Slardar.Scriptable.Host.Checkups.Heartbeats;
using Slardar.Scriptable.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Slardar.Scriptable.Tests.AdminUi;

/// <summary>The upstreams page in a real chromium against a real gateway and real backends.</summary>
[Collection(BrowserCollection.Name)]
public sealed class UpstreamsPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task UpstreamsPage_LivePeerAndDeadPeer_ShowOkAndErr_AndFlipWithoutReloadWhenTheDeadOneComesBack()
    {
        await using var alive = await TestBackend.StartNamedAsync("alive");
        using var flapping = new ReopenablePeer();
        await using var ui = await AdminUiSession.StartAsync(browser, TestGateway.Upstream("web.test", alive.Address, flapping.Address));
        var heartbeats = ui.Gateway.Services.GetRequiredService<HeartbeatScheduler>();
        await heartbeats.RunRoundAsync();

        await ui.OpenAsync("upstreams");
        var card = ui.Page.Locator("section[data-upstream='web.test']");
        var aliveRow = card.Locator($"tr[data-peer='{alive.Address}']");
        var flappingRow = card.Locator($"tr[data-peer='{flapping.Address}']");
        await Expect(aliveRow).ToHaveAttributeAsync("data-status", "ok");
        await Expect(flappingRow).ToHaveAttributeAsync("data-status", "err");
        await Expect(flappingRow.Locator("[data-role=status]")).ToHaveTextAsync("err");
        await Expect(flappingRow.Locator("td.msg")).ToContainTextAsync("refused", new() { IgnoreCase = true });
        await ui.ScreenshotAsync("upstreams");

        // Live: the page polls; a marker on window proves it was not reloaded.
        await ui.Page.EvaluateAsync("() => { window.__notReloaded = true; }");
        flapping.Open();
        await heartbeats.RunRoundAsync();

        await Expect(flappingRow).ToHaveAttributeAsync("data-status", "ok");
        Assert.True(await ui.Page.EvaluateAsync<bool>("() => window.__notReloaded === true"));
    }

    [Fact]
    public async Task UpstreamsPage_EjectedAndPassiveDownPeers_ShowWhyTrafficAvoidsThem()
    {
        await using var broken = await TestBackend.StartAsync(context => { context.Response.StatusCode = 500; return Task.CompletedTask; });
        await using var good = await TestBackend.StartNamedAsync("good");
        await using var other = await TestBackend.StartNamedAsync("other");
        var dead = $"127.0.0.1:{DeadPeer.ReservePort()}";
        await using var ui = await AdminUiSession.StartAsync(browser);
        var outlier = $"{{\"servers\":[{Server(broken.Port)},{Server(good.Port)},{Server(other.Port)}],\"outlier\":{{\"consecutive_5xx\":3}}}}";
        Assert.Equal(200, (await ui.Gateway.AdminAsync(HttpMethod.Post, "/upstream/out.test", outlier)).Status);
        var passive = $"{{\"servers\":[{{\"host\":\"127.0.0.1\",\"port\":{dead.Split(':')[1]},\"max_fails\":1,\"fail_timeout\":600}},{Server(good.Port)}]}}";
        Assert.Equal(200, (await ui.Gateway.AdminAsync(HttpMethod.Post, "/upstream/passive.test", passive)).Status);

        // 500 is not a retry condition by default: the broken peer answers its share, three in a row.
        for (var i = 0; i < 12; i++)
        {
            (await ui.Gateway.GetAsync("out.test")).Dispose();
        }

        // A connect error is: the dead peer fails once (max_fails 1) and the request moves on.
        for (var i = 0; i < 2; i++)
        {
            (await ui.Gateway.GetAsync("passive.test")).Dispose();
        }

        await ui.Gateway.Services.GetRequiredService<HeartbeatScheduler>().RunRoundAsync(probe: false);

        await ui.OpenAsync("upstreams");
        var ejected = ui.Page.Locator($"section[data-upstream='out.test'] tr[data-peer='{broken.Address}']");
        await Expect(ejected).ToHaveAttributeAsync("data-status", "ejected");
        await Expect(ejected.Locator("td.msg")).ToContainTextAsync("ejected 1×");
        var down = ui.Page.Locator($"section[data-upstream='passive.test'] tr[data-peer='{dead}']");
        await Expect(down).ToHaveAttributeAsync("data-status", "passive-down");
        await Expect(down.Locator("td.msg")).ToContainTextAsync("passive: down, 1 fails");
        await Expect(ui.Page.Locator($"section[data-upstream='passive.test'] tr[data-peer='{good.Address}']")).ToHaveAttributeAsync("data-status", "ok");
    }

    private static string Server(int port) => $"{{\"host\":\"127.0.0.1\",\"port\":{port}}}";

    [Fact]
    public async Task UpstreamEditor_BadPortShowsTheApiErrorAtTheField_FixedPortSavesAndRoutesTraffic()
    {
        await using var first = await TestBackend.StartNamedAsync("first");
        await using var second = await TestBackend.StartNamedAsync("second");
        await using var ui = await AdminUiSession.StartAsync(browser, TestGateway.Upstream("edit.test", first.Address));
        Assert.Equal("first", await (await ui.Gateway.GetAsync("edit.test")).Content.ReadAsStringAsync());

        await ui.OpenAsync("upstreams");
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Edit upstream edit.test" }).ClickAsync();
        var port = ui.Page.GetByLabel("Level 1, server 1, Port");
        await port.FillAsync("70000");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        var error = ui.Page.Locator(".field-error");
        await Expect(error).ToContainTextAsync("cluster[0].servers[0].port: must be an integer in 1..65535");
        await Expect(port).ToHaveAttributeAsync("aria-invalid", "true");
        await ui.ScreenshotAsync("upstream-editor-error");
        Assert.Equal("first", await (await ui.Gateway.GetAsync("edit.test")).Content.ReadAsStringAsync());

        await port.FillAsync(second.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ui.Page.GetByLabel("Level 1, server 1, Weight").FillAsync("3");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(ui.Page.Locator("#form-error")).ToContainTextAsync("Saved: version");
        await Expect(error).ToHaveCountAsync(0);

        Assert.Equal("second", await (await ui.Gateway.GetAsync("edit.test")).Content.ReadAsStringAsync());
        var (_, config) = await ui.Gateway.AdminAsync(HttpMethod.Get, "/upstream/edit.test");
        Assert.Equal(3, config!["cluster"]![0]!["servers"]![0]!["weight"]!.GetValue<int>());
        await ui.ScreenshotAsync("upstream-editor");

        // One click back to the first version: traffic returns to the first backend.
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Roll back to version 1" }).ClickAsync();
        await Expect(ui.Page.Locator("#form-error")).ToHaveTextAsync("Rolled back: version 3 is serving.");
        await Expect(ui.Page.GetByLabel("Level 1, server 1, Port")).ToHaveValueAsync(first.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("first", await (await ui.Gateway.GetAsync("edit.test")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UpstreamEditor_NewUpstreamWithTwoLevels_IsCreatedAndServes_ThenDeletedFromTheList()
    {
        await using var backend = await TestBackend.StartNamedAsync("made-in-ui");
        await using var ui = await AdminUiSession.StartAsync(browser);

        await ui.OpenAsync("upstreams");
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Add upstream" }).ClickAsync();
        await ui.Page.GetByLabel("Name").FillAsync("new.test");
        await ui.Page.GetByLabel("Level 1, server 1, Port").FillAsync(backend.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ui.Page.GetByLabel("Balancing mode").SelectOptionAsync("least_conn");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Add level" }).ClickAsync();
        await ui.Page.GetByLabel("Level 2, server 1, Host").FillAsync("127.0.0.1");
        await ui.Page.GetByLabel("Level 2, server 1, Port").FillAsync(DeadPeer.ReservePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await Expect(ui.Page.Locator("#versions-title")).ToBeVisibleAsync();
        var (_, config) = await ui.Gateway.AdminAsync(HttpMethod.Get, "/upstream/new.test");
        Assert.Equal("least_conn", config!["mode"]!.GetValue<string>());
        Assert.Equal(2, config["cluster"]!.AsArray().Count);
        Assert.Equal("made-in-ui", await (await ui.Gateway.GetAsync("new.test")).Content.ReadAsStringAsync());

        await ui.OpenAsync("upstreams");
        ui.Page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Delete upstream new.test" }).ClickAsync();
        await Expect(ui.Page.Locator("section[data-upstream='new.test']")).ToHaveCountAsync(0);
        Assert.Equal(404, (await ui.Gateway.AdminAsync(HttpMethod.Get, "/upstream/new.test")).Status);
    }
}
