using StackExchange.Redis;

namespace Slardar.Scriptable.Host.Services.Redis;

/// <summary>
/// One live named connection (StackExchange.Redis multiplexer). It connects in the background and
/// reconnects by itself; while it is down every command fails at once (fail-fast backlog policy)
/// instead of queueing, so Redis down never hangs a request.
/// </summary>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly ILogger _logger;
    private ConnectionMultiplexer? _multiplexer;
    private string? _lastError;

    public RedisConnection(RedisConnectionConfig config, ILogger logger)
    {
        Config = config;
        _logger = logger;
    }

    public RedisConnectionConfig Config { get; }

    public bool IsConnected => _multiplexer?.IsConnected ?? false;

    /// <summary>The last connection failure seen; null once connected again.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>The database commands go to; throws when the first connect has not even been tried.</summary>
    public IDatabase Database => (_multiplexer ?? throw new RedisException($"connection {Config.Name} is not started")).GetDatabase(Config.Database);

    public ISubscriber? Subscriber => _multiplexer?.GetSubscriber();

    /// <summary>Creates the multiplexer; returns after the first attempt (connected or not), never throws for Redis being down.</summary>
    public async Task StartAsync()
    {
        var options = new ConfigurationOptions
        {
            Password = Config.Password,
            DefaultDatabase = Config.Database,
            ConnectTimeout = (int)Config.ConnectTimeout.TotalMilliseconds,
            SyncTimeout = (int)Config.Timeout.TotalMilliseconds,
            AsyncTimeout = (int)Config.Timeout.TotalMilliseconds,
            AbortOnConnectFail = false,
            ConnectRetry = 1,
            BacklogPolicy = BacklogPolicy.FailFast,
            ReconnectRetryPolicy = new ExponentialRetry(250, 5000),
            ClientName = "slardar-scriptable",
        };
        foreach (var endpoint in Config.Endpoints)
        {
            options.EndPoints.Add(endpoint);
        }

        try
        {
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(options);
            multiplexer.ConnectionFailed += (_, e) =>
            {
                Volatile.Write(ref _lastError, $"{e.FailureType}: {e.Exception?.Message}");
                Log.ConnectionFailed(_logger, Config.Name, e.EndPoint?.ToString(), e.FailureType.ToString());
            };
            multiplexer.ConnectionRestored += (_, e) =>
            {
                Volatile.Write(ref _lastError, null);
                Log.ConnectionRestored(_logger, Config.Name, e.EndPoint?.ToString());
            };
            _multiplexer = multiplexer;
            if (!multiplexer.IsConnected)
            {
                Volatile.Write(ref _lastError, "not connected yet");
                Log.NotConnected(_logger, Config.Name, string.Join(",", Config.Endpoints));
            }
        }
        catch (Exception ex) when (ex is RedisException or ArgumentException)
        {
            Volatile.Write(ref _lastError, ex.Message);
            Log.StartFailed(_logger, Config.Name, ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is { } multiplexer)
        {
            await multiplexer.CloseAsync(allowCommandsToComplete: false);
            await multiplexer.DisposeAsync();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Redis {Name}: connection to {EndPoint} failed ({Failure}); commands fail fast until it is restored")]
        public static partial void ConnectionFailed(ILogger logger, string name, string? endPoint, string failure);

        [LoggerMessage(2, LogLevel.Information, "Redis {Name}: connection to {EndPoint} restored")]
        public static partial void ConnectionRestored(ILogger logger, string name, string? endPoint);

        [LoggerMessage(3, LogLevel.Warning, "Redis {Name}: not connected to {Endpoints} yet; retrying in the background")]
        public static partial void NotConnected(ILogger logger, string name, string endpoints);

        [LoggerMessage(4, LogLevel.Error, "Redis {Name}: the connection could not be created: {Reason}")]
        public static partial void StartFailed(ILogger logger, string name, string reason);
    }
}
