using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Services.Caching;

/// <summary>
/// The gateway's named caches (one set per gateway instance). Declared caches take their settings
/// from scripts.json and follow its edits; an undeclared name gets <see cref="CacheOptions.Default"/>.
/// </summary>
internal sealed class CacheSet
{
    private readonly ConcurrentDictionary<string, NamedCache> _caches = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private ImmutableDictionary<string, CacheOptions> _declared = ImmutableDictionary<string, CacheOptions>.Empty;

    public CacheSet(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Raised after a purge made here (admin or script), for the purge to reach the other gateways.</summary>
    public event Action<string, string?>? Purged;

    public IEnumerable<NamedCache> All => _caches.Values.OrderBy(c => c.Name, StringComparer.Ordinal);

    /// <summary>The cache of that name, created on first use; throws past <see cref="CacheOptions.MaxCaches"/> names.</summary>
    public NamedCache Get(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_caches.TryGetValue(name, out var cache))
        {
            return cache;
        }

        if (name.Length > 128)
        {
            throw new ArgumentException("a cache name is at most 128 characters", nameof(name));
        }

        if (_caches.Count >= CacheOptions.MaxCaches)
        {
            throw new InvalidOperationException($"the gateway keeps at most {CacheOptions.MaxCaches} caches; declare the names in scripts.json \"caches\"");
        }

        return _caches.GetOrAdd(name, n => new NamedCache(n, Volatile.Read(ref _declared).GetValueOrDefault(n, CacheOptions.Default), _time));
    }

    public bool TryFind(string name, out NamedCache cache) => _caches.TryGetValue(name, out cache!);

    /// <summary>Applies scripts.json's declarations: declared caches exist at once and take their new settings.</summary>
    public void Declare(IReadOnlyDictionary<string, CacheOptions> declared)
    {
        Volatile.Write(ref _declared, declared.ToImmutableDictionary(StringComparer.Ordinal));
        foreach (var (name, options) in declared)
        {
            var cache = _caches.GetOrAdd(name, n => new NamedCache(n, options, _time));
            cache.Reconfigure(options);
        }

        foreach (var cache in _caches.Values.Where(c => !declared.ContainsKey(c.Name)))
        {
            cache.Reconfigure(CacheOptions.Default);
        }
    }

    /// <summary>Purges a key, or a whole cache when <paramref name="key"/> is null, here and (through <see cref="Purged"/>) on the other gateways.</summary>
    /// <returns>Entries removed here.</returns>
    public int Purge(string name, string? key)
    {
        var removed = PurgeLocal(name, key);
        Purged?.Invoke(name, key);
        return removed;
    }

    /// <summary>A purge that came from another gateway: applied here only.</summary>
    public int PurgeLocal(string name, string? key)
    {
        if (!_caches.TryGetValue(name, out var cache))
        {
            return 0;
        }

        return key is null ? cache.Clear() : cache.Remove(key) ? 1 : 0;
    }
}
