namespace Slardar.Scriptable.Host.Services.Caching;

/// <summary>A cache's counters since start (GET /caches, /metrics). Incremented without a lock.</summary>
internal sealed class CacheCounters
{
    private long _hits;
    private long _misses;
    private long _negativeHits;
    private long _noData;
    private long _stale;
    private long _netErrors;
    private long _lockWaits;
    private long _evictions;
    private long _tooLarge;

    public long Hits => Volatile.Read(ref _hits);

    public long Misses => Volatile.Read(ref _misses);

    public long NegativeHits => Volatile.Read(ref _negativeHits);

    public long NoData => Volatile.Read(ref _noData);

    public long Stale => Volatile.Read(ref _stale);

    public long NetErrors => Volatile.Read(ref _netErrors);

    /// <summary>Callers that found another caller's load in flight and waited for it.</summary>
    public long LockWaits => Volatile.Read(ref _lockWaits);

    /// <summary>Entries dropped at the size bound (least recently used first).</summary>
    public long Evictions => Volatile.Read(ref _evictions);

    /// <summary>Values answered but not kept: larger than <see cref="CacheOptions.MaxValueBytes"/>.</summary>
    public long TooLarge => Volatile.Read(ref _tooLarge);

    public void Count(Scripting.Api.CacheState state)
    {
        switch (state)
        {
            case Scripting.Api.CacheState.Hit: Interlocked.Increment(ref _hits); break;
            case Scripting.Api.CacheState.Miss: Interlocked.Increment(ref _misses); break;
            case Scripting.Api.CacheState.HitNegative: Interlocked.Increment(ref _negativeHits); break;
            case Scripting.Api.CacheState.NoData: Interlocked.Increment(ref _noData); break;
            case Scripting.Api.CacheState.Stale: Interlocked.Increment(ref _stale); break;
            case Scripting.Api.CacheState.NetError: Interlocked.Increment(ref _netErrors); break;
        }
    }

    public void LockWait() => Interlocked.Increment(ref _lockWaits);

    public void Evicted() => Interlocked.Increment(ref _evictions);

    public void ValueTooLarge() => Interlocked.Increment(ref _tooLarge);
}
