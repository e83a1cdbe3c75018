using OpenTelemetry;
using OpenTelemetry.Metrics;
using Slardar.Scriptable.Host.Observability.Metrics;

namespace Slardar.Scriptable.MetricsMeasure;

/// <summary>
/// OpenTelemetry's SDK with its Prometheus exporter (ASP.NET Core middleware). It subscribes to meters
/// by name, so it cannot tell two gateways' meters apart. Its scrape cache is off so every scrape
/// renders, as the other candidates' do.
/// </summary>
internal sealed class OpenTelemetryCandidate : IExporterCandidate
{
    private readonly MeterProvider _provider;
    private WebApplication? _app;

    public OpenTelemetryCandidate()
    {
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(GatewayMetrics.MeterName)
            .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0)
            .Build();
    }

    public string Name => "OpenTelemetry";

    public async Task<Uri?> StartServingAsync()
    {
        (_app, var uri) = await LoopbackApp.StartAsync(app =>
            app.UseOpenTelemetryPrometheusScrapingEndpoint(_provider, context => context.Request.Path == "/metrics", null, null, null));
        return uri;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _provider.Dispose();
    }
}
