using System.Diagnostics.Metrics;
using Slardar.Scriptable.Host.Observability.Metrics;
using Slardar.Scriptable.Scripting.Loading;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// Per-script counters on the gateway's meter, read at scrape time from the catalog (so a request
/// records nothing extra): invocations by outcome, runaways, p99 duration, log lines the rate limit
/// refused, quarantined scripts, and script generations that were unloaded but are still alive (an
/// early warning that something pins an old load context).
/// </summary>
internal static class ScriptMetrics
{
    public static void Register(GatewayMetrics metrics, ScriptCatalog catalog, ScriptGenerationTracker tracker, ScriptRegistry registry)
    {
        metrics.Meter.CreateObservableCounter(MetricNames.ScriptPrefix + "runaways_total", () => Runaways(catalog),
            description: "Invocations the watchdog answered at the deadline because the script did not stop (stuck in a library call or an await).");
        metrics.Meter.CreateObservableGauge(MetricNames.ScriptPrefix + "quarantined", () => Quarantined(registry),
            description: "1 while the serving version of a script is quarantined (its host answers 503 50300001 for that phase).");
        metrics.Meter.CreateObservableCounter(MetricNames.ScriptPrefix + "invocations_total", () => Invocations(catalog),
            description: "Script invocations by host pattern, phase and outcome (completed, faulted, budget_exceeded, canceled).");
        metrics.Meter.CreateObservableGauge(MetricNames.ScriptPrefix + "duration_p99_seconds", () => P99(catalog), unit: "s",
            description: "99th percentile duration of a script's recent invocations.");
        metrics.Meter.CreateObservableCounter(MetricNames.ScriptPrefix + "log_dropped_total", () => LogDropped(catalog),
            description: "Script log lines refused by the per-script rate limit (Scripts:Log:LinesPerSecond).");
        metrics.Meter.CreateObservableGauge(MetricNames.ScriptPrefix + "generations_alive_after_unload", () => tracker.CountAlive(),
            description: "Script generations unloaded but not yet collected; stays near 0 unless something pins old scripts.");
    }

    private static IEnumerable<Measurement<long>> Invocations(ScriptCatalog catalog)
    {
        foreach (var key in catalog.Keys)
        {
            var counters = catalog.CountersFor(key).Snapshot();
            var completed = counters.Invocations - counters.Faulted - counters.BudgetExceeded - counters.Canceled - counters.TimedOut - counters.UpstreamFailed;
            yield return Measure(completed, key, "completed");
            yield return Measure(counters.Faulted, key, "faulted");
            yield return Measure(counters.BudgetExceeded, key, "budget_exceeded");
            yield return Measure(counters.Canceled, key, "canceled");
            yield return Measure(counters.TimedOut, key, "timed_out");
            yield return Measure(counters.UpstreamFailed, key, "upstream_failed");
        }
    }

    private static IEnumerable<Measurement<long>> LogDropped(ScriptCatalog catalog)
    {
        foreach (var key in catalog.Keys)
        {
            yield return new Measurement<long>(catalog.LogDroppedFor(key), Tags(key));
        }
    }

    private static IEnumerable<Measurement<long>> Runaways(ScriptCatalog catalog)
    {
        foreach (var key in catalog.Keys)
        {
            yield return new Measurement<long>(catalog.CountersFor(key).Snapshot().Runaways, Tags(key));
        }
    }

    private static IEnumerable<Measurement<int>> Quarantined(ScriptRegistry registry)
    {
        foreach (var set in registry.ByPattern.Values)
        {
            foreach (var active in set.Active)
            {
                yield return new Measurement<int>(active.Quarantine.IsQuarantined ? 1 : 0, Tags(active.Key));
            }
        }
    }

    private static KeyValuePair<string, object?>[] Tags(ScriptKey key) =>
        [new("host", key.Pattern), new("phase", key.PhaseName)];

    private static IEnumerable<Measurement<double>> P99(ScriptCatalog catalog)
    {
        foreach (var key in catalog.Keys)
        {
            yield return new Measurement<double>(catalog.CountersFor(key).Snapshot().P99.TotalSeconds, Tags(key));
        }
    }

    private static Measurement<long> Measure(long value, ScriptKey key, string outcome) => new(value,
        new KeyValuePair<string, object?>("host", key.Pattern),
        new KeyValuePair<string, object?>("phase", key.PhaseName),
        new KeyValuePair<string, object?>("outcome", outcome));
}
