using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// Running totals of the gateway's request and try counters, per upstream and status class and per
/// peer, for the admin UI's overview: it polls them and turns the differences into rates, so the
/// gateway keeps no time series of its own. Listens to one gateway's <see cref="Meter"/> only
/// (by identity, as <see cref="PrometheusExporter"/> does).
/// </summary>
internal sealed class TrafficTotals : IDisposable
{
    private readonly Meter _meter;
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<(string Upstream, string StatusClass), Total> _requests = new();
    private readonly ConcurrentDictionary<(string Upstream, string Peer), Total> _tries = new();

    public TrafficTotals(Meter meter)
    {
        _meter = meter;
        _listener = new MeterListener { InstrumentPublished = OnInstrumentPublished };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Requests answered per upstream and status class ("2xx"), since start.</summary>
    public IReadOnlyDictionary<(string Upstream, string StatusClass), long> Requests =>
        _requests.ToDictionary(pair => pair.Key, pair => pair.Value.Value);

    /// <summary>Tries sent per upstream and peer address, whatever their outcome, since start.</summary>
    public IReadOnlyDictionary<(string Upstream, string Peer), long> Tries =>
        _tries.ToDictionary(pair => pair.Key, pair => pair.Value.Value);

    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (ReferenceEquals(instrument.Meter, _meter) && instrument.Name is MetricNames.UpstreamRequests or MetricNames.UpstreamTries)
        {
            listener.EnableMeasurementEvents(instrument, instrument.Name);
        }
    }

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var upstream = Tag(tags, "upstream");
        if (state is MetricNames.UpstreamRequests)
        {
            _requests.GetOrAdd((upstream, Tag(tags, "status_class")), static _ => new Total()).Add(value);
        }
        else
        {
            _tries.GetOrAdd((upstream, Tag(tags, "peer")), static _ => new Total()).Add(value);
        }
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string ?? string.Empty;
            }
        }

        return string.Empty;
    }

    private sealed class Total
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Add(long amount) => Interlocked.Add(ref _value, amount);
    }
}
