using System.Diagnostics.Metrics;

namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// Running totals of the gateway's request and try counters, per upstream and status class and per
/// peer, for the admin UI's overview: it polls them and turns the differences into rates, so the
/// gateway keeps no time series of its own. Read from the <see cref="PrometheusExporter"/>'s sums, so
/// a request is counted once, by the one listener on the gateway's <see cref="Meter"/>.
/// </summary>
internal sealed class TrafficTotals : IDisposable
{
    private readonly PrometheusExporter _exporter;
    private readonly bool _ownsExporter;

    /// <summary>Totals of the measurements an existing exporter aggregates (the gateway's).</summary>
    public TrafficTotals(PrometheusExporter exporter)
    {
        _exporter = exporter;
    }

    /// <summary>Totals of one meter's measurements, through an exporter of their own.</summary>
    public TrafficTotals(Meter meter)
    {
        _exporter = new PrometheusExporter(meter);
        _ownsExporter = true;
    }

    /// <summary>Requests answered per upstream and status class ("2xx"), since start.</summary>
    public IReadOnlyDictionary<(string Upstream, string StatusClass), long> Requests => Totals(MetricNames.UpstreamRequests, "status_class");

    /// <summary>Tries sent per upstream and peer address, whatever their outcome, since start.</summary>
    public IReadOnlyDictionary<(string Upstream, string Peer), long> Tries => Totals(MetricNames.UpstreamTries, "peer");

    public void Dispose()
    {
        if (_ownsExporter)
        {
            _exporter.Dispose();
        }
    }

    private Dictionary<(string, string), long> Totals(string instrument, string by) =>
        _exporter.Sums(instrument)
            .GroupBy(series => (Tag(series.Tags, "upstream"), Tag(series.Tags, by)))
            .ToDictionary(group => group.Key, group => (long)group.Sum(series => series.Value));

    private static string Tag(TagSet tags, string name)
    {
        foreach (var tag in tags.Tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string ?? string.Empty;
            }
        }

        return string.Empty;
    }
}
