using Slardar.Scriptable.Host.Observability.Metrics;

namespace Slardar.Scriptable.MetricsMeasure;

/// <summary>The gateway's own exporter, served exactly as the admin listener serves /metrics.</summary>
internal sealed class HandWrittenCandidate(GatewayMetrics metrics) : IExporterCandidate
{
    private readonly PrometheusExporter _exporter = new(metrics.Meter);
    private WebApplication? _app;

    public string Name => "gateway's own";

    public async Task<Uri?> StartServingAsync()
    {
        (_app, var uri) = await LoopbackApp.StartAsync(app =>
            app.MapGet("/metrics", () => Results.Text(_exporter.Render(), PrometheusExporter.ContentType)));
        return uri;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _exporter.Dispose();
    }
}
