using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Slardar.Scriptable.Host.Observability.Metrics;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// The stream proxy on /metrics: sessions by listener and status, bytes by direction (running totals
/// per listener address, <see cref="StreamListenerTotals"/>), and the sessions open now (read from
/// the listeners), all read at scrape time. Connect tries, with their failures
/// per peer, are the try engine's <c>slardar_upstream_tries_total</c> like every other try.
/// </summary>
internal sealed class StreamMetrics
{
    public const string Sessions = "slardar_stream_sessions_total";
    public const string SessionsActive = "slardar_stream_sessions_active";
    public const string Bytes = "slardar_stream_bytes_total";

    private readonly ConcurrentDictionary<string, StreamListenerTotals> _totals = new(StringComparer.Ordinal);
    private volatile Func<IEnumerable<(string Listener, int Active)>>? _active;

    public StreamMetrics(GatewayMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        metrics.Meter.CreateObservableCounter(Sessions, ObserveSessions,
            description: "TCP sessions of a stream listener that ended, by status (200 proxied, 403 refused, 500 script failed, 502/504 no peer connected, 503 over max_sessions).");
        metrics.Meter.CreateObservableCounter(Bytes, ObserveBytes,
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

    public void RecordSession(string listener, int status, long bytesUp, long bytesDown) =>
        _totals.GetOrAdd(listener, static name => new StreamListenerTotals(name)).Record(status, bytesUp, bytesDown);

    private IEnumerable<Measurement<long>> ObserveSessions() =>
        _totals.Values.SelectMany(totals => totals.Sessions().Select(s =>
            new Measurement<long>(s.Sessions, new KeyValuePair<string, object?>("listener", totals.Listener), new KeyValuePair<string, object?>("status", s.Status))));

    private IEnumerable<Measurement<long>> ObserveBytes()
    {
        foreach (var totals in _totals.Values)
        {
            // A direction appears once bytes moved in it.
            if (totals.BytesUp > 0)
            {
                yield return new Measurement<long>(totals.BytesUp, new KeyValuePair<string, object?>("listener", totals.Listener), new KeyValuePair<string, object?>("direction", "up"));
            }

            if (totals.BytesDown > 0)
            {
                yield return new Measurement<long>(totals.BytesDown, new KeyValuePair<string, object?>("listener", totals.Listener), new KeyValuePair<string, object?>("direction", "down"));
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveActive() =>
        (_active?.Invoke() ?? []).Select(l => new Measurement<long>(l.Active, new KeyValuePair<string, object?>("listener", l.Listener)));
}
