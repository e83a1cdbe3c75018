namespace Slardar.Scriptable.Host.Services.Caching;

/// <summary>One cached key: a value or a negative marker, its deadlines, and its place in the LRU list (guarded by the cache's lock).</summary>
internal sealed class CacheEntry
{
    public CacheEntry(string key, object? value, long freshUntil, long staleUntil)
    {
        Key = key;
        Value = value;
        FreshUntil = freshUntil;
        StaleUntil = staleUntil;
    }

    public string Key { get; }

    /// <summary>The value; null is a negative entry (the loader said "no such key").</summary>
    public object? Value { get; }

    public bool IsNegative => Value is null;

    /// <summary>Timestamp up to which the entry is served without a load.</summary>
    public long FreshUntil { get; set; }

    /// <summary>Timestamp up to which a positive value may be served as Stale when a reload fails.</summary>
    public long StaleUntil { get; }

    /// <summary>A failed reload extended it: hits until <see cref="FreshUntil"/> answer Stale, not Hit.</summary>
    public bool ServingStale { get; set; }

    public CacheEntry? Newer { get; set; }

    public CacheEntry? Older { get; set; }
}
