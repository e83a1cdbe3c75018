using System.Diagnostics.Metrics;
using Slardar.Scriptable.Host.Observability.Metrics;
using Slardar.Scriptable.Host.Services.Caching;
using Slardar.Scriptable.Host.Services.Limits;
using Slardar.Scriptable.Host.Services.Redis;

namespace Slardar.Scriptable.Host.Services;

/// <summary>The script services' counters on the gateway's meter, read at scrape time (a cache hit records nothing extra).</summary>
internal static class ServiceMetrics
{
    public const string Prefix = "slardar_";

    public static void Register(GatewayMetrics metrics, CacheSet caches, LimitSet limits, RedisConnections redis)
    {
        metrics.Meter.CreateObservableCounter(Prefix + "cache_lookups_total", () => Lookups(caches),
            description: "Cache lookups by cache and state (hit, miss, hit_negative, no_data, stale, net_error).");
        metrics.Meter.CreateObservableCounter(Prefix + "cache_lock_waits_total", () => PerCache(caches, c => c.Counters.LockWaits),
            description: "Callers that waited for another caller's load of the same key (the dog-pile lock).");
        metrics.Meter.CreateObservableCounter(Prefix + "cache_evictions_total", () => PerCache(caches, c => c.Counters.Evictions),
            description: "Entries dropped at a cache's size bound, least recently used first.");
        metrics.Meter.CreateObservableGauge(Prefix + "cache_entries", () => PerCache(caches, c => c.Count),
            description: "Entries held by each cache (fresh, negative and stale).");
        metrics.Meter.CreateObservableCounter(Prefix + "limit_decisions_total", () => Decisions(limits),
            description: "Rate limit decisions by limit and outcome (allowed, rejected); fallback counts cluster decisions taken without Redis.");
        metrics.Meter.CreateObservableGauge(Prefix + "redis_connected", () => redis.All.Select(c => new Measurement<int>(c.IsConnected ? 1 : 0, new KeyValuePair<string, object?>("connection", c.Config.Name))),
            description: "1 while the named Redis connection is up.");
    }

    private static IEnumerable<Measurement<long>> Lookups(CacheSet caches)
    {
        foreach (var cache in caches.All)
        {
            var c = cache.Counters;
            yield return Measure(c.Hits, cache.Name, "hit");
            yield return Measure(c.Misses, cache.Name, "miss");
            yield return Measure(c.NegativeHits, cache.Name, "hit_negative");
            yield return Measure(c.NoData, cache.Name, "no_data");
            yield return Measure(c.Stale, cache.Name, "stale");
            yield return Measure(c.NetErrors, cache.Name, "net_error");
        }
    }

    private static IEnumerable<Measurement<long>> PerCache(CacheSet caches, Func<NamedCache, long> value) =>
        caches.All.Select(c => new Measurement<long>(value(c), new KeyValuePair<string, object?>("cache", c.Name)));

    private static IEnumerable<Measurement<long>> Decisions(LimitSet limits)
    {
        foreach (var (name, counters) in limits.Counters)
        {
            yield return new Measurement<long>(counters.Allowed, new("limit", name), new("outcome", "allowed"));
            yield return new Measurement<long>(counters.Rejected, new("limit", name), new("outcome", "rejected"));
            yield return new Measurement<long>(counters.Fallbacks, new("limit", name), new("outcome", "fallback"));
        }
    }

    private static Measurement<long> Measure(long value, string cache, string state) =>
        new(value, new KeyValuePair<string, object?>("cache", cache), new KeyValuePair<string, object?>("state", state));
}
