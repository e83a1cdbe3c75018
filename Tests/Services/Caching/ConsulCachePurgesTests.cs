using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Slardar.Scriptable.Host.Consul;
using Slardar.Scriptable.Host.Services.Caching;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Tests.Consul;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Services.Caching;

/// <summary>Cache purges carried between gateways by Consul's KV when no Redis is configured.</summary>
public sealed class ConsulCachePurgesTests
{
    private const string Script = """
        var key = Request.Query["k"] ?? "k";
        var r = await Cache.GetAsync("c", key, () => Task.FromResult<string?>("v"));
        return Exit(200, r.State.ToString());
        """;

    [Fact]
    public async Task DeleteCache_ConsulAndNoRedis_ReachesTheOtherGatewayEvenForPurgesInQuickSuccession()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var first = await ConsulGateways.StartAsync(consul);
        await using var second = await ConsulGateways.StartAsync(consul);
        (await first.AdminAsync(HttpMethod.Post, "/script/c.test", Script)).Status.ShouldBe(200);
        await ConsulGateways.UntilBodyAsync(second, "c.test", body => body is "Miss" or "Hit", "the script to reach the second gateway");
        foreach (var key in new[] { "k", "a", "b", "c" })
        {
            await ConsulGateways.BodyAsync(second, "c.test", "/?k=" + key);
        }

        (await ConsulGateways.BodyAsync(second, "c.test")).ShouldBe("Hit");
        await ConsulGateways.UntilBodyAsync(first, "c.test", body => body is "Miss" or "Hit", "the script on the first gateway");

        (await first.AdminAsync(HttpMethod.Delete, "/cache/c/k")).Status.ShouldBe(200);
        await Poll.UntilAsync(() => EntriesAsync(second), n => n == 3, ConsulGateways.Limit, "the purge of k to reach the second gateway");
        (await ConsulGateways.BodyAsync(second, "c.test")).ShouldBe("Miss");

        // Three purges back to back: a blocking watch may see only the last write; the log keeps all three.
        await Task.WhenAll(first.AdminAsync(HttpMethod.Delete, "/cache/c/a"), first.AdminAsync(HttpMethod.Delete, "/cache/c/b"), first.AdminAsync(HttpMethod.Delete, "/cache/c/c"));
        await Poll.UntilAsync(() => EntriesAsync(second), n => n == 1, ConsulGateways.Limit, "the three purges to reach the second gateway");
        (await ConsulGateways.BodyAsync(second, "c.test", "/?k=a")).ShouldBe("Miss");
    }

    [Fact]
    public async Task DisposeAsync_AfterAPurge_DeletesTheGatewaysOwnKey()
    {
        await using var consul = await ConsulDouble.StartAsync();
        var gateway = await ConsulGateways.StartAsync(consul);
        await gateway.AdminAsync(HttpMethod.Post, "/script/c.test", Script);
        await ConsulGateways.BodyAsync(gateway, "c.test");
        await gateway.AdminAsync(HttpMethod.Delete, "/cache/c");
        using var client = ConsulTestClients.Create(consul.Address);
        var keys = await Poll.UntilAsync(async () => (await client.ListAsync(ConsulGateways.Prefix + ConsulKvLayout.CachePurges, CancellationToken.None)).Value, k => k.Count == 1, ConsulGateways.Limit, "the purge log key");

        await gateway.DisposeAsync();

        (await client.GetAsync(keys[0].Key, CancellationToken.None)).ShouldBeNull();
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"purges\": null}")]
    [InlineData("{\"purges\": [{\"seq\": \"x\"}]}")]
    public async Task Apply_NotAPurgeLog_RefusedAndNothingPurged(string value)
    {
        var (purges, caches) = Create();
        await FillAsync(caches.Get("c"), "k");

        purges.Apply("other", value).ShouldNotBeNull();

        caches.Get("c").Count.ShouldBe(1);
    }

    [Fact]
    public async Task Apply_SameLogTwiceOrOwnLog_PurgesOnlyNumbersNotAppliedYet()
    {
        var (purges, caches) = Create("me");
        var cache = caches.Get("c");
        await FillAsync(cache, "a");
        purges.Apply("other", Log((1, "a"))).ShouldBeNull();
        cache.Count.ShouldBe(0);
        await FillAsync(cache, "a");

        purges.Apply("other", Log((1, "a"))).ShouldBeNull();
        purges.Apply("me", Log((5, "a"))).ShouldBeNull();

        cache.Count.ShouldBe(1);
        purges.Apply("other", Log((1, "a"), (2, "a"))).ShouldBeNull();
        cache.Count.ShouldBe(0);
    }

    [Fact]
    public async Task Apply_HugeLog_AppliesOnlyTheLastWindowAndStaysBounded()
    {
        var (purges, caches) = Create();
        var cache = caches.Get("c");
        await FillAsync(cache, "early");
        await FillAsync(cache, "late");
        var entries = Enumerable.Range(1, 100_000).Select(i => ((long)i, i == 1 ? "early" : i == 100_000 ? "late" : "x" + i)).ToArray();

        purges.Apply("other", Log(entries)).ShouldBeNull();

        cache.Count.ShouldBe(1); // "late" went; "early" is older than the window
    }

    private static (ConsulCachePurges Purges, CacheSet Caches) Create(string instance = "me")
    {
        var caches = new CacheSet(TimeProvider.System);
        var client = ConsulTestClients.Create(new Uri("http://127.0.0.1:1"));
        return (new ConsulCachePurges(caches, client, new ConsulKvLayout(ConsulGateways.Prefix), instance, NullLogger<ConsulCachePurges>.Instance), caches);
    }

    private static async Task FillAsync(NamedCache cache, string key) =>
        (await cache.GetAsync(key, () => Task.FromResult<string?>("v"), TimeSpan.FromSeconds(5))).State.ShouldBe(CacheState.Miss);

    private static string Log(params (long Seq, string Key)[] purges) =>
        new JsonObject { ["purges"] = new JsonArray([.. purges.Select(p => (JsonNode)new JsonObject { ["seq"] = p.Seq, ["cache"] = "c", ["key"] = p.Key })]) }.ToJsonString();

    private static async Task<int> EntriesAsync(TestGateway gateway) =>
        (await gateway.AdminAsync(HttpMethod.Get, "/caches")).Json!["c"]!["entries"]!.GetValue<int>();
}
