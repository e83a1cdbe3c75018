using System.Collections.Concurrent;
using System.Text.Json;
using Slardar.Scriptable.Host.Store;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// Scripts' <c>Config["key"]</c>: the JSON value of <c>&lt;prefix&gt;config/&lt;key&gt;</c>, cached
/// as Slardar's shcache did: a found value for the positive TTL, "no such key" for the negative TTL,
/// one fetch per key at a time, and the last value kept (stale) while Consul cannot be asked: the
/// one in memory, or else the last-known-good copy the KV watch left in the store.
/// <para>
/// An expired entry is served once more while a background fetch refreshes it (stale while
/// revalidating), so a slow or hung Consul never adds latency to a request. The indexer never
/// waits at all, because balancer scripts are synchronous and must not block a request thread on
/// the network: for a key not cached yet it answers null and starts a fetch. <see cref="GetAsync"/>
/// waits only for a key it has never seen (bounded by the script's budget). The KV watch also
/// pushes every change of a <c>config/</c> key here, so values are fresh long before their TTL.
/// </para>
/// </summary>
internal sealed partial class ConsulConfigCache : IScriptConfig
{
    // Keys are chosen by scripts: a script asking for ever new names must not grow memory for ever.
    private const int MaxEntries = 10_000;

    private readonly ConsulClient _client;
    private readonly GatewayStore _store;
    private readonly ConsulKvLayout _layout;
    private readonly TimeSpan _positiveTtl;
    private readonly TimeSpan _negativeTtl;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<Entry>> _fetches = new(StringComparer.Ordinal);
    private int _fetchCount;

    public ConsulConfigCache(ConsulClient client, GatewayStore store, ConsulKvLayout layout, TimeSpan positiveTtl, TimeSpan negativeTtl, TimeProvider time, ILogger<ConsulConfigCache> logger)
    {
        _client = client;
        _store = store;
        _layout = layout;
        _positiveTtl = positiveTtl;
        _negativeTtl = negativeTtl;
        _time = time;
        _logger = logger;
    }

    /// <summary>Fetches from Consul so far (for tests and metrics).</summary>
    public int Fetches => Volatile.Read(ref _fetchCount);

    public JsonElement? this[string key]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(key);
            if (!IsValidKey(key))
            {
                return null;
            }

            if (_entries.TryGetValue(key, out var entry))
            {
                if (IsExpired(entry))
                {
                    _ = FetchOnceAsync(key);
                }

                return entry.Value;
            }

            _ = FetchOnceAsync(key);
            return null;
        }
    }

    public async ValueTask<JsonElement?> GetAsync(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!IsValidKey(key))
        {
            return null;
        }

        // Anything known answers at once (refreshed behind the caller when expired): a hung Consul
        // must not hold requests. Only a key never seen waits for its first fetch.
        return _entries.ContainsKey(key) ? this[key] : (await FetchOnceAsync(key)).Value;
    }

    /// <summary>
    /// The KV watch saw <paramref name="key"/> with <paramref name="json"/>: cached as fresh. Returns
    /// why the value was refused (not JSON), in which case the last good value stays.
    /// </summary>
    public string? Seen(string key, string json)
    {
        if (!TryParse(json, out var value, out var error))
        {
            return error;
        }

        _entries[key] = new Entry(value, _time.GetTimestamp(), _positiveTtl);
        return null;
    }

    /// <summary>The KV watch saw <paramref name="key"/> deleted.</summary>
    public void Forget(string key) => _entries[key] = new Entry(null, _time.GetTimestamp(), _negativeTtl);

    /// <summary>
    /// Letters, digits, <c>-_.</c> and <c>/</c> between non-empty segments other than <c>.</c> and
    /// <c>..</c>: a key chosen by a script must not climb out of <c>config/</c> to other KV keys.
    /// </summary>
    internal static bool IsValidKey(string key) =>
        key.Length is > 0 and <= 512
        && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')
        && key.Split('/').All(segment => segment.Length > 0 && segment != "." && segment != "..");

    private bool IsExpired(Entry entry) => _time.GetElapsedTime(entry.StoredAt) >= entry.Ttl;

    private Task<Entry> FetchOnceAsync(string key)
    {
        if (_fetches.TryGetValue(key, out var running))
        {
            return running;
        }

        var source = new TaskCompletionSource<Entry>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_fetches.TryAdd(key, source.Task))
        {
            return _fetches.TryGetValue(key, out running) ? running : source.Task;
        }

        _ = Task.Run(async () =>
        {
            // Out of the table before the waiters resume: a caller that saw this answer and asks
            // again (its TTL ran out) must start a new fetch, not get this one back.
            try
            {
                var entry = await FetchAsync(key);
                _fetches.TryRemove(new KeyValuePair<string, Task<Entry>>(key, source.Task));
                source.SetResult(entry);
            }
            catch (Exception e)
            {
                _fetches.TryRemove(new KeyValuePair<string, Task<Entry>>(key, source.Task));
                source.SetException(e);
            }
        });
        return source.Task;
    }

    private async Task<Entry> FetchAsync(string key)
    {
        Interlocked.Increment(ref _fetchCount);
        var now = _time.GetTimestamp();
        _entries.TryGetValue(key, out var old);
        Entry entry;
        try
        {
            var found = await _client.GetAsync(_layout.ConfigKey(key), CancellationToken.None);
            if (found is null)
            {
                entry = new Entry(null, now, _negativeTtl);
            }
            else if (TryParse(found.ValueAsString, out var value, out var error))
            {
                entry = new Entry(value, now, _positiveTtl);
            }
            else
            {
                Log.InvalidValue(_logger, key, error);
                entry = new Entry(old?.Value, now, _negativeTtl);
            }
        }
        catch (ConsulException e)
        {
            // Stale beats nothing: keep serving the last value, and ask again after the negative TTL.
            var stale = old is not null ? old.Value : StoredValue(key);
            Log.FetchFailed(_logger, key, stale is not null, e.Message);
            entry = new Entry(stale, now, _negativeTtl);
        }

        if (old is not null || _entries.Count < MaxEntries)
        {
            _entries[key] = entry;
        }

        return entry;
    }

    private JsonElement? StoredValue(string key) =>
        _store.Get(StoreKinds.Config, key) is { } stored && TryParse(stored.Content, out var value, out _) ? value : null;

    private static bool TryParse(string json, out JsonElement? value, out string error)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            value = document.RootElement.Clone();
            error = "";
            return true;
        }
        catch (JsonException e)
        {
            value = null;
            error = "not JSON: " + e.Message;
            return false;
        }
    }

    private sealed record Entry(JsonElement? Value, long StoredAt, TimeSpan Ttl);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Config {Key}: Consul could not be asked (serving the last value: {Stale}): {Reason}")]
        public static partial void FetchFailed(ILogger logger, string key, bool stale, string reason);

        [LoggerMessage(2, LogLevel.Warning, "Config {Key}: the value in Consul is refused: {Reason}")]
        public static partial void InvalidValue(ILogger logger, string key, string reason);
    }
}
