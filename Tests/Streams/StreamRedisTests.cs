using Shouldly;
using Slardar.Scriptable.Tests.Checkups.Probes;
using Slardar.Scriptable.Tests.Support;
using StackExchange.Redis;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>A real redis-server behind a stream listener, used by a real Redis client.</summary>
public sealed class StreamRedisTests
{
    [Fact]
    public async Task RedisClient_ThroughStreamListener_SetsAndGetsAndPipelines()
    {
        using var redis = await RedisServer.StartAsync();
        var redisAddress = $"127.0.0.1:{redis.Port}";
        var dead = $"127.0.0.1:{DeadPeer.ReservePort()}";
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "redis-pool" } }""",
            [.. TestGateway.Upstream("redis-pool", dead, redisAddress), new("Upstreams:redis-pool:try", "2")]);
        var endPoint = gateway.Bound("127.0.0.1:0");

        var options = new ConfigurationOptions { EndPoints = { endPoint }, AbortOnConnectFail = true, ConnectTimeout = 10_000, SyncTimeout = 10_000 };
        await using var client = await ConnectionMultiplexer.ConnectAsync(options);
        var db = client.GetDatabase();
        (await db.StringSetAsync("greeting", "hello through slardar")).ShouldBeTrue();
        ((string?)await db.StringGetAsync("greeting")).ShouldBe("hello through slardar");

        var increments = Enumerable.Range(0, 100).Select(_ => db.StringIncrementAsync("counter")).ToArray();
        await Task.WhenAll(increments);
        ((long)await db.StringGetAsync("counter")).ShouldBe(100);

        var big = new string('r', 1_000_000);
        await db.StringSetAsync("big", big);
        ((string?)await db.StringGetAsync("big")).ShouldBe(big);
    }
}
