using System.Diagnostics.Metrics;

namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>Counters (type counter) and up-down counters (type gauge): measurements are deltas, summed per series.</summary>
internal sealed class SumAggregator : InstrumentAggregator
{
    private readonly SeriesMap<SumCell> _series = new(static () => new SumCell());

    public SumAggregator(Instrument instrument, string type)
        : base(instrument, type)
    {
    }

    public override bool IsEmpty => _series.IsEmpty;

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.GetOrAdd(tags).Add(value);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.GetOrAdd(tags).Add(value);

    /// <summary>Every series' running sum now.</summary>
    public IEnumerable<(TagSet Tags, double Value)> Sums() => _series.Snapshot().Select(static series => (series.Key, series.Value.Value));

    public override void WriteSamples(TextWriter writer)
    {
        foreach (var (tags, cell) in _series.Snapshot())
        {
            PrometheusText.WriteSample(writer, Name, suffix: null, tags.Labels, extraLabel: null, cell.Value);
        }
    }
}
