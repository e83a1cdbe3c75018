using System.Diagnostics.Metrics;

namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>Histograms: per series, cumulative <c>_bucket</c> lines (le="+Inf" last), then <c>_sum</c> and <c>_count</c>.</summary>
internal sealed class HistogramAggregator : InstrumentAggregator
{
    private readonly SeriesMap<HistogramCell> _series;
    private readonly string[] _leLabels;

    /// <param name="bounds">Finite upper bounds, ascending.</param>
    public HistogramAggregator(Instrument instrument, double[] bounds)
        : base(instrument, PrometheusText.Histogram)
    {
        _series = new SeriesMap<HistogramCell>(() => new HistogramCell(bounds));
        _leLabels = [.. bounds.Select(b => $"le=\"{PrometheusText.FormatValue(b)}\""), "le=\"+Inf\""];
    }

    public override bool IsEmpty => _series.IsEmpty;

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.GetOrAdd(tags).Observe(value);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.GetOrAdd(tags).Observe(value);

    public override void WriteSamples(TextWriter writer)
    {
        var cumulative = new long[_leLabels.Length];
        foreach (var (tags, cell) in _series.Snapshot())
        {
            var sum = cell.Sum;
            var count = cell.CopyCumulative(cumulative);
            for (var i = 0; i < _leLabels.Length; i++)
            {
                PrometheusText.WriteSample(writer, Name, "_bucket", tags.Labels, _leLabels[i], cumulative[i]);
            }

            PrometheusText.WriteSample(writer, Name, "_sum", tags.Labels, extraLabel: null, sum);
            PrometheusText.WriteSample(writer, Name, "_count", tags.Labels, extraLabel: null, count);
        }
    }
}
