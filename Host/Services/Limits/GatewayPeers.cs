using Slardar.Scriptable.Host.Services.Redis;
using StackExchange.Redis;

namespace Slardar.Scriptable.Host.Services.Limits;

/// <summary>
/// How many gateways share the cluster limits' Redis: each gateway writes its id with Redis's time
/// into one sorted set every few seconds and reads how many wrote recently. A cluster limit whose
/// Redis is unreachable falls back to rate / <see cref="LastSeen"/> locally.
/// </summary>
internal sealed partial class GatewayPeers : IAsyncDisposable
{
    public const string Key = "slardar:gateways";
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    // KEYS[1] the set; ARGV id, horizon seconds. Returns the count of gateways seen within the horizon.
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1])
        redis.call('ZADD', KEYS[1], now, ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
        redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
        return redis.call('ZCARD', KEYS[1])
        """;

    private readonly RedisConnection _connection;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private int _lastSeen = 1;

    public GatewayPeers(RedisConnection connection, string instanceId, TimeProvider time, ILogger<GatewayPeers> logger)
    {
        _connection = connection;
        InstanceId = instanceId;
        _logger = logger;
        _timer = time.CreateTimer(_ => _ = BeatAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string InstanceId { get; }

    /// <summary>Gateways seen at the last successful beat (this one included); 1 until then.</summary>
    public int LastSeen => Volatile.Read(ref _lastSeen);

    public void Start() => _timer.Change(TimeSpan.Zero, Interval);

    /// <summary>One beat now (the timer's work; tests call it directly).</summary>
    public async Task BeatAsync()
    {
        try
        {
            var horizon = (long)(Interval.TotalSeconds * 3);
            var count = (long)await _connection.Database.ScriptEvaluateAsync(Script, [Key], [InstanceId, horizon]);
            Volatile.Write(ref _lastSeen, (int)Math.Clamp(count, 1, int.MaxValue));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.BeatFailed(_logger, ex.Message);
        }
    }

    public ValueTask DisposeAsync() => _timer.DisposeAsync();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Gateway heartbeat to Redis failed: {Reason}")]
        public static partial void BeatFailed(ILogger logger, string reason);
    }
}
