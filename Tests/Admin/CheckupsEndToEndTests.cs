using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Host.Checkups.Heartbeats;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Admin;

/// <summary>Balancing modes, outlier ejection and their visibility, through the admin API and the proxy.</summary>
public sealed class CheckupsEndToEndTests
{
    private static string Servers(IEnumerable<TestBackend> backends) =>
        "[" + string.Join(",", backends.Select(b => $"{{\"host\":\"127.0.0.1\",\"port\":{b.Port}}}")) + "]";

    [Fact]
    public async Task UrlHash_SamePathAlwaysSamePeer_AndPathsSpreadOverPeers()
    {
        var backends = new List<TestBackend>();
        for (var i = 0; i < 3; i++)
        {
            backends.Add(await TestBackend.StartNamedAsync($"b{i}"));
        }

        await using var gateway = await TestGateway.StartAsync();
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/upstream/hash.test", $"{{\"servers\":{Servers(backends)},\"mode\":\"url_hash\"}}")).Status);

        var seen = new HashSet<string>();
        for (var path = 0; path < 30; path++)
        {
            var first = await (await gateway.GetAsync("hash.test", $"/item/{path}")).Content.ReadAsStringAsync();
            for (var again = 0; again < 3; again++)
            {
                Assert.Equal(first, await (await gateway.GetAsync("hash.test", $"/item/{path}?again={again}")).Content.ReadAsStringAsync());
            }

            seen.Add(first);
        }

        Assert.True(seen.Count > 1, "30 paths all hashed to one peer");
        foreach (var backend in backends)
        {
            await backend.DisposeAsync();
        }
    }

    [Fact]
    public async Task UnknownMode_Is400AndNamesTheModes()
    {
        await using var gateway = await TestGateway.StartAsync();

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/upstream/m.test", """{"servers":[{"host":"a","port":1}],"mode":"random"}""");

        Assert.Equal(400, status);
        Assert.Contains("unknown balancing mode \"random\"", json!["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task Peer5xxInARow_IsEjectedVisibleInStatusAndMetricsAndGetsNoTraffic()
    {
        await using var broken = await TestBackend.StartAsync(context => { context.Response.StatusCode = 500; return Task.CompletedTask; });
        var good = new List<TestBackend>();
        for (var i = 0; i < 3; i++)
        {
            good.Add(await TestBackend.StartNamedAsync($"good{i}"));
        }

        await using var gateway = await TestGateway.StartAsync();
        var body = $"{{\"servers\":{Servers(good.Prepend(broken))},\"outlier\":{{\"consecutive_5xx\":3}}}}";
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/upstream/out.test", body)).Status);

        // 500 is not a retry condition by default: the broken peer's answers reach the client.
        for (var i = 0; i < 16; i++)
        {
            (await gateway.GetAsync("out.test")).Dispose();
        }

        Assert.True(broken.Requests >= 3);
        await gateway.Services.GetRequiredService<HeartbeatScheduler>().RunRoundAsync(probe: false);

        var (_, status) = await gateway.AdminAsync(HttpMethod.Get, "/status");
        var peer = status!["cls:out.test"]![0]!.AsArray().Single(p => p!["server"]!.GetValue<string>() == $"out.test:{broken.Address}")!;
        Assert.True(peer["outlier"]!["ejected"]!.GetValue<bool>());
        Assert.False(peer["usable"]!.GetValue<bool>());

        var before = broken.Requests;
        for (var i = 0; i < 12; i++)
        {
            using var response = await gateway.GetAsync("out.test");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(before, broken.Requests);
        var metrics = await gateway.Admin.GetStringAsync("/metrics");
        Assert.Contains($"slardar_upstream_ejections_total{{peer=\"{broken.Address}\",upstream=\"out.test\"}} 1", metrics);
        Assert.Contains("slardar_upstream_requests_total{status_class=\"5xx\",upstream=\"out.test\"}", metrics);
        Assert.Contains($"slardar_upstream_peer_up{{peer=\"{broken.Address}\",upstream=\"out.test\"}}", metrics);
        foreach (var backend in good)
        {
            await backend.DisposeAsync();
        }
    }

    [Fact]
    public async Task NamedClusters_StatusKeysLevelsByName()
    {
        await using var gateway = await TestGateway.StartAsync();
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/upstream/dc.test",
            """{"cluster":{"dc1":{"servers":[{"host":"127.0.0.1","port":1}]},"dc2":{"servers":[{"host":"127.0.0.1","port":2}]}}}""")).Status);

        var (_, status) = await gateway.AdminAsync(HttpMethod.Get, "/status");
        var levels = status!["cls:dc.test"]!.AsObject();

        Assert.Equal(["dc1", "dc2"], levels.Select(l => l.Key));
        Assert.Equal("dc.test:127.0.0.1:2", levels["dc2"]![0]!["server"]!.GetValue<string>());
    }

    [Fact]
    public async Task Restart_KeepsModeOutlierAndNamedLevels()
    {
        var folder = Directory.CreateTempSubdirectory("slardar-mode-").FullName;
        var first = await TestGateway.StartAsync(folder: folder);
        const string Body = """{"cluster":{"dc1":{"servers":[{"host":"127.0.0.1","port":1}]}},"mode":"header_hash","outlier":{"consecutive_5xx":7}}""";
        Assert.Equal(200, (await first.AdminAsync(HttpMethod.Post, "/upstream/keep.test", Body)).Status);
        var (_, before) = await first.AdminAsync(HttpMethod.Get, "/upstream/keep.test");
        await first.StopAsync();

        await using var second = await TestGateway.StartAsync(folder: folder);
        var (_, after) = await second.AdminAsync(HttpMethod.Get, "/upstream/keep.test");

        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(before, after));
        Assert.Equal("header_hash", after!["mode"]!.GetValue<string>());
        Assert.Equal(7, after["outlier"]!["consecutive_5xx"]!.GetValue<int>());
        Assert.NotNull(after["cluster"]!["dc1"]);
    }
}
