using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Services.Caching;
using Slardar.Scriptable.Host.Services.Limits;
using Slardar.Scriptable.Host.Services.Redis;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>The script services on the admin API: GET /caches, DELETE /cache/&lt;name&gt;[/&lt;key&gt;], and their part of /status.</summary>
internal static class ServiceEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/caches", (CacheSet caches) =>
        {
            var list = new JsonObject();
            foreach (var cache in caches.All)
            {
                list[cache.Name] = Cache(cache);
            }

            return AdminJson.Document(list);
        });

        app.MapDelete("/cache/{name}", (string name, CacheSet caches) => Purge(caches, name, null));
        app.MapDelete("/cache/{name}/{**key}", (string name, string key, CacheSet caches) => Purge(caches, name, key));
    }

    /// <summary>Each Redis connection's state and the rate limits' (for /status).</summary>
    public static JsonObject Status(RedisConnections redis, LimitSet limits)
    {
        var connections = new JsonObject();
        foreach (var connection in redis.All)
        {
            connections[connection.Config.Name] = new JsonObject
            {
                ["endpoints"] = string.Join(",", connection.Config.Endpoints),
                ["connected"] = connection.IsConnected,
                ["last_error"] = connection.LastError,
            };
        }

        var named = new JsonObject();
        foreach (var (name, limit) in limits.Named.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var counters = limits.Counters.GetValueOrDefault(name);
            named[name] = new JsonObject
            {
                ["rate"] = limit.Rate,
                ["burst"] = limit.Burst,
                ["scope"] = limit.Scope == LimitScope.Cluster ? "cluster" : "local",
                ["fallback"] = limit.Fallback.ToString().ToLowerInvariant(),
                ["allowed"] = counters?.Allowed ?? 0,
                ["rejected"] = counters?.Rejected ?? 0,
                ["fallbacks"] = counters?.Fallbacks ?? 0,
            };
        }

        return new JsonObject
        {
            ["redis"] = connections,
            ["limits"] = new JsonObject
            {
                ["redis"] = limits.HasRedis,
                ["fallback_active"] = limits.RedisError is not null,
                ["fallback_reason"] = limits.RedisError,
                ["gateways_seen"] = limits.GatewaysSeen,
                ["named"] = named,
            },
        };
    }

    private static JsonObject Cache(NamedCache cache)
    {
        var options = cache.Options;
        var counters = cache.Counters;
        return new JsonObject
        {
            ["entries"] = cache.Count,
            ["size"] = options.Size,
            ["ttl"] = options.Ttl.TotalSeconds,
            ["negative_ttl"] = options.NegativeTtl.TotalSeconds,
            ["stale_ttl"] = options.StaleTtl.TotalSeconds,
            ["load_timeout_ms"] = options.LoadTimeout.TotalMilliseconds,
            ["hits"] = counters.Hits,
            ["misses"] = counters.Misses,
            ["hit_negative"] = counters.NegativeHits,
            ["no_data"] = counters.NoData,
            ["stale"] = counters.Stale,
            ["net_errors"] = counters.NetErrors,
            ["lock_waits"] = counters.LockWaits,
            ["evictions"] = counters.Evictions,
            ["too_large"] = counters.TooLarge,
            ["loading"] = cache.Loading,
        };
    }

    private static IResult Purge(CacheSet caches, string name, string? key)
    {
        if (!caches.TryFind(name, out _))
        {
            return AdminJson.Error(404, $"no cache named \"{name}\"");
        }

        var removed = caches.Purge(name, key);
        return AdminJson.Ok(new JsonObject { ["removed"] = removed });
    }
}
