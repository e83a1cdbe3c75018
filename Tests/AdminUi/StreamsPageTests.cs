using System.Net;
using System.Net.Sockets;
using Slardar.Scriptable.Tests.Streams;
using Slardar.Scriptable.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Slardar.Scriptable.Tests.AdminUi;

/// <summary>The streams page: each listener of scripts.json's "streams", a port that could not be bound, open sessions live.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StreamsPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task StreamsPage_ShowsListenersTheirOpenSessionsAndAPortThatCouldNotBeBound()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen(1);
        var taken = $"127.0.0.1:{((IPEndPoint)squatter.LocalEndPoint!).Port}";
        var free = $"127.0.0.1:{DeadPeer.ReservePort()}";
        await using var backend = EchoBackend.Start();
        await using var ui = await AdminUiSession.StartAsync(browser,
            TestGateway.Upstream("redis-pool", backend.Address),
            manifest: $$"""{ "streams": { "{{free}}": { "upstream": "redis-pool" }, "{{taken}}": { "upstream": "redis-pool" } } }""");

        await ui.OpenAsync("streams");
        var listener = ui.Page.Locator($"section[data-listener='{free}']");
        await Expect(listener).ToContainTextAsync("listening");
        await Expect(listener).ToContainTextAsync("No open sessions.");
        var failed = ui.Page.Locator($"section[data-listener='{taken}']");
        await Expect(failed).ToContainTextAsync("not bound");
        await Expect(failed.Locator("[role=alert]")).ToContainTextAsync("AddressAlreadyInUse");

        using var client = await StreamClient.ConnectAsync(IPEndPoint.Parse(free));
        await client.SendAsync("hello");
        Assert.Equal("hello", await client.ReceiveAsync(5));
        await Expect(listener.Locator(".sessions-active")).ToHaveTextAsync("1 open");
        await Expect(listener.Locator("tbody tr")).ToContainTextAsync(backend.Address);
        await ui.ScreenshotAsync("streams");

        client.Dispose();
        await Expect(listener.Locator(".sessions-active")).ToHaveTextAsync("0 open");
    }
}
