using Shouldly;
using Slardar.Scriptable.Host.Observability.Metrics;
using Xunit;
using static Slardar.Scriptable.Tests.Observability.Metrics.Exposition;

namespace Slardar.Scriptable.Tests.Observability.Metrics;

public sealed class GatewayMetricsConcurrencyTests
{
    [Fact]
    public void RecordRequest_EightThreadsTenThousandEach_ExactTotals()
    {
        const int Threads = 8;
        const int PerThread = 10_000;
        using var metrics = new GatewayMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        using var start = new Barrier(Threads);

        // Every thread hits one shared series and one of two others, so first sightings race too.
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                metrics.RecordRequest("web", 200);
                metrics.RecordRequest(t % 2 == 0 ? "even" : "odd", 500 + (i % 100));
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        var samples = Samples(exporter.Render());
        samples["slardar_upstream_requests_total{status_class=\"2xx\",upstream=\"web\"}"].ShouldBe(Threads * PerThread);
        samples["slardar_upstream_requests_total{status_class=\"5xx\",upstream=\"even\"}"].ShouldBe(Threads / 2 * PerThread);
        samples["slardar_upstream_requests_total{status_class=\"5xx\",upstream=\"odd\"}"].ShouldBe(Threads / 2 * PerThread);
    }

    [Fact]
    public void RecordTry_ManyThreadsWhileScraping_HistogramCountMatchesInfBucketAndEndsExact()
    {
        const int Threads = 4;
        const int PerThread = 5_000;
        using var metrics = new GatewayMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        using var start = new Barrier(Threads + 1);

        var workers = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                metrics.RecordTry("web", "a:80", TryOutcome.Ok, TimeSpan.FromMilliseconds(i % 50));
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        start.SignalAndWait();

        const string Labels = "{peer=\"a:80\",upstream=\"web\"}";
        while (workers.Any(w => w.IsAlive))
        {
            var during = Samples(exporter.Render());
            if (during.TryGetValue("slardar_upstream_peer_latency_seconds_count" + Labels, out var count))
            {
                during["slardar_upstream_peer_latency_seconds_bucket{peer=\"a:80\",upstream=\"web\",le=\"+Inf\"}"].ShouldBe(count);
            }
        }

        workers.ForEach(w => w.Join());
        var samples = Samples(exporter.Render());
        samples["slardar_upstream_peer_latency_seconds_count" + Labels].ShouldBe(Threads * PerThread);
        samples["slardar_upstream_tries_total{outcome=\"ok\",peer=\"a:80\",upstream=\"web\"}"].ShouldBe(Threads * PerThread);
    }
}
