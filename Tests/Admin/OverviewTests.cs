using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Admin;

/// <summary>GET /overview: what the UI's front page shows, from a real gateway with real traffic.</summary>
public sealed class OverviewTests
{
    [Fact]
    public async Task Overview_AfterProxiedRequests_CountsRequestsPerStatusClassAndTriesPerPeer()
    {
        await using var backend = await TestBackend.StartAsync(context =>
        {
            context.Response.StatusCode = context.Request.Path == "/missing" ? 404 : 200;
            return Task.CompletedTask;
        });
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?>(TestGateway.Upstream("count.test", backend.Address)),
            manifest: """{"hosts": {"*.shop.test": {"upstream": "count.test", "budget_ms": 20}, "_": {"upstream": "count.test"}}}""");
        for (var i = 0; i < 3; i++)
        {
            (await gateway.GetAsync("count.test")).Dispose();
        }

        (await gateway.GetAsync("count.test", "/missing")).Dispose();

        var (status, overview) = await gateway.AdminAsync(HttpMethod.Get, "/overview");

        Assert.Equal(200, status);
        var upstream = overview!["upstreams"]!.AsArray().Single(u => u!["name"]!.GetValue<string>() == "count.test")!;
        Assert.Equal(3, upstream["requests"]!["2xx"]!.GetValue<long>());
        Assert.Equal(1, upstream["requests"]!["4xx"]!.GetValue<long>());
        Assert.Null(upstream["requests"]!["5xx"]);
        Assert.Equal(4, upstream["peer_tries"]![backend.Address]!.GetValue<long>());
        Assert.True(upstream["configured"]!.GetValue<bool>());
        Assert.Equal(gateway.Client.BaseAddress!.ToString().TrimEnd('/'), overview["listeners"]!["proxy"]![0]!.GetValue<string>());
        Assert.Equal(gateway.Admin.BaseAddress!.ToString().TrimEnd('/'), overview["listeners"]!["admin"]![0]!.GetValue<string>());
        Assert.Equal(Path.Combine(gateway.Folder, "slardar.db"), overview["store_path"]!.GetValue<string>());
        Assert.True(overview["uptime_seconds"]!.GetValue<double>() >= 0);
        Assert.False(string.IsNullOrEmpty(overview["version"]!.GetValue<string>()));
        var hosts = overview["hosts"]!.AsArray();
        Assert.Equal(["*.shop.test", "_"], hosts.Select(h => h!["pattern"]!.GetValue<string>()));
        Assert.Equal("count.test", hosts[0]!["upstream"]!.GetValue<string>());
        Assert.Equal(20, hosts[0]!["budget_ms"]!.GetValue<double>());
        Assert.Null(hosts[1]!["budget_ms"]);
    }

    [Fact]
    public async Task Overview_UpstreamDeleted_KeepsItsCountsMarkedNotConfigured()
    {
        await using var backend = await TestBackend.StartNamedAsync("b");
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("gone.test", backend.Address)));
        (await gateway.GetAsync("gone.test")).Dispose();
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Delete, "/upstream/gone.test")).Status);

        var (_, overview) = await gateway.AdminAsync(HttpMethod.Get, "/overview");

        var upstream = overview!["upstreams"]!.AsArray().Single(u => u!["name"]!.GetValue<string>() == "gone.test")!;
        Assert.False(upstream["configured"]!.GetValue<bool>());
        Assert.Equal(1, upstream["requests"]!["2xx"]!.GetValue<long>());
    }
}
