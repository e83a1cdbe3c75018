using Prometheus;
using Slardar.Scriptable.Host.Observability.Metrics;

namespace Slardar.Scriptable.MetricsMeasure;

/// <summary>
/// prometheus-net's MeterAdapter into a registry of its own, filtered to this gateway's meter by
/// identity; the latency histogram gets the gateway's buckets (the adapter does not read advice).
/// </summary>
internal sealed class PrometheusNetCandidate : IExporterCandidate
{
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly IDisposable _adapter;
    private WebApplication? _app;

    public PrometheusNetCandidate(GatewayMetrics metrics)
    {
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = _registry,
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, metrics.Meter),
            ResolveHistogramBuckets = _ => LatencyBuckets,
        });
    }

    public string Name => "prometheus-net";

    public async Task<Uri?> StartServingAsync()
    {
        (_app, var uri) = await LoopbackApp.StartAsync(app => app.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await _registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        }));
        return uri;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _adapter.Dispose();
    }
}
