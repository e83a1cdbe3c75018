using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// Service discovery for upstreams defined by <c>consul_service</c>: one blocking-query watch per
/// service in use, whose passing instances become the upstream's peers (address, port, and the
/// weight from the service meta <c>weight</c> if present, else its Consul <c>Weights</c>). While
/// Consul cannot be asked, the last peers known keep serving; they are kept in the store too, so a
/// gateway that starts while Consul is down still has them.
/// </summary>
internal sealed partial class ConsulServiceDirectory : IServicePeerSource, IAsyncDisposable
{
    /// <summary>A service meta key that overrides the instance's weight.</summary>
    public const string WeightMeta = "weight";

    private readonly ConsulClient _client;
    private readonly GatewayStore _store;
    private readonly ConsulWatchOptions _watchOptions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Followed> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _serviceOf = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    public ConsulServiceDirectory(ConsulClient client, GatewayStore store, ConsulWatchOptions watchOptions, TimeProvider time, ILogger<ConsulServiceDirectory> logger)
    {
        _client = client;
        _store = store;
        _watchOptions = watchOptions;
        _time = time;
        _logger = logger;
    }

    public event Action<string>? PeersChanged;

    public string? Unavailable => null;

    /// <summary>Each followed service: its watch's status and the peers it supplies now.</summary>
    public IReadOnlyList<(string Service, ConsulWatchStatus Status, int Peers)> Services
    {
        get
        {
            lock (_lock)
            {
                return [.. _services.Select(s => (s.Key, s.Value.Watch.Status, s.Value.Peers.Length)).OrderBy(s => s.Key, StringComparer.Ordinal)];
            }
        }
    }

    public UpstreamConfig Resolve(UpstreamConfig config)
    {
        if (config.ConsulService is not { } service)
        {
            return config;
        }

        Followed followed;
        lock (_lock)
        {
            if (_serviceOf.TryGetValue(config.Name, out var previous) && previous != service)
            {
                ReleaseLocked(config.Name);
            }

            _serviceOf[config.Name] = service;
            followed = FollowLocked(service);
        }

        var peers = followed.Peers;
        return config with { Levels = peers.IsEmpty ? [] : [new UpstreamLevelConfig(peers)] };
    }

    /// <summary>
    /// At start: waits until every service followed so far has answered once, or
    /// <paramref name="timeout"/> passes, so the first requests find the peers (a Consul that does
    /// not answer delays the start by at most the timeout).
    /// </summary>
    public async Task WaitForFirstAnswersAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task[] answers;
        lock (_lock)
        {
            answers = [.. _services.Values.Select(s => s.FirstAnswer.Task)];
        }

        try
        {
            await Task.WhenAll(answers).WaitAsync(timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            Log.NoFirstAnswer(_logger, timeout);
        }
    }

    public void Release(string upstream)
    {
        lock (_lock)
        {
            ReleaseLocked(upstream);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered as itself and as IServicePeerSource: the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Task[] running;
        lock (_lock)
        {
            running = [.. _services.Values.Select(s => s.Running)];
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(running);
        _stopping.Dispose();
    }

    /// <summary>Passing instances as peers, one per address:port, in a stable order.</summary>
    internal static ImmutableArray<PeerConfig> ToPeers(IEnumerable<ConsulServiceInstance> instances)
    {
        var peers = new Dictionary<string, PeerConfig>(StringComparer.OrdinalIgnoreCase);
        foreach (var instance in instances)
        {
            if (instance.Status == ConsulHealthStatus.Critical || instance.Port is < 1 or > 65535
                || !UpstreamValueRules.IsValidHost(instance.Address))
            {
                continue;
            }

            var peer = new PeerConfig { Host = instance.Address, Port = instance.Port, Weight = WeightOf(instance) };
            peers.TryAdd(peer.Address, peer);
        }

        return [.. peers.Values.OrderBy(p => p.Address, StringComparer.Ordinal)];
    }

    private static int WeightOf(ConsulServiceInstance instance)
    {
        if (instance.Meta.TryGetValue(WeightMeta, out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var meta) && meta >= 1)
        {
            return meta;
        }

        var weight = instance.Status == ConsulHealthStatus.Warning ? instance.Weights.Warning : instance.Weights.Passing;
        return Math.Max(weight, 1);
    }

    private Followed FollowLocked(string service)
    {
        if (_services.TryGetValue(service, out var followed))
        {
            return followed;
        }

        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        followed = new Followed(stop) { Peers = StoredPeers(service) };
        var self = followed;
        followed.Watch = ConsulWatches.PassingInstances(_client, service, (result, _) => OnInstances(service, self, result), _watchOptions, _time, _logger);
        followed.Running = Task.Run(() => self.Watch.RunAsync(stop.Token));
        _services[service] = followed;
        Log.Following(_logger, service);
        return followed;
    }

    private void ReleaseLocked(string upstream)
    {
        if (!_serviceOf.Remove(upstream, out var service) || _serviceOf.ContainsValue(service))
        {
            return;
        }

        if (_services.Remove(service, out var followed))
        {
            followed.Stop.Cancel();
            Log.Unfollowed(_logger, service);
        }
    }

    private Task OnInstances(string service, Followed followed, ConsulResult<IReadOnlyList<ConsulServiceInstance>> result)
    {
        var peers = ToPeers(result.Value);
        if (!peers.SequenceEqual(followed.Peers))
        {
            _store.Put(StoreKinds.Service, service, PeersJson(peers), StoreOrigins.Consul);
            followed.Peers = peers;
            Log.PeersChanged(_logger, service, peers.Length, result.Index);
            PeersChanged?.Invoke(service);
        }

        followed.FirstAnswer.TrySetResult();
        return Task.CompletedTask;
    }

    private static string PeersJson(ImmutableArray<PeerConfig> peers) =>
        new JsonArray([.. peers.Select(p => (JsonNode)new JsonObject
        {
            [UpstreamFields.Host] = p.Host,
            [UpstreamFields.Port] = p.Port,
            [UpstreamFields.Weight] = p.Weight,
        })]).ToJsonString();

    // The last peers a previous run saw: what serves until Consul answers.
    private ImmutableArray<PeerConfig> StoredPeers(string service)
    {
        if (_store.Get(StoreKinds.Service, service) is not { } stored)
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(stored.Content);
            return [.. document.RootElement.EnumerateArray().Select(p => new PeerConfig
            {
                Host = p.GetProperty(UpstreamFields.Host).GetString()!,
                Port = p.GetProperty(UpstreamFields.Port).GetInt32(),
                Weight = p.GetProperty(UpstreamFields.Weight).GetInt32(),
            })];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            Log.StoredPeersInvalid(_logger, service, e.Message);
            return [];
        }
    }

    private sealed class Followed(CancellationTokenSource stop)
    {
        private readonly Lock _peersLock = new();
        private ImmutableArray<PeerConfig> _peers = [];

        public CancellationTokenSource Stop { get; } = stop;

        public ConsulWatch<IReadOnlyList<ConsulServiceInstance>> Watch { get; set; } = null!;

        public Task Running { get; set; } = Task.CompletedTask;

        public TaskCompletionSource FirstAnswer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Written by the watch, read by publishers: a lock keeps the struct's read whole and fresh.</summary>
        public ImmutableArray<PeerConfig> Peers
        {
            get
            {
                lock (_peersLock)
                {
                    return _peers;
                }
            }

            set
            {
                lock (_peersLock)
                {
                    _peers = value;
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Consul: following service {Service}")]
        public static partial void Following(ILogger logger, string service);

        [LoggerMessage(2, LogLevel.Information, "Consul: no upstream uses service {Service} any more; stopped following it")]
        public static partial void Unfollowed(ILogger logger, string service);

        [LoggerMessage(5, LogLevel.Warning, "Consul: the stored peers of service {Service} are unreadable and were ignored: {Reason}")]
        public static partial void StoredPeersInvalid(ILogger logger, string service, string reason);

        [LoggerMessage(4, LogLevel.Warning, "Consul: not every followed service answered within {Timeout}; their upstreams start without peers and fill in when Consul answers")]
        public static partial void NoFirstAnswer(ILogger logger, TimeSpan timeout);

        [LoggerMessage(3, LogLevel.Information, "Consul: service {Service} has {Peers} passing instances (index {Index})")]
        public static partial void PeersChanged(ILogger logger, string service, int peers, ulong index);
    }
}
