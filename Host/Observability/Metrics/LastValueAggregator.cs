using System.Diagnostics.Metrics;

namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// Gauges and observable counters: each series shows the last value reported. For observable
/// instruments the series are dropped before every scrape and refilled from the callbacks, so a
/// peer that left the upstream disappears from /metrics instead of showing its last value forever.
/// </summary>
internal sealed class LastValueAggregator : InstrumentAggregator
{
    private readonly SeriesMap<LastValueCell> _series = new(static () => new LastValueCell());
    private readonly bool _observable;

    public LastValueAggregator(Instrument instrument, string type)
        : base(instrument, type)
    {
        _observable = instrument.IsObservable;
    }

    public override bool IsEmpty => _series.IsEmpty;

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.GetOrAdd(tags).Set(value);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.GetOrAdd(tags).Set(value);

    public override void BeginCollection()
    {
        if (_observable)
        {
            _series.Clear();
        }
    }

    public override void WriteSamples(TextWriter writer)
    {
        foreach (var (tags, cell) in _series.Snapshot())
        {
            PrometheusText.WriteSample(writer, Name, suffix: null, tags.Labels, extraLabel: null, cell.Value);
        }
    }
}
