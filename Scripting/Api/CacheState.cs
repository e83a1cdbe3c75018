namespace Slardar.Scriptable.Scripting.Api;

/// <summary>How <see cref="IScriptCache.GetAsync{T}"/> answered (shcache's cache_status).</summary>
public enum CacheState
{
    /// <summary>A fresh value from the cache (also for a caller that waited on another caller's load).</summary>
    Hit,

    /// <summary>The loader ran for this caller and returned a value, now cached for the cache's TTL.</summary>
    Miss,

    /// <summary>A fresh "no such key" from the cache: a loader returned null within the negative TTL.</summary>
    HitNegative,

    /// <summary>The loader ran for this caller and returned null; remembered for the negative TTL.</summary>
    NoData,

    /// <summary>The loader failed (threw or timed out) and the last value, expired but within the stale window, is served.</summary>
    Stale,

    /// <summary>The loader failed (threw or timed out) and there is no value to serve; nothing is cached.</summary>
    NetError,
}
