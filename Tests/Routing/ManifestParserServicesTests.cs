using System.Text;
using Shouldly;
using Slardar.Scriptable.Host.Routing;
using Slardar.Scriptable.Host.Services.Limits;

namespace Slardar.Scriptable.Tests.Routing;

/// <summary>scripts.json's <c>"caches"</c>, <c>"limits"</c> and a host's <c>"limit"</c>.</summary>
public sealed class ManifestParserServicesTests
{
    private static ManifestParseResult Parse(string json) => ManifestParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_CachesLimitsAndHostLimit_AreRead()
    {
        var result = Parse("""
            {
              "caches": { "metadata": { "size": 10000, "ttl": 300, "negative_ttl": 120, "stale_ttl": 3600, "load_timeout_ms": 200 } },
              "limits": { "imgprocess": { "rate": 100, "burst": 20, "scope": "cluster", "fallback": "closed" } },
              "hosts": { "a.test": { "limit": { "rate": 5, "key": "header:X-Api-Key" } } }
            }
            """);

        result.IsValid.ShouldBeTrue(result.Error);
        var cache = result.Config.Caches["metadata"];
        (cache.Size, cache.Ttl, cache.NegativeTtl, cache.StaleTtl, cache.LoadTimeout).ShouldBe((10000, TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(3600), TimeSpan.FromMilliseconds(200)));
        var limit = result.Config.Limits["imgprocess"];
        (limit.Rate, limit.Burst, limit.Scope, limit.Fallback).ShouldBe((100d, 20, LimitScope.Cluster, LimitFallback.Closed));
        var hostLimit = result.Config.Hosts.Single().Limit!;
        (hostLimit.Name, hostLimit.Rate, hostLimit.Burst, hostLimit.Key, hostLimit.Header, hostLimit.Scope).ShouldBe(("host:a.test", 5d, 0, LimitKeyKind.Header, "X-Api-Key", LimitScope.Local));
    }

    [Theory]
    [InlineData("""{"caches": {"m": {"size": 0}}}""", "caches: m.size: out of range")]
    [InlineData("""{"caches": {"m": {"ttl": "300"}}}""", "caches: m.ttl: must be a number")]
    [InlineData("""{"caches": {"m": {"color": 1}}}""", "caches: m: unknown field \"color\"")]
    [InlineData("""{"caches": {"bad name": {}}}""", "caches: \"bad name\" is not a name")]
    [InlineData("""{"limits": {"l": {"burst": 1}}}""", "limits: l: \"rate\" is required")]
    [InlineData("""{"limits": {"l": {"rate": 0}}}""", "limits: l: \"rate\" must be")]
    [InlineData("""{"limits": {"l": {"rate": 1, "scope": "global"}}}""", "limits: l: \"scope\" must be")]
    [InlineData("""{"limits": {"l": {"rate": 1, "key": "ip"}}}""", "limits: l: unknown field \"key\"")]
    [InlineData("""{"hosts": {"a.test": {"limit": {"rate": 1, "key": "cookie"}}}}""", "hosts.a.test: limit: \"key\" must be")]
    [InlineData("""{"hosts": {"a.test": {"limit": {"rate": 1, "burst": -1}}}}""", "hosts.a.test: limit: \"burst\" must be")]
    public void Parse_BadServiceSettings_RefusedWithTheReason(string json, string error)
    {
        var result = Parse(json);

        result.IsValid.ShouldBeFalse();
        result.Error!.ShouldStartWith(error);
    }
}
