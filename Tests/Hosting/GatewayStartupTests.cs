using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Host.Checkups.Heartbeats;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Hosting;

public sealed class GatewayStartupTests
{
    [Fact]
    public async Task Start_WithDemoBackend_FirstHeartbeatFindsItListening()
    {
        var demoPort = DeadPeer.ReservePort().ToString(CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:Listen"] = $"http://127.0.0.1:{demoPort}",
            ["Upstreams:demo:servers:0:host"] = "127.0.0.1",
            ["Upstreams:demo:servers:0:port"] = demoPort,
            ["Checkups:ActiveChecks"] = "true",
            ["Checkups:IntervalSeconds"] = "600",
        };
        await using var gateway = await TestGateway.StartAsync(settings, manifest: """{ "hosts": { "_": { "upstream": "demo" } } }""");
        var scheduler = gateway.Services.GetRequiredService<HeartbeatScheduler>();

        // The first round starts with the scheduler; wait (bounded) for it to finish.
        for (var i = 0; i < 500 && scheduler.LastCheckTime is null; i++)
        {
            await Task.Delay(20);
        }

        var (_, status) = await gateway.AdminAsync(HttpMethod.Get, "/status");
        var peer = status!["cls:demo"]![0]![0]!;
        Assert.Equal("ok", peer["status"]!.GetValue<string>());
        Assert.Equal(0, peer["fail_num"]!.GetValue<int>());
        Assert.Contains("demo upstream", await (await gateway.GetAsync("anything.test")).Content.ReadAsStringAsync());
    }
}
