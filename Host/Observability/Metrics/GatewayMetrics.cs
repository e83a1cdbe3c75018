using System.Diagnostics.Metrics;

namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// The gateway's instruments and the calls the proxy and checkups make to record into them. One
/// per gateway, never static: tests run several gateways in one process, and each owns a separate
/// <see cref="Meter"/> that its <see cref="PrometheusExporter"/> recognises by identity.
/// More instruments (scripts' <c>slardar_script_*</c>) are one <see cref="Meter"/>.Create… call away;
/// an exporter picks them up even when they are created after it started.
/// </summary>
internal sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "Slardar.Scriptable";

    /// <summary>Prometheus' default buckets: 5 ms to 10 s covers a gateway hop from cache hit to slow peer.</summary>
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _requests;
    private readonly Counter<long> _tries;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _ejections;
    private readonly Counter<long> _heartbeatFailures;
    private volatile Func<IEnumerable<PeerGaugeValue>>? _peerGauges;
    private volatile Func<long>? _accessLogDropped;

    /// <param name="peerGauges">Peer health read at scrape time; may also be set later through <see cref="PeerGauges"/>.</param>
    /// <param name="accessLogDropped">The access log's drop count, read at scrape time; see <see cref="AccessLogDropped"/>.</param>
    public GatewayMetrics(Func<IEnumerable<PeerGaugeValue>>? peerGauges = null, Func<long>? accessLogDropped = null)
    {
        // Created here rather than through IMeterFactory: a factory hands out one cached meter per
        // name, and two gateways sharing a meter would also share every series.
        Meter = new Meter(MeterName);
        _peerGauges = peerGauges;
        _accessLogDropped = accessLogDropped;

        _requests = Meter.CreateCounter<long>(MetricNames.UpstreamRequests,
            description: "Requests answered for an upstream, by status class of the response sent to the client.");
        _tries = Meter.CreateCounter<long>(MetricNames.UpstreamTries,
            description: "Tries sent to an upstream's peers, by outcome (ok, error, timeout, status, client).");
        _latency = Meter.CreateHistogram(MetricNames.PeerLatency, unit: "s",
            description: "Time from sending a try to a peer until its response headers arrived or the try failed.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _ejections = Meter.CreateCounter<long>(MetricNames.Ejections,
            description: "Times outlier detection ejected a peer of an upstream (consecutive 5xx or failure rate).");
        _heartbeatFailures = Meter.CreateCounter<long>(MetricNames.HeartbeatFailures,
            description: "Active health checks of a peer that failed.");
        Meter.CreateObservableGauge(MetricNames.PeerUp, ObservePeerUp,
            description: "Whether a peer is usable: 1 up, 0 down.");
        Meter.CreateObservableGauge(MetricNames.PeerStatusInfo, ObservePeerStatus,
            description: "A peer's checkups status as a label, always 1 (like nginx_upstream_status_info).");
        Meter.CreateObservableCounter(MetricNames.PeerTakeOuts, ObservePeerTakeOuts,
            description: "Times passive health took a peer out of an upstream (max_fails failed tries within fail_timeout).");
        Meter.CreateObservableCounter(MetricNames.AccessLogDropped, ObserveAccessLogDropped,
            description: "Access-log events dropped because the log writer fell behind.");
    }

    /// <summary>The meter every gateway instrument lives on; exporters subscribe to it and scripts add to it.</summary>
    public Meter Meter { get; }

    /// <summary>Peer health source for the peer gauges; null reports no peers.</summary>
    public Func<IEnumerable<PeerGaugeValue>>? PeerGauges
    {
        get => _peerGauges;
        set => _peerGauges = value;
    }

    /// <summary>Access-log drop count source; null reports nothing.</summary>
    public Func<long>? AccessLogDropped
    {
        get => _accessLogDropped;
        set => _accessLogDropped = value;
    }

    /// <summary>One request answered for <paramref name="upstream"/> with <paramref name="status"/>.</summary>
    public void RecordRequest(string upstream, int status) =>
        _requests.Add(1, new("upstream", upstream), new("status_class", StatusClass.Of(status)));

    /// <summary>One try against <paramref name="peer"/>; <paramref name="outcome"/> is a <see cref="TryOutcome"/> value.</summary>
    public void RecordTry(string upstream, string peer, string outcome, TimeSpan elapsed)
    {
        _tries.Add(1, new("upstream", upstream), new("peer", peer), new("outcome", outcome));
        _latency.Record(elapsed.TotalSeconds, new("upstream", upstream), new("peer", peer));
    }

    public void RecordEjection(string upstream, string peer) =>
        _ejections.Add(1, new("upstream", upstream), new("peer", peer));

    public void RecordHeartbeatFailure(string upstream, string peer) =>
        _heartbeatFailures.Add(1, new("upstream", upstream), new("peer", peer));

    /// <summary>Ends every instrument; exporters drop this meter's families.</summary>
    public void Dispose() => Meter.Dispose();

    private IEnumerable<Measurement<double>> ObservePeerUp() =>
        (_peerGauges?.Invoke() ?? []).Select(p => new Measurement<double>(p.Up, new("upstream", p.Upstream), new("peer", p.Peer)));

    private IEnumerable<Measurement<double>> ObservePeerStatus() =>
        (_peerGauges?.Invoke() ?? []).Select(p => new Measurement<double>(1, new("upstream", p.Upstream), new("peer", p.Peer), new("status", p.Status)));

    private IEnumerable<Measurement<long>> ObservePeerTakeOuts() =>
        (_peerGauges?.Invoke() ?? []).Select(p => new Measurement<long>(p.TakeOuts, new("upstream", p.Upstream), new("peer", p.Peer)));

    private IEnumerable<Measurement<long>> ObserveAccessLogDropped() =>
        _accessLogDropped is { } dropped ? [new Measurement<long>(dropped())] : [];
}
