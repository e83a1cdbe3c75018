namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// The gateway's node-local caches (shcache + lrucache): values kept as objects in process memory,
/// each cache with a size bound (LRU), a TTL, a negative TTL, a stale window and a loader timeout,
/// declared in scripts.json <c>"caches"</c>. One loader runs per key at a time; other callers wait
/// for it, bounded by the loader timeout and their own budget.
/// </summary>
public interface IScriptCache
{
    /// <summary>
    /// The value of <paramref name="key"/> in cache <paramref name="cacheName"/>, loading it with
    /// <paramref name="loader"/> when it is not cached. A loader returning null is NoData (remembered
    /// for the negative TTL); a loader that throws or outlasts the loader timeout gives Stale (the last
    /// value, within the stale window) or NetError, never a cached NoData. The wait counts against the
    /// caller's budget.
    /// </summary>
    ValueTask<CacheResult<T>> GetAsync<T>(string cacheName, string key, Func<Task<T?>> loader)
        where T : class;

    /// <summary>Forgets <paramref name="key"/> in this gateway's cache <paramref name="cacheName"/>; true if it was cached.</summary>
    bool Remove(string cacheName, string key);
}
