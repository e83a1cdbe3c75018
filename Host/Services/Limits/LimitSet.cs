using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Slardar.Scriptable.Scripting.Api;
using StackExchange.Redis;

namespace Slardar.Scriptable.Host.Services.Limits;

/// <summary>
/// The gateway's rate limits (one set per gateway instance): named limits from scripts.json
/// <c>"limits"</c> overlaid by Consul <c>config/limit</c> (re-read every second, so both change
/// live), hosts' declarative limits, and the decision itself, local or in Redis with a fallback
/// while Redis is unreachable.
/// </summary>
internal sealed partial class LimitSet : IAsyncDisposable
{
    public const string ConsulKey = "limit";
    public static readonly TimeSpan ConsulRefresh = TimeSpan.FromSeconds(1);

    private readonly LocalLimiter _local;
    private readonly ClusterLimiter? _cluster;
    private readonly GatewayPeers? _peers;
    private readonly IScriptConfig _config;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly ConcurrentDictionary<string, LimitCounters> _counters = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, LimitConfig> _fromFile = ImmutableDictionary<string, LimitConfig>.Empty;
    private ImmutableDictionary<string, LimitConfig> _fromConsul = ImmutableDictionary<string, LimitConfig>.Empty;
    private string? _consulText;
    private string? _redisError;

    public LimitSet(LocalLimiter local, ClusterLimiter? cluster, GatewayPeers? peers, IScriptConfig config, TimeProvider time, ILogger<LimitSet> logger)
    {
        _local = local;
        _cluster = cluster;
        _peers = peers;
        _config = config;
        _logger = logger;
        _timer = time.CreateTimer(_ => RefreshFromConsul(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Named limits in force: Consul's over scripts.json's.</summary>
    public ImmutableDictionary<string, LimitConfig> Named => Volatile.Read(ref _fromFile).SetItems(Volatile.Read(ref _fromConsul));

    /// <summary>Gateways sharing the cluster limits' Redis, as last seen (1 without Redis).</summary>
    public int GatewaysSeen => _peers?.LastSeen ?? 1;

    public bool HasRedis => _cluster is not null;

    /// <summary>Why the last cluster decision fell back; null while Redis answers.</summary>
    public string? RedisError => Volatile.Read(ref _redisError);

    public IReadOnlyDictionary<string, LimitCounters> Counters => _counters;

    public void Start()
    {
        _timer.Change(TimeSpan.Zero, ConsulRefresh);
        _peers?.Start();
    }

    /// <summary>Applies scripts.json's <c>"limits"</c>; limits whose settings changed start counting afresh.</summary>
    public void Declare(IReadOnlyDictionary<string, LimitConfig> fromFile)
    {
        var old = Interlocked.Exchange(ref _fromFile, fromFile.ToImmutableDictionary(StringComparer.Ordinal));
        ForgetChanged(old, _fromFile);
    }

    /// <summary>Reads Consul's <c>config/limit</c> as cached (never waits); a changed value replaces the previous one.</summary>
    public void RefreshFromConsul()
    {
        var element = _config[ConsulKey];
        var text = element?.GetRawText();
        if (text == Volatile.Read(ref _consulText))
        {
            return;
        }

        var parsed = ImmutableDictionary.CreateBuilder<string, LimitConfig>(StringComparer.Ordinal);
        if (element is { ValueKind: JsonValueKind.Object } limits)
        {
            foreach (var property in limits.EnumerateObject())
            {
                if (LimitConfigParser.Parse(property.Name, property.Value, forHost: false, out var error) is { } limit)
                {
                    parsed[property.Name] = limit;
                }
                else
                {
                    Log.ConsulLimitIgnored(_logger, property.Name, error!);
                }
            }
        }
        else if (element is not null)
        {
            Log.ConsulLimitIgnored(_logger, ConsulKey, "must be an object of name → {\"rate\": .., \"burst\": ..}");
        }

        Volatile.Write(ref _consulText, text);
        var old = Interlocked.Exchange(ref _fromConsul, parsed.ToImmutable());
        ForgetChanged(old, _fromConsul);
    }

    /// <summary>Counts one request of <paramref name="key"/> against the named limit; an unknown name throws.</summary>
    public ValueTask<LimitDecision> AcquireNamedAsync(string name, string key, TimeSpan callerRemaining)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(key);
        var limit = (Volatile.Read(ref _fromConsul).GetValueOrDefault(name) ?? Volatile.Read(ref _fromFile).GetValueOrDefault(name))
            ?? throw new ArgumentException($"no rate limit named \"{name}\" (scripts.json \"limits\" or Consul config/{ConsulKey})", nameof(name));
        return AcquireAsync(limit, name, key, callerRemaining);
    }

    /// <param name="bucket">The name the counts live under (a named limit's name, or <c>host:&lt;pattern&gt;</c>).</param>
    public ValueTask<LimitDecision> AcquireAsync(LimitConfig limit, string bucket, string key, TimeSpan callerRemaining)
    {
        if (key.Length > 1024)
        {
            // Long keys are hashed: a key of megabytes costs neither memory here nor a huge Redis key.
            key = "#" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
        }

        if (limit.Scope == LimitScope.Local)
        {
            return ValueTask.FromResult(Counted(bucket, _local.TryAcquire(bucket, key, limit.Rate, limit.Capacity)));
        }

        return AcquireClusterAsync(limit, bucket, key, callerRemaining);
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        if (_peers is not null)
        {
            await _peers.DisposeAsync();
        }
    }

    private async ValueTask<LimitDecision> AcquireClusterAsync(LimitConfig limit, string bucket, string key, TimeSpan callerRemaining)
    {
        string reason;
        if (_cluster is null)
        {
            reason = "no Redis:Default is configured";
        }
        else
        {
            var timeout = _cluster.Connection.Config.Timeout;
            if (callerRemaining != Timeout.InfiniteTimeSpan && callerRemaining < timeout)
            {
                timeout = callerRemaining;
            }

            try
            {
                var decision = await _cluster.TryAcquireAsync(bucket, key, limit.Rate, limit.Capacity, timeout);
                if (Volatile.Read(ref _redisError) is not null)
                {
                    Volatile.Write(ref _redisError, null);
                    Log.RedisBack(_logger);
                }

                return Counted(bucket, decision);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidCastException)
            {
                reason = ex.Message;
            }
        }

        if (Interlocked.Exchange(ref _redisError, reason) is null)
        {
            Log.FallingBack(_logger, reason);
        }

        _counters.GetOrAdd(bucket, static _ => new LimitCounters()).Fallback();
        return Counted(bucket, limit.Fallback switch
        {
            LimitFallback.Open => new LimitDecision(true, TimeSpan.Zero, limit.Burst),
            LimitFallback.Closed => new LimitDecision(false, TimeSpan.FromSeconds(1), 0),
            _ => LocalShare(limit, bucket, key),
        });
    }

    // This gateway's share while Redis is away: the rate and burst divided by the gateways last seen.
    private LimitDecision LocalShare(LimitConfig limit, string bucket, string key)
    {
        var share = Math.Max(1, GatewaysSeen);
        return _local.TryAcquire("\u0000fallback:" + bucket, key, limit.Rate / share, (limit.Burst / (double)share) + 1);
    }

    private LimitDecision Counted(string bucket, LimitDecision decision)
    {
        _counters.GetOrAdd(bucket, static _ => new LimitCounters()).Count(decision.Allowed);
        return decision;
    }

    private void ForgetChanged(ImmutableDictionary<string, LimitConfig> old, ImmutableDictionary<string, LimitConfig> current)
    {
        foreach (var (name, limit) in old)
        {
            if (!current.TryGetValue(name, out var now) || now != limit)
            {
                _local.Forget(name);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Consul config/limit: \"{Name}\" ignored: {Reason}")]
        public static partial void ConsulLimitIgnored(ILogger logger, string name, string reason);

        [LoggerMessage(2, LogLevel.Warning, "Cluster rate limits fall back (each limit's \"fallback\") while Redis does not answer: {Reason}")]
        public static partial void FallingBack(ILogger logger, string reason);

        [LoggerMessage(3, LogLevel.Information, "Cluster rate limits count in Redis again")]
        public static partial void RedisBack(ILogger logger);
    }
}
