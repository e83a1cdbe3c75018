using System.Collections.Concurrent;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Services.Limits;

/// <summary>
/// The in-gateway counting of every limit: one <see cref="LimitBucket"/> per (limit, key). Own code
/// rather than System.Threading.RateLimiting's TokenBucketRateLimiter: that one refills on timer
/// ticks and needs a partitioned limiter per key; limit_req's formula is exact at any instant, needs
/// no timer and is the same arithmetic the Redis script runs. Keys are bounded: past
/// <see cref="MaxKeys"/> drained buckets are swept, and if none can go, new keys share one overflow
/// bucket per limit (a key flood cannot reset everyone's count).
/// </summary>
internal sealed class LocalLimiter
{
    public const int MaxKeys = 100_000;
    private const string OverflowKey = "\u0000overflow";

    private readonly ConcurrentDictionary<(string Limit, string Key), LimitBucket> _buckets = new();
    private readonly TimeProvider _time;
    private readonly object _sweepLock = new();

    public LocalLimiter(TimeProvider time)
    {
        _time = time;
    }

    public int Count => _buckets.Count;

    public LimitDecision TryAcquire(string limit, string key, double rate, double capacity)
    {
        var now = _time.GetTimestamp();
        if (!_buckets.TryGetValue((limit, key), out var bucket))
        {
            if (_buckets.Count >= MaxKeys)
            {
                Sweep(now);
                if (_buckets.Count >= MaxKeys)
                {
                    key = OverflowKey;
                }
            }

            bucket = _buckets.GetOrAdd((limit, key), static (_, now) => new LimitBucket(now), now);
        }

        return bucket.TryTake(rate, capacity, now, _time.TimestampFrequency);
    }

    /// <summary>Forgets every bucket of <paramref name="limit"/> (its settings changed shape, or it was removed).</summary>
    public void Forget(string limit)
    {
        foreach (var key in _buckets.Keys.Where(k => k.Limit == limit))
        {
            _buckets.TryRemove(key, out _);
        }
    }

    private void Sweep(long now)
    {
        if (!Monitor.TryEnter(_sweepLock))
        {
            return;
        }

        try
        {
            foreach (var (key, bucket) in _buckets)
            {
                if (bucket.IsDrained(now, _time.TimestampFrequency))
                {
                    _buckets.TryRemove(key, out _);
                }
            }
        }
        finally
        {
            Monitor.Exit(_sweepLock);
        }
    }
}
