using System.Diagnostics.Metrics;

namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// Aggregates one instrument's measurements per tag set and writes them as samples of one
/// Prometheus metric family. Record runs on request threads (lock-free); everything else runs
/// under the exporter's scrape lock.
/// </summary>
internal abstract class InstrumentAggregator
{
    /// <summary>Prometheus' default buckets, for histograms that give no bucket advice.</summary>
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    protected InstrumentAggregator(Instrument instrument, string type)
    {
        Name = PrometheusText.SanitizeMetricName(instrument.Name);
        Type = type;
        Help = string.IsNullOrEmpty(instrument.Description) ? null : PrometheusText.EscapeHelp(instrument.Description);
    }

    /// <summary>The family name, as rendered.</summary>
    public string Name { get; }

    /// <summary>counter, gauge or histogram.</summary>
    public string Type { get; }

    /// <summary>Escaped HELP text, or null when the instrument has no description.</summary>
    public string? Help { get; }

    public abstract bool IsEmpty { get; }

    /// <summary>
    /// Maps an instrument kind to Prometheus semantics, or returns null for kinds the exporter does
    /// not know (they are then not subscribed to at all).
    /// </summary>
    public static InstrumentAggregator? Create(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var kind = type.GetGenericTypeDefinition();
        return kind switch
        {
            _ when kind == typeof(Counter<>) => new SumAggregator(instrument, PrometheusText.Counter),
            _ when kind == typeof(UpDownCounter<>) => new SumAggregator(instrument, PrometheusText.Gauge),
            _ when kind == typeof(Histogram<>) => new HistogramAggregator(instrument, BucketsOf(instrument) ?? DefaultBuckets),
            _ when kind == typeof(Gauge<>) => new LastValueAggregator(instrument, PrometheusText.Gauge),

            // Observable counters report the running total themselves, so the last value is the value.
            _ when kind == typeof(ObservableCounter<>) => new LastValueAggregator(instrument, PrometheusText.Counter),
            _ when kind == typeof(ObservableUpDownCounter<>) => new LastValueAggregator(instrument, PrometheusText.Gauge),
            _ when kind == typeof(ObservableGauge<>) => new LastValueAggregator(instrument, PrometheusText.Gauge),
            _ => null,
        };
    }

    public abstract void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Called before observable instruments are read for a scrape.</summary>
    public virtual void BeginCollection()
    {
    }

    public abstract void WriteSamples(TextWriter writer);

    /// <summary>Bucket bounds from the instrument's advice (<see cref="InstrumentAdvice{T}"/>), if any.</summary>
    private static double[]? BucketsOf(Instrument instrument)
    {
        IEnumerable<double>? bounds = instrument switch
        {
            Instrument<double> i => i.Advice?.HistogramBucketBoundaries,
            Instrument<float> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Instrument<long> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Instrument<int> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Instrument<short> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Instrument<byte> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Instrument<decimal> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            _ => null,
        };

        // +Inf is always the implicit last bucket; an explicit one would be written twice.
        return bounds?.Where(double.IsFinite).Distinct().Order().ToArray();
    }
}
