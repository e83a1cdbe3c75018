namespace Slardar.Scriptable.Host.Services.Caching;

/// <summary>
/// One cache's settings, from scripts.json <c>"caches": {"name": {"size": 10000, "ttl": 300,
/// "negative_ttl": 120, "stale_ttl": 3600, "load_timeout_ms": 200}}</c> (seconds unless named).
/// </summary>
/// <param name="Size">Entries kept at most (fresh, negative and stale alike); the least recently used goes first.</param>
/// <param name="Ttl">How long a loaded value is fresh.</param>
/// <param name="NegativeTtl">How long a loader's null (no such key) is remembered.</param>
/// <param name="StaleTtl">How long after expiry a value may still be served when its reload fails.</param>
/// <param name="LoadTimeout">How long one load may take; also how long other callers wait for it (the lock timeout).</param>
internal sealed record CacheOptions(int Size, TimeSpan Ttl, TimeSpan NegativeTtl, TimeSpan StaleTtl, TimeSpan LoadTimeout)
{
    /// <summary>What an undeclared cache name uses (the example values).</summary>
    public static CacheOptions Default { get; } = new(10_000, TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(3600), TimeSpan.FromMilliseconds(200));

    /// <summary>
    /// After a failed reload served a stale value, the next reload waits this long: an outage costs
    /// one loader call per key per interval, not one per request (shcache's actualize_ttl).
    /// </summary>
    public static TimeSpan StaleRetryInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Keys longer than this are refused (an argument error in the script).</summary>
    public const int MaxKeyLength = 8 * 1024;

    /// <summary>A string or byte array larger than this is answered but not kept: one value cannot fill the memory.</summary>
    public const int MaxValueBytes = 1024 * 1024;

    /// <summary>Cache names a gateway keeps at most (declared or not): a script looping over names cannot grow the set without bound.</summary>
    public const int MaxCaches = 256;
}
