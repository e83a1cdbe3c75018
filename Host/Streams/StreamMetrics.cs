using System.Diagnostics.Metrics;
using Slardar.Scriptable.Host.Observability.Metrics;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// The stream proxy on /metrics: sessions by listener and status, bytes by direction, and the
/// sessions open now (read from the listeners at scrape time). Connect tries, with their failures
/// per peer, are the try engine's <c>slardar_upstream_tries_total</c> like every other try.
/// </summary>
internal sealed class StreamMetrics
{
    public const string Sessions = "slardar_stream_sessions_total";
    public const string SessionsActive = "slardar_stream_sessions_active";
    public const string Bytes = "slardar_stream_bytes_total";

    private readonly Counter<long> _sessions;
    private readonly Counter<long> _bytes;
    private volatile Func<IEnumerable<(string Listener, int Active)>>? _active;

    public StreamMetrics(GatewayMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _sessions = metrics.Meter.CreateCounter<long>(Sessions,
            description: "TCP sessions of a stream listener that ended, by status (200 proxied, 403 refused, 500 script failed, 502/504 no peer connected, 503 over max_sessions).");
        _bytes = metrics.Meter.CreateCounter<long>(Bytes,
            description: "Bytes a stream listener's sessions moved, by direction (up: client to peer, down: peer to client).");
        metrics.Meter.CreateObservableGauge(SessionsActive, ObserveActive,
            description: "TCP sessions open on a stream listener.");
    }

    /// <summary>Where the open-session gauge reads from (the listener manager, once it exists).</summary>
    public Func<IEnumerable<(string Listener, int Active)>>? Active
    {
        get => _active;
        set => _active = value;
    }

    public void RecordSession(string listener, int status, long bytesUp, long bytesDown)
    {
        _sessions.Add(1, new("listener", listener), new("status", StatusText(status)));
        if (bytesUp > 0)
        {
            _bytes.Add(bytesUp, new("listener", listener), new("direction", "up"));
        }

        if (bytesDown > 0)
        {
            _bytes.Add(bytesDown, new("listener", listener), new("direction", "down"));
        }
    }

    // The usual statuses without a string per session.
    private static string StatusText(int status) => status switch
    {
        200 => "200",
        403 => "403",
        499 => "499",
        500 => "500",
        502 => "502",
        503 => "503",
        504 => "504",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private IEnumerable<Measurement<long>> ObserveActive() =>
        (_active?.Invoke() ?? []).Select(l => new Measurement<long>(l.Active, new KeyValuePair<string, object?>("listener", l.Listener)));
}
