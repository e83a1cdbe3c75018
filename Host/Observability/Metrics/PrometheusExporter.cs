using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;

namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// Renders the given meters in the Prometheus text format 0.0.4. A <see cref="MeterListener"/>
/// subscribes to every instrument of those meters (and only those: meters are matched by object
/// identity, so two gateways in one process, each with its own meter of the same name, never see
/// each other's measurements), including instruments created after the exporter started.
/// Synchronous measurements are aggregated as they happen, lock-free; observable instruments are
/// read at scrape time. Disposing stops the listener.
/// </summary>
internal sealed partial class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly Meter[] _meters;
    private readonly ConcurrentDictionary<Instrument, InstrumentAggregator> _aggregators = new();
    private readonly MeterListener _listener;
    private readonly ILogger _logger;

    // Serialises scrapes: observable callbacks write into the aggregators, which are cleared first.
    private readonly Lock _scrapeLock = new();

    public PrometheusExporter(Meter meter, ILogger? logger = null)
        : this([meter], logger)
    {
    }

    public PrometheusExporter(IEnumerable<Meter> meters, ILogger? logger = null)
    {
        _meters = [.. meters];
        _logger = logger ?? NullLogger.Instance;
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = OnMeasurementsCompleted,
        };

        // One callback per measurement type MeterListener knows; the aggregator travels as the state,
        // so no lookup happens per measurement.
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((InstrumentAggregator)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>The running sums of a counter's series (none when it has no measurement yet), for readers other than the scrape.</summary>
    public IEnumerable<(TagSet Tags, double Value)> Sums(string instrumentName) =>
        _aggregators.Values.OfType<SumAggregator>().Where(a => a.Name == instrumentName).SelectMany(static a => a.Sums());

    /// <summary>The exposition, as a string.</summary>
    public string Render()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer);
        return writer.ToString();
    }

    /// <summary>
    /// Reads the observable instruments, then writes every family with at least one series: sorted by
    /// name, each with # HELP (when the instrument has a description) and # TYPE.
    /// </summary>
    public void Write(TextWriter writer)
    {
        lock (_scrapeLock)
        {
            var aggregators = _aggregators.Values.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
            foreach (var aggregator in aggregators)
            {
                aggregator.BeginCollection();
            }

            ReadObservableInstruments();
            foreach (var family in aggregators.Where(a => !a.IsEmpty).GroupBy(a => a.Name, StringComparer.Ordinal))
            {
                var first = family.First();
                if (family.Select(a => a.Help).FirstOrDefault(h => h is not null) is { } help)
                {
                    writer.Write($"# HELP {first.Name} {help}\n");
                }

                writer.Write($"# TYPE {first.Name} {first.Type}\n");
                foreach (var aggregator in family)
                {
                    aggregator.WriteSamples(writer);
                }
            }
        }
    }

    public void Dispose() => _listener.Dispose();

    private void ReadObservableInstruments()
    {
        try
        {
            _listener.RecordObservableInstruments();
        }
        catch (AggregateException failures)
        {
            // The listener reads every instrument before throwing, so one broken callback (an
            // integrator's or a script's) costs only its own series, not the whole scrape.
            foreach (var failure in failures.InnerExceptions)
            {
                Log.CallbackFailed(_logger, failure);
            }
        }
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        // By identity, not by name: every gateway's meter is called the same.
        if (!_meters.Any(m => ReferenceEquals(m, instrument.Meter)) || InstrumentAggregator.Create(instrument) is not { } aggregator)
        {
            return;
        }

        // Should an instrument be published twice, keep the first aggregator and its series.
        aggregator = _aggregators.GetOrAdd(instrument, aggregator);
        listener.EnableMeasurementEvents(instrument, aggregator);
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state) => _aggregators.TryRemove(instrument, out _);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "An observable metric callback failed; its series are missing from this scrape")]
        public static partial void CallbackFailed(ILogger logger, Exception exception);
    }
}
