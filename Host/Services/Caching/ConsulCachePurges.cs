using System.Text.Json;
using Slardar.Scriptable.Host.Consul;

namespace Slardar.Scriptable.Host.Services.Caching;

/// <summary>
/// Carries purges between gateways through Consul's KV when Consul is configured and Redis is not
/// (<see cref="CachePurgeChannel"/> does it over Redis pub/sub otherwise). Each gateway writes its
/// last <see cref="Window"/> purges, numbered, to a key of its own (<c>cache_purges/&lt;instance&gt;</c>:
/// two gateways never overwrite each other's), and applies from the others' keys the numbers it has
/// not applied yet as the KV watch delivers them. A blocking watch may skip versions of a key that
/// change quickly; the window keeps those purges. The own key is deleted on a clean shutdown.
/// </summary>
internal sealed partial class ConsulCachePurges : IAsyncDisposable
{
    public const int Window = 64;

    private static readonly TimeSpan DeleteTimeout = TimeSpan.FromSeconds(2);

    private readonly CacheSet _caches;
    private readonly ConsulClient _client;
    private readonly string _ownName;
    private readonly string _ownKey;
    private readonly ILogger _logger;
    private readonly Queue<NumberedPurge> _mine = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Dictionary<string, long> _applied = new(StringComparer.Ordinal);
    private long _seq;
    private bool _wrote;

    public ConsulCachePurges(CacheSet caches, ConsulClient client, ConsulKvLayout layout, string instanceId, ILogger<ConsulCachePurges> logger)
    {
        _caches = caches;
        _client = client;
        _ownName = instanceId.Replace(':', '-');
        _ownKey = layout.CachePurgeKey(_ownName);
        _logger = logger;
    }

    public void Start() => _caches.Purged += (name, key) => _ = PublishAsync(name, key);

    /// <summary>Applies another gateway's purge log (the value of its key); returns why it was refused, or null.</summary>
    public string? Apply(string gateway, string json)
    {
        if (gateway == _ownName)
        {
            return null;
        }

        PurgeLog? log;
        try
        {
            log = JsonSerializer.Deserialize(json, CachePurgeJson.Default.PurgeLog);
        }
        catch (JsonException ex)
        {
            return "not a purge log: " + ex.Message;
        }

        if (log?.Purges is not { } purges)
        {
            return "not a purge log: {\"purges\": [{\"seq\", \"cache\", \"key\"}]} expected";
        }

        lock (_applied)
        {
            var last = _applied.GetValueOrDefault(gateway);
            var newest = last;
            foreach (var purge in purges.Where(p => p.Seq > last && !string.IsNullOrEmpty(p.Cache)).OrderBy(p => p.Seq).TakeLast(Window))
            {
                _caches.PurgeLocal(purge.Cache, purge.Key);
                newest = Math.Max(newest, purge.Seq);
            }

            _applied[gateway] = newest;
        }

        return null;
    }

    /// <summary>That gateway's key is gone (it shut down): its numbers start over if it comes back.</summary>
    public void Forget(string gateway)
    {
        lock (_applied)
        {
            _applied.Remove(gateway);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Volatile.Read(ref _wrote))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(DeleteTimeout);
        try
        {
            await _client.DeleteAsync(_ownKey, cas: null, timeout.Token);
        }
        catch (Exception ex) when (ex is ConsulException or OperationCanceledException or HttpRequestException)
        {
            // Left behind, the key only holds numbers nobody applies twice.
        }
    }

    private async Task PublishAsync(string name, string? key)
    {
        lock (_mine)
        {
            _mine.Enqueue(new NumberedPurge(++_seq, name, key));
            while (_mine.Count > Window)
            {
                _mine.Dequeue();
            }
        }

        // One write at a time, each with the whole window: the last write carries every purge.
        await _writing.WaitAsync();
        try
        {
            string value;
            lock (_mine)
            {
                value = JsonSerializer.Serialize(new PurgeLog([.. _mine]), CachePurgeJson.Default.PurgeLog);
            }

            await _client.PutAsync(_ownKey, value, cas: null, CancellationToken.None);
            Volatile.Write(ref _wrote, true);
        }
        catch (Exception ex) when (ex is ConsulException or HttpRequestException or OperationCanceledException)
        {
            Log.PublishFailed(_logger, name, ex.Message);
        }
        finally
        {
            _writing.Release();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The purge of cache {Cache} did not reach the other gateways through Consul: {Reason}")]
        public static partial void PublishFailed(ILogger logger, string cache, string reason);
    }
}
