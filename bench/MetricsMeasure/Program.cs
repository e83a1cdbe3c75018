using System.Globalization;
using Slardar.Scriptable.Host.Observability.Metrics;
using Slardar.Scriptable.MetricsMeasure;

// Candidates are made fresh for every round, on fresh instruments, and run interleaved.
Func<GatewayMetrics, IExporterCandidate>[] candidates =
[
    _ => new NoExporterCandidate(),
    metrics => new HandWrittenCandidate(metrics),
    _ => new OpenTelemetryCandidate(),
    metrics => new PrometheusNetCandidate(metrics),
];

// prometheus-net's adapter reports what it drops only through Trace.
System.Diagnostics.Trace.Listeners.Add(new System.Diagnostics.ConsoleTraceListener());

var what = args.Length > 0 ? args[0] : "all";
if (what is "all" or "record")
{
    await Measures.RecordAsync(candidates, threads: 1);
    await Measures.RecordAsync(candidates, threads: 2);
}

if (what is "all" or "scrape")
{
    await Measures.ScrapeAsync(candidates[1..]);
}

if (what is "all" or "check")
{
    var folder = Path.Combine("bench", "results", "metrics-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
    Directory.CreateDirectory(folder);
    await Measures.CheckAsync(candidates[1..], folder);
}

return 0;
