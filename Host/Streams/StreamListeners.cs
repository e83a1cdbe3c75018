using System.Collections.Immutable;
using Slardar.Scriptable.Host.Routing;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// Keeps the bound stream listeners equal to scripts.json's <c>"streams"</c>, live: a new entry is
/// bound, a changed one serves its next sessions with the new options, a removed one stops accepting
/// and drains. An address that cannot be bound is logged and shown in /status (and tried again at the
/// next change of the manifest); the other listeners serve on. Stopping the gateway drains them all.
/// </summary>
internal sealed partial class StreamListeners : IHostedService
{
    private readonly RouteTableProvider _routes;
    private readonly StreamProxy _proxy;
    private readonly StreamSettings _settings;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<StreamListeners> _logger;
    private readonly Lock _lock = new();
    private readonly List<Task> _drains = [];
    private ImmutableDictionary<string, StreamListener> _listeners = ImmutableDictionary<string, StreamListener>.Empty;
    private ImmutableList<StreamListener> _draining = ImmutableList<StreamListener>.Empty;
    private bool _stopped;

    public StreamListeners(RouteTableProvider routes, StreamProxy proxy, StreamSettings settings, StreamMetrics metrics, ILoggerFactory loggers)
    {
        _routes = routes;
        _proxy = proxy;
        _settings = settings;
        _loggers = loggers;
        _logger = loggers.CreateLogger<StreamListeners>();
        metrics.Active = () => All.Select(l => (l.Config.Address, l.ActiveSessions));
    }

    /// <summary>The configured listeners (bound or not) by address, as written in scripts.json.</summary>
    public ImmutableDictionary<string, StreamListener> Listeners => Volatile.Read(ref _listeners);

    /// <summary>Removed listeners whose sessions are still draining.</summary>
    public ImmutableList<StreamListener> Draining => Volatile.Read(ref _draining);

    public IEnumerable<StreamListener> All => Listeners.Values.Concat(Draining);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _routes.Changed += OnRoutesChanged;
        Apply(_routes.Current.Config.Streams);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _routes.Changed -= OnRoutesChanged;
        List<Task> stops;
        lock (_lock)
        {
            _stopped = true;
            stops = [.. _listeners.Values.Select(l => StopAndDisposeAsync(l, cancellationToken)), .. _drains];
            _listeners = ImmutableDictionary<string, StreamListener>.Empty;
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
    }

    /// <summary>Makes the bound listeners match <paramref name="configs"/>.</summary>
    public void Apply(ImmutableArray<StreamListenerConfig> configs)
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            var next = ImmutableDictionary.CreateBuilder<string, StreamListener>(StringComparer.Ordinal);
            foreach (var config in configs)
            {
                if (_listeners.TryGetValue(config.Address, out var existing))
                {
                    existing.Update(config);
                    if (existing.BoundEndPoint is null && !existing.TryStart())
                    {
                        Log.BindFailed(_logger, config.Address, existing.BindError!);
                    }

                    next[config.Address] = existing;
                    continue;
                }

                var listener = new StreamListener(config, _proxy, _loggers.CreateLogger<StreamListener>());
                if (listener.TryStart())
                {
                    Log.Listening(_logger, config.Address, listener.BoundEndPoint!.ToString(), config.Upstream ?? "(script)");
                }
                else
                {
                    Log.BindFailed(_logger, config.Address, listener.BindError!);
                }

                next[config.Address] = listener;
            }

            foreach (var (address, listener) in _listeners)
            {
                if (!next.ContainsKey(address))
                {
                    Remove(listener);
                }
            }

            Volatile.Write(ref _listeners, next.ToImmutable());
        }
    }

    // Under _lock.
    private void Remove(StreamListener listener)
    {
        Log.Removed(_logger, listener.Config.Address, listener.ActiveSessions);
        _draining = _draining.Add(listener);
        var drain = DrainAsync(listener);
        _drains.Add(drain);
    }

    private async Task StopAndDisposeAsync(StreamListener listener, CancellationToken cancellationToken)
    {
        await listener.StopAsync(_settings.DrainTimeout, cancellationToken).ConfigureAwait(false);
        listener.Dispose();
    }

    private async Task DrainAsync(StreamListener listener)
    {
        await StopAndDisposeAsync(listener, CancellationToken.None).ConfigureAwait(false);
        lock (_lock)
        {
            _draining = _draining.Remove(listener);
            _drains.RemoveAll(t => t.IsCompleted);
        }
    }

    private void OnRoutesChanged(RouteTable table) => Apply(table.Config.Streams);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Stream listener {Listener} bound on {EndPoint} (upstream {Upstream})")]
        public static partial void Listening(ILogger logger, string listener, string endPoint, string upstream);

        [LoggerMessage(2, LogLevel.Error, "Stream listener {Listener} could not be bound, the other listeners serve on: {Reason}")]
        public static partial void BindFailed(ILogger logger, string listener, string reason);

        [LoggerMessage(3, LogLevel.Information, "Stream listener {Listener} removed; {Sessions} sessions drain")]
        public static partial void Removed(ILogger logger, string listener, int sessions);
    }
}
