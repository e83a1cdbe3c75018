using System.Globalization;
using Slardar.Scriptable.Host.Services.Redis;
using Slardar.Scriptable.Scripting.Api;
using StackExchange.Redis;

namespace Slardar.Scriptable.Host.Services.Limits;

/// <summary>
/// Counts limits across gateways: one Lua script per decision runs limit_req's arithmetic on a
/// hash in Redis, with Redis's own clock (TIME), so gateways' clocks never skew a bucket; every key
/// expires once drained. Chosen over RedisRateLimiting, whose token bucket reads the app node's clock
/// and has no fail-open/closed switch (docs/ARCHITECTURE.md).
/// </summary>
internal sealed class ClusterLimiter
{
    public const string KeyPrefix = "slardar:limit:";

    // KEYS[1] bucket; ARGV rate, capacity. Returns {allowed, retry_after_seconds, remaining}.
    private const string Script = """
        local rate = tonumber(ARGV[1])
        local capacity = tonumber(ARGV[2])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
        local s = redis.call('HMGET', KEYS[1], 'level', 'last')
        local level = tonumber(s[1]) or 0
        local last = tonumber(s[2]) or now
        local elapsed = now - last
        if elapsed < 0 then elapsed = 0 end
        level = level - rate * elapsed
        if level < 0 then level = 0 end
        level = level + 1
        if level > capacity then
          return {0, tostring((level - capacity) / rate), 0}
        end
        redis.call('HSET', KEYS[1], 'level', tostring(level), 'last', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
        return {1, '0', math.floor(capacity - level)}
        """;

    private readonly RedisConnection _connection;
    private readonly TimeProvider _time;

    public ClusterLimiter(RedisConnection connection, TimeProvider time)
    {
        _connection = connection;
        _time = time;
    }

    public RedisConnection Connection => _connection;

    /// <summary>One decision in Redis; throws (RedisException, TimeoutException) when Redis does not answer within <paramref name="timeout"/>.</summary>
    public async Task<LimitDecision> TryAcquireAsync(string limit, string key, double rate, double capacity, TimeSpan timeout)
    {
        // The hash tag keeps one limit's keys in one slot of a Redis Cluster.
        var bucket = KeyPrefix + "{" + limit + "}:" + key;
        var reply = await _connection.Database.ScriptEvaluateAsync(
            Script,
            [bucket],
            [rate.ToString("R", CultureInfo.InvariantCulture), capacity.ToString("R", CultureInfo.InvariantCulture)]).WaitAsync(timeout, _time);
        var parts = (RedisResult[])reply!;
        var allowed = (long)parts[0] == 1;
        var retryAfter = double.Parse((string)parts[1]!, CultureInfo.InvariantCulture);
        return new LimitDecision(allowed, TimeSpan.FromSeconds(retryAfter), (long)parts[2]);
    }
}
