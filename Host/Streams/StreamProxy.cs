using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Host.Observability;
using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// Runs one session of a stream listener: the upstream call through the try engine (one try = one
/// connect; next peer on a refused or timed-out connect, within the upstream's <c>try</c> and
/// <c>try_timeout</c>), then the copy both ways, then one access-log entry and the metrics. Nothing
/// reaches a peer before its connect succeeded, so a session never moves once bytes flowed.
/// </summary>
internal sealed partial class StreamProxy
{
    private readonly UpstreamRegistry _registry;
    private readonly TryEngine _engine;
    private readonly StreamPrereadRunner _preread;
    private readonly StreamConnectTransport _transport;
    private readonly AccessLogWriter _accessLog;
    private readonly StreamMetrics _metrics;
    private readonly StreamSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<StreamProxy> _logger;

    public StreamProxy(UpstreamRegistry registry, TryEngine engine, StreamPrereadRunner preread, AccessLogWriter accessLog, StreamMetrics metrics, StreamSettings settings, TimeProvider time, ILogger<StreamProxy> logger)
    {
        _registry = registry;
        _preread = preread;
        _engine = engine;
        _transport = new StreamConnectTransport(time, settings);
        _accessLog = accessLog;
        _metrics = metrics;
        _settings = settings;
        _time = time;
        _logger = logger;
    }

    public TimeProvider Time => _time;

    /// <summary>Whether plain sessions' sockets (and the listeners' accepts) complete on the socket event thread.</summary>
    public bool InlineCompletions => _settings.InlineCompletions;

    public async Task RunAsync(StreamSession session, StreamListenerConfig config)
    {
        var status = StreamStatus.ConnectFailed;
        var end = "-";
        UpstreamCall? call = null;
        var preread = StreamPrereadBytes.None;
        try
        {
            var route = new StreamPrereadDecision(0, config.Upstream);
            session.Upstream = config.Upstream;
            if (_preread.Find(config) is { } script)
            {
                preread = await StreamPrereadBytes.ReadAsync(session.ClientSocket, config, _time, session.Aborted).ConfigureAwait(false);
                route = await _preread.RunAsync(script, session, config, preread).ConfigureAwait(false);
                session.Upstream = route.Upstream;
                if (!route.Proceeds)
                {
                    status = route.Status;
                    return;
                }
            }

            if (UpstreamFor(route, config, out var chosen) is not { } upstream)
            {
                LogNoUpstream(config, route);
                return;
            }

            session.Upstream = upstream.Name;
            call = new UpstreamCall(upstream, _engine.PolicyFor(upstream.Config), _time, _time.GetTimestamp())
            {
                // ip_hash hashes the client address; the other hashing modes have no request to read: a script's key, else the address.
                HashKey = upstream.Config.Mode.IsHashing() ? route.HashKey ?? session.ClientAddress : null,
                Aborted = session.Aborted,
            };
            using var clock = new StreamSessionClock(_time, session.Abort);
            var connection = new StreamUpstreamConnection(session, clock);
            var chooser = chosen is null ? null : new StreamPeerChooser(chosen);
            await _engine.RunAsync(call, connection, _transport, chooser).ConfigureAwait(false);
            if (connection is not { Socket: { } socket, Peer: { } peer })
            {
                status = session.Aborted.IsCancellationRequested ? StreamStatus.ClientClosed
                    : call.LastTry?.Failure == TryFailure.ConnectTimeout ? StreamStatus.ConnectTimedOut
                    : StreamStatus.ConnectFailed;
                return;
            }

            status = StreamStatus.Ok;
            session.PeerAddress = peer.Address;
            if (_settings.InlineCompletions && connection.Tls is null && connection.Relay is null)
            {
                SocketInlineCompletions.Prefer(session.ClientSocket);
            }

            upstream.Acquire(peer);
            try
            {
                clock.StartRelay(config.ProxyTimeout, session.StartedAt, config.MaxSessionTime);
                end = EndName(connection.Relay is { } relay
                    ? await session.RelayOnLoopAsync(relay, preread.Bytes).ConfigureAwait(false)
                    : await session.PumpAsync(socket, connection.Tls, preread.Bytes, clock, _settings.BufferBytes).ConfigureAwait(false));
            }
            finally
            {
                upstream.Release(peer);
            }
        }
        finally
        {
            session.CloseClient();
            preread.Dispose();
            _metrics.RecordSession(config.Address, status, session.BytesUp, session.BytesDown);
            if (_accessLog.Enabled)
            {
                _accessLog.Write(CreateLogEntry(session, config, status, call, end));
            }
        }
    }

    // The upstream named (by the listener or the script). A peer the script chose is tried in the
    // upstream that lists it (the named one when it does), so its health is kept there; a trusted
    // listener's peer that no upstream lists gets a one-peer upstream of its own for this session,
    // named after the listener's scripts. An untrusted one was refused in the script; one removed
    // from its upstream since then finds none.
    private UpstreamState? UpstreamFor(in StreamPrereadDecision route, StreamListenerConfig config, out PeerState? chosen)
    {
        chosen = null;
        if (route.Peer is not { } peer)
        {
            return route.Upstream is { } name && _registry.TryGet(name, out var upstream) ? upstream : null;
        }

        if (_registry.FindListing(peer.Host, peer.Port, route.Upstream) is { } listing)
        {
            chosen = listing.Peer;
            return listing.Upstream;
        }

        if (!config.Trusted)
        {
            return null;
        }

        var single = new UpstreamConfig
        {
            Name = config.ScriptPattern,
            Levels = [new UpstreamLevelConfig([new PeerConfig { Host = peer.Host, Port = peer.Port }])],
        };
        return new UpstreamState(single, _time);
    }

    private void LogNoUpstream(StreamListenerConfig config, in StreamPrereadDecision route)
    {
        if (route.Peer is { } peer)
        {
            Log.PeerNotListed(_logger, config.Address, peer.ToString());
        }
        else
        {
            Log.NoUpstream(_logger, config.Address, route.Upstream ?? "(none)");
        }
    }

    /// <summary>A session closed at accept because the listener is full.</summary>
    public void Reject(StreamSession session, StreamListenerConfig config)
    {
        session.CloseClient();
        _metrics.RecordSession(config.Address, StreamStatus.Overloaded, 0, 0);
        if (_accessLog.Enabled)
        {
            _accessLog.Write(CreateLogEntry(session, config, StreamStatus.Overloaded, null, "-"));
        }
    }

    private AccessLogEntry CreateLogEntry(StreamSession session, StreamListenerConfig config, int status, UpstreamCall? call, string end)
    {
        var fields = TryLogFields.Of(call?.Tries);
        return new AccessLogEntry(
            _time.GetUtcNow(),
            session.ClientAddress,
            config.Address,
            "TCP",
            string.Empty,
            status,
            session.Upstream ?? "-",
            fields.Addresses,
            fields.Statuses,
            fields.Times,
            fields.TotalSeconds,
            _time.GetElapsedTime(session.StartedAt).TotalSeconds,
            call?.Attempts ?? 0,
            null,
            "-",
            "-")
        {
            Stream = new StreamTraffic(session.BytesUp, session.BytesDown, end),
        };
    }

    private static string EndName(StreamEndReason reason) => reason switch
    {
        StreamEndReason.Closed => "closed",
        StreamEndReason.Error => "error",
        StreamEndReason.IdleTimeout => "idle_timeout",
        StreamEndReason.MaxSessionTime => "max_session_time",
        _ => "drained",
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Stream listener {Listener}: upstream {Upstream} does not exist; the session is closed (502)")]
        public static partial void NoUpstream(ILogger logger, string listener, string upstream);

        [LoggerMessage(2, LogLevel.Warning, "Stream listener {Listener}: peer {Peer} is no longer a server of any upstream; the session is closed (502)")]
        public static partial void PeerNotListed(ILogger logger, string listener, string peer);
    }
}
