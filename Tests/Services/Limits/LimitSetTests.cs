using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Services.Limits;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Tests.Services.Limits;

public sealed class LimitSetTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ConsulConfig _consul = new();

    private LimitSet Create() => new(new LocalLimiter(_time), null, null, _consul, _time, NullLogger<LimitSet>.Instance);

    [Fact]
    public async Task AcquireNamedAsync_ConsulConfigLimit_WinsOverScriptsJsonAndChangesLive()
    {
        var limits = Create();
        limits.Declare(ImmutableDictionary<string, LimitConfig>.Empty.Add("imgprocess", new LimitConfig("imgprocess", 1000, 1000)));
        _consul.Set("""{"imgprocess": {"rate": 0.001, "burst": 0}}""");
        limits.RefreshFromConsul();

        (await limits.AcquireNamedAsync("imgprocess", "k", Timeout.InfiniteTimeSpan)).Allowed.ShouldBeTrue();
        (await limits.AcquireNamedAsync("imgprocess", "k", Timeout.InfiniteTimeSpan)).Allowed.ShouldBeFalse();

        _consul.Set("""{"imgprocess": {"rate": 0.001, "burst": 5}}""");
        limits.RefreshFromConsul();
        (await limits.AcquireNamedAsync("imgprocess", "k", Timeout.InfiniteTimeSpan)).Remaining.ShouldBe(5);

        _consul.Set(null);
        limits.RefreshFromConsul();
        (await limits.AcquireNamedAsync("imgprocess", "k", Timeout.InfiniteTimeSpan)).Remaining.ShouldBe(1000);
    }

    [Fact]
    public async Task AcquireNamedAsync_BadConsulEntry_IgnoredOthersKept()
    {
        var limits = Create();
        _consul.Set("""{"good": {"rate": 1}, "bad": {"rate": -1}}""");
        limits.RefreshFromConsul();

        (await limits.AcquireNamedAsync("good", "k", Timeout.InfiniteTimeSpan)).Allowed.ShouldBeTrue();
        await Should.ThrowAsync<ArgumentException>(async () => await limits.AcquireNamedAsync("bad", "k", Timeout.InfiniteTimeSpan));
    }

    [Theory]
    [InlineData("local", new[] { true, true, false })]
    [InlineData("open", new[] { true, true, true })]
    [InlineData("closed", new[] { false, false, false })]
    public async Task AcquireAsync_ClusterLimitWithoutRedis_TakesItsFallbackAndSaysWhy(string fallback, bool[] expected)
    {
        var limits = Create();
        var limit = new LimitConfig("l", 0.001, 1) { Scope = LimitScope.Cluster, Fallback = Enum.Parse<LimitFallback>(fallback, ignoreCase: true) };

        var decisions = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            decisions.Add((await limits.AcquireAsync(limit, "l", "k", Timeout.InfiniteTimeSpan)).Allowed);
        }

        decisions.ShouldBe(expected);
        limits.RedisError.ShouldNotBeNull();
        limits.Counters["l"].Fallbacks.ShouldBe(3);
    }

    [Fact]
    public async Task AcquireAsync_HugeKey_IsHashedNotKept()
    {
        var limits = Create();
        var limit = new LimitConfig("l", 0.001, 0);

        (await limits.AcquireAsync(limit, "l", new string('k', 10_000_000), Timeout.InfiniteTimeSpan)).Allowed.ShouldBeTrue();
        (await limits.AcquireAsync(limit, "l", new string('k', 10_000_000), Timeout.InfiniteTimeSpan)).Allowed.ShouldBeFalse();
    }

    private sealed class ConsulConfig : IScriptConfig
    {
        private JsonElement? _limit;

        public JsonElement? this[string key] => key == LimitSet.ConsulKey ? _limit : null;

        public void Set(string? json) => _limit = json is null ? null : JsonDocument.Parse(json).RootElement.Clone();

        public ValueTask<JsonElement?> GetAsync(string key) => ValueTask.FromResult(this[key]);
    }
}
