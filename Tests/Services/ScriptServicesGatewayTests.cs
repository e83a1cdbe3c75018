using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Tests.Checkups.Probes;
using Slardar.Scriptable.Tests.Support;
using StackExchange.Redis;

namespace Slardar.Scriptable.Tests.Services;

/// <summary>Cache, Redis and Limit as scripts use them, through a real gateway and a real redis-server on loopback.</summary>
public sealed class ScriptServicesGatewayTests
{
    // The README cookbook's metadata script: a Redis hash behind a cache, every state answered.
    private const string MetadataScript = """
        var bucket = Request.Headers["X-Bucket"] ?? "none";
        var r = await Cache.GetAsync("metadata", bucket, async () => await Redis.HashGetAsync("upyun:" + bucket, "config"));
        if (r.State == CacheState.NoData || r.State == CacheState.HitNegative) return Exit(40400002, r.State.ToString());
        if (r.State == CacheState.NetError) return Exit(50300002, r.Error);
        return Exit(200, r.State + ":" + r.Value);
        """;

    private const string RedisHost = """{"hosts": {"r.test": {"budget_ms": 10000}}}""";

    private static Dictionary<string, string?> RedisSettings(RedisServer redis) => new()
    {
        ["Redis:Default:Endpoints"] = $"127.0.0.1:{redis.Port}",
        ["Redis:Default:TimeoutMs"] = "500",
    };

    private static async Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(TestGateway gateway, string host, string? bucket = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = host;
        if (bucket is not null)
        {
            request.Headers.Add("X-Bucket", bucket);
        }

        var response = await gateway.Client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task MetadataScript_ReachesAllSixStates_AndRedisDyingGivesStaleOrNetErrorNeverADeadGateway()
    {
        using var redis = await RedisServer.StartAsync();
        await using (var seed = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}"))
        {
            await seed.GetDatabase().HashSetAsync("upyun:a", "config", "cfg-a");
        }

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await TestGateway.StartAsync(
            RedisSettings(redis),
            """{"caches": {"metadata": {"size": 100, "ttl": 300, "negative_ttl": 120, "stale_ttl": 3600, "load_timeout_ms": 1000}}, "hosts": {"meta.test": {"budget_ms": 10000}}}""",
            services => services.AddSingleton<TimeProvider>(time));
        (await gateway.AdminAsync(HttpMethod.Post, "/script/meta.test", MetadataScript)).Status.ShouldBe(200);

        (await GetAsync(gateway, "meta.test", "a")).Body.ShouldBe("Miss:cfg-a");
        (await GetAsync(gateway, "meta.test", "a")).Body.ShouldBe("Hit:cfg-a");
        var noData = await GetAsync(gateway, "meta.test", "missing");
        noData.Status.ShouldBe(404);
        noData.Response.Headers.GetValues("X-Error-Code").Single().ShouldBe("40400002");
        noData.Body.ShouldContain("NoData");
        (await GetAsync(gateway, "meta.test", "missing")).Body.ShouldContain("HitNegative");

        time.Advance(TimeSpan.FromSeconds(301));
        redis.Kill();
        var stale = await GetAsync(gateway, "meta.test", "a");
        var netError = await GetAsync(gateway, "meta.test", "never-loaded");

        stale.Body.ShouldBe("Stale:cfg-a");
        netError.Status.ShouldBe(503);
        netError.Body.ShouldContain("Redis Default: HGET");
        var (_, caches) = await gateway.AdminAsync(HttpMethod.Get, "/caches");
        var metadata = caches!["metadata"]!;
        foreach (var counter in new[] { "misses", "hits", "no_data", "hit_negative", "stale", "net_errors" })
        {
            metadata[counter]!.GetValue<long>().ShouldBe(1, counter);
        }

        var (_, status) = await gateway.AdminAsync(HttpMethod.Get, "/status");
        status!["redis"]!["Default"]!["connected"]!.GetValue<bool>().ShouldBeFalse();
        var metrics = await gateway.Admin.GetStringAsync("/metrics");
        metrics.ShouldContain("slardar_cache_lookups_total{cache=\"metadata\",state=\"stale\"} 1");
    }

    [Fact]
    public async Task DeleteCache_PurgesAKeyOrTheCache_AndReachesTheOtherGatewayThroughRedis()
    {
        using var redis = await RedisServer.StartAsync();
        const string script = """
            var r = await Cache.GetAsync("c", "k", () => Task.FromResult<string?>("v"));
            return Exit(200, r.State.ToString());
            """;
        const string manifest = """{"caches": {"c": {"ttl": 300}}, "hosts": {"c.test": {"budget_ms": 10000}}}""";
        await using var first = await TestGateway.StartAsync(RedisSettings(redis), manifest);
        await using var second = await TestGateway.StartAsync(RedisSettings(redis), manifest);
        foreach (var gateway in new[] { first, second })
        {
            await gateway.AdminAsync(HttpMethod.Post, "/script/c.test", script);
            (await GetAsync(gateway, "c.test")).Body.ShouldBe("Miss");
            (await GetAsync(gateway, "c.test")).Body.ShouldBe("Hit");
        }

        var (status, json) = await first.AdminAsync(HttpMethod.Delete, "/cache/c/k");

        status.ShouldBe(200);
        json!["removed"]!.GetValue<int>().ShouldBe(1);
        (await GetAsync(first, "c.test")).Body.ShouldBe("Miss");
        await Poll.UntilAsync(async () => (await second.AdminAsync(HttpMethod.Get, "/caches")).Json!["c"]!["entries"]!.GetValue<int>(), n => n == 0, TimeSpan.FromSeconds(10), "the purge to reach the second gateway");
        (await first.AdminAsync(HttpMethod.Delete, "/cache/c")).Json!["removed"]!.GetValue<int>().ShouldBe(1);
        (await first.AdminAsync(HttpMethod.Delete, "/cache/unknown")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task HostLimit_PastTheLimit_429WithRetryAfterBeforeAnyScriptRuns()
    {
        await using var gateway = await TestGateway.StartAsync(manifest: """
            {"hosts": {"limited.test": {"budget_ms": 10000, "limit": {"rate": 1, "burst": 0, "key": "header:X-Api-Key"}}}}
            """);
        await gateway.AdminAsync(HttpMethod.Post, "/script/limited.test", "return Exit(403);");

        var first = await SendWithKeyAsync(gateway, "one");
        var second = await SendWithKeyAsync(gateway, "one");
        var otherKey = await SendWithKeyAsync(gateway, "two");

        first.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        second.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        second.Headers.GetValues("X-Error-Code").Single().ShouldBe("42900001");
        second.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        otherKey.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ScriptLimit_NamedLimitFromScriptsJson_CountsAndChangesLive()
    {
        await using var gateway = await TestGateway.StartAsync(manifest: """{"limits": {"imgprocess": {"rate": 0.01, "burst": 1}}, "hosts": {"img.test": {"budget_ms": 10000}}}""");
        await gateway.AdminAsync(HttpMethod.Post, "/script/img.test", """
            var d = Limit.TryAcquire("imgprocess", Request.ClientIp);
            return d.Allowed ? Exit(200, "remaining " + d.Remaining) : Exit(42900002, "retry after " + Math.Ceiling(d.RetryAfter.TotalSeconds));
            """);

        (await GetAsync(gateway, "img.test")).Body.ShouldBe("remaining 1");
        (await GetAsync(gateway, "img.test")).Body.ShouldBe("remaining 0");
        var refused = await GetAsync(gateway, "img.test");
        refused.Status.ShouldBe(429);
        refused.Body.ShouldContain("retry after 100");

        await File.WriteAllTextAsync(gateway.ManifestPath, """{"limits": {"imgprocess": {"rate": 1000, "burst": 50}}, "hosts": {"img.test": {"budget_ms": 10000}}}""");
        await Poll.UntilAsync(() => GetAsync(gateway, "img.test"), r => r.Status == 200, TimeSpan.FromSeconds(20), "the new limit to apply");
    }

    [Fact]
    public async Task ScriptLimit_UnknownName_IsAScriptError()
    {
        await using var gateway = await TestGateway.StartAsync(manifest: """{"limits": {}, "hosts": {"img.test": {"budget_ms": 10000}}}""");
        await gateway.AdminAsync(HttpMethod.Post, "/script/img.test", """return Limit.TryAcquire("nope", "k").Allowed ? Exit(200) : Exit(429);""");

        var response = await GetAsync(gateway, "img.test");

        response.Status.ShouldBe(500);
    }

    [Fact]
    public async Task ScriptRedis_WorksThenFailsFastWithAClearErrorWhenRedisDies()
    {
        using var redis = await RedisServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(RedisSettings(redis), RedisHost);
        await gateway.AdminAsync(HttpMethod.Post, "/script/r.test", """
            try
            {
                var n = await Redis.StringIncrementAsync("hits");
                await Redis.HashSetAsync("h", "f", "v" + n);
                return Exit(200, n + " " + await Redis.HashGetAsync("h", "f"));
            }
            catch (ScriptRedisException e)
            {
                return Exit(50300003, e.Message);
            }
            """);

        (await GetAsync(gateway, "r.test")).Body.ShouldBe("1 v1");
        (await GetAsync(gateway, "r.test")).Body.ShouldBe("2 v2");
        redis.Kill();
        var down = await GetAsync(gateway, "r.test");

        down.Status.ShouldBe(503);
        down.Body.ShouldContain("Redis Default: INCRBY hits");
    }

    [Fact]
    public async Task ScriptRedis_RedisRestarted_CallsAndTheClusterLimitRecoverWithoutAGatewayRestart()
    {
        var redis = await RedisServer.StartAsync();
        try
        {
            await using var gateway = await TestGateway.StartAsync(RedisSettings(redis), """
                {"hosts": {"r.test": {"budget_ms": 10000}, "c.test": {"upstream": "none", "limit": {"rate": 1000, "burst": 1000, "key": "host", "scope": "cluster"}}}}
                """);
            await gateway.AdminAsync(HttpMethod.Post, "/script/r.test", """
                try { return Exit(200, (await Redis.StringIncrementAsync("hits")).ToString()); }
                catch (ScriptRedisException e) { return Exit(50300003, e.Message); }
                """);
            (await GetAsync(gateway, "r.test")).Body.ShouldBe("1");
            await GetAsync(gateway, "c.test");

            redis.Kill();
            (await GetAsync(gateway, "r.test")).Status.ShouldBe(503);
            await GetAsync(gateway, "c.test");
            var (_, down) = await gateway.AdminAsync(HttpMethod.Get, "/status");
            down!["limits"]!["fallback_active"]!.GetValue<bool>().ShouldBeTrue();

            // A new, empty redis-server on the same port: the gateway reconnects by itself.
            var port = redis.Port;
            redis.Dispose();
            redis = await RedisServer.StartAsync(port: port);
            var recovered = await Poll.UntilAsync(async () => (await GetAsync(gateway, "r.test")).Body, body => body == "1", TimeSpan.FromSeconds(30), "the script's Redis calls to work again");

            recovered.ShouldBe("1");
            await GetAsync(gateway, "c.test");
            var (_, status) = await gateway.AdminAsync(HttpMethod.Get, "/status");
            status!["limits"]!["fallback_active"]!.GetValue<bool>().ShouldBeFalse();
            status["redis"]!["Default"]!["connected"]!.GetValue<bool>().ShouldBeTrue();
        }
        finally
        {
            redis.Dispose();
        }
    }

    [Fact]
    public async Task ScriptRedis_HugeValueOrUnknownConnection_Refused()
    {
        using var redis = await RedisServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(RedisSettings(redis)) { ["Redis:Default:MaxValueBytes"] = "1000" }, RedisHost);
        await gateway.AdminAsync(HttpMethod.Post, "/script/r.test", """
            try
            {
                if (Request.Headers["X-Bucket"] == "other") await Redis["other"].StringGetAsync("k");
                await Redis.StringSetAsync("k", new string('x', 5000));
                return Exit(200);
            }
            catch (ScriptRedisException e)
            {
                return Exit(50300003, e.Message);
            }
            catch (ArgumentException e)
            {
                return Exit(40000002, e.Message);
            }
            """);

        (await GetAsync(gateway, "r.test")).Body.ShouldContain("larger than 1000 bytes");
        (await GetAsync(gateway, "r.test", "other")).Body.ShouldContain("no Redis connection \\u0022other\\u0022");
    }

    [Fact]
    public async Task ClusterLimit_RedisKilled_FallsBackToTheLocalShareAndSaysSoInStatus()
    {
        using var redis = await RedisServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(RedisSettings(redis), """
            {"hosts": {"c.test": {"upstream": "none", "limit": {"rate": 0.01, "burst": 1, "key": "host", "scope": "cluster"}}}}
            """);
        (await GetAsync(gateway, "c.test")).Status.ShouldNotBe(429);

        redis.Kill();
        var afterKill = new[] { await GetAsync(gateway, "c.test"), await GetAsync(gateway, "c.test"), await GetAsync(gateway, "c.test") };

        // The local share (one gateway seen): burst 1 → two pass, then 429; never a hang or a 5xx.
        afterKill.Select(r => r.Status == 429).ShouldBe([false, false, true]);
        var (_, status) = await gateway.AdminAsync(HttpMethod.Get, "/status");
        status!["limits"]!["fallback_active"]!.GetValue<bool>().ShouldBeTrue();
        status["limits"]!["fallback_reason"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task CacheLoader_ThatLoopsOrHangs_IsContainedAndTheGatewayKeepsServing()
    {
        await using var gateway = await TestGateway.StartAsync(manifest: """
            {"caches": {"c": {"load_timeout_ms": 100}}, "hosts": {"loop.test": {"budget_ms": 300}, "hang.test": {"budget_ms": 2000}, "ok.test": {"budget_ms": 10000}}}
            """);
        (await gateway.AdminAsync(HttpMethod.Post, "/script/loop.test", """
            var r = await Cache.GetAsync<string>("c", "loop", async () => { while (true) { } });
            return Exit(200, r.State.ToString());
            """)).Status.ShouldBe(200);
        (await gateway.AdminAsync(HttpMethod.Post, "/script/hang.test", """
            var r = await Cache.GetAsync<string>("c", "hang", async () => { await Task.Delay(-1); return null; });
            return Exit(200, r.State + " " + r.Error);
            """)).Status.ShouldBe(200);
        (await gateway.AdminAsync(HttpMethod.Post, "/script/ok.test", """
            var r = await Cache.GetAsync("c", "ok", () => Task.FromResult<string?>("fine"));
            return Exit(200, r.Value);
            """)).Status.ShouldBe(200);

        var loop = await GetAsync(gateway, "loop.test");
        var hang = await GetAsync(gateway, "hang.test");
        var ok = await GetAsync(gateway, "ok.test");

        loop.Status.ShouldBe(500);
        loop.Response.Headers.GetValues("X-Error-Code").Single().ShouldBe("50000002");
        hang.Body.ShouldBe("NetError the loader timed out after 100 ms");
        ok.Body.ShouldBe("fine");
    }

    private static Task<HttpResponseMessage> SendWithKeyAsync(TestGateway gateway, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "limited.test";
        request.Headers.Add("X-Api-Key", key);
        return gateway.Client.SendAsync(request);
    }
}
