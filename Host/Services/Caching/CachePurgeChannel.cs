using System.Text.Json;
using Slardar.Scriptable.Host.Services.Redis;
using StackExchange.Redis;

namespace Slardar.Scriptable.Host.Services.Caching;

/// <summary>
/// Carries purges between gateways over Redis pub/sub (<c>Redis:Default</c>): a purge made here is
/// published, and purges other gateways publish are applied here. A gateway misses purges published
/// while it is disconnected; entries then live out their TTL.
/// </summary>
internal sealed partial class CachePurgeChannel
{
    public const string Channel = "slardar:cache:purge";

    private readonly CacheSet _caches;
    private readonly RedisConnection _connection;
    private readonly string _instanceId;
    private readonly ILogger _logger;

    public CachePurgeChannel(CacheSet caches, RedisConnection connection, string instanceId, ILogger<CachePurgeChannel> logger)
    {
        _caches = caches;
        _connection = connection;
        _instanceId = instanceId;
        _logger = logger;
    }

    public async Task StartAsync()
    {
        _caches.Purged += (name, key) => _ = PublishAsync(name, key);
        if (_connection.Subscriber is not { } subscriber)
        {
            return;
        }

        try
        {
            await subscriber.SubscribeAsync(RedisChannel.Literal(Channel), (_, message) => Apply(message));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The multiplexer re-subscribes by itself once it connects.
            Log.SubscribeFailed(_logger, ex.Message);
        }
    }

    private async Task PublishAsync(string name, string? key)
    {
        if (_connection.Subscriber is not { } subscriber)
        {
            return;
        }

        try
        {
            var message = JsonSerializer.Serialize(new PurgeMessage(_instanceId, name, key), CachePurgeJson.Default.PurgeMessage);
            await subscriber.PublishAsync(RedisChannel.Literal(Channel), message);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.PublishFailed(_logger, name, ex.Message);
        }
    }

    private void Apply(RedisValue message)
    {
        try
        {
            var purge = JsonSerializer.Deserialize((string?)message ?? "null", CachePurgeJson.Default.PurgeMessage);
            if (purge is not null && purge.From != _instanceId && !string.IsNullOrEmpty(purge.Cache))
            {
                _caches.PurgeLocal(purge.Cache, purge.Key);
            }
        }
        catch (JsonException)
        {
            Log.BadMessage(_logger);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Cache purges from other gateways are not received yet: {Reason}")]
        public static partial void SubscribeFailed(ILogger logger, string reason);

        [LoggerMessage(2, LogLevel.Warning, "The purge of cache {Cache} did not reach the other gateways: {Reason}")]
        public static partial void PublishFailed(ILogger logger, string cache, string reason);

        [LoggerMessage(3, LogLevel.Warning, "A message on the cache purge channel was not a purge; ignored")]
        public static partial void BadMessage(ILogger logger);
    }
}
