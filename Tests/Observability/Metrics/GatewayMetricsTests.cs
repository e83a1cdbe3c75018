using System.Diagnostics.Metrics;
using Shouldly;
using Slardar.Scriptable.Host.Observability.Metrics;
using Xunit;
using static Slardar.Scriptable.Tests.Observability.Metrics.Exposition;

namespace Slardar.Scriptable.Tests.Observability.Metrics;

public sealed class GatewayMetricsTests
{
    [Fact]
    public void RecordRequest_SeveralTagSets_SumsPerTagSet()
    {
        using var metrics = new GatewayMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);

        metrics.RecordRequest("web", 200);
        metrics.RecordRequest("web", 204);
        metrics.RecordRequest("web", 502);
        metrics.RecordRequest("api", 200);

        var samples = Samples(exporter.Render());
        samples["slardar_upstream_requests_total{status_class=\"2xx\",upstream=\"web\"}"].ShouldBe(2);
        samples["slardar_upstream_requests_total{status_class=\"5xx\",upstream=\"web\"}"].ShouldBe(1);
        samples["slardar_upstream_requests_total{status_class=\"2xx\",upstream=\"api\"}"].ShouldBe(1);
        samples.Keys.Count(k => k.StartsWith("slardar_upstream_requests_total", StringComparison.Ordinal)).ShouldBe(3);
    }

    [Theory]
    [InlineData(100, "1xx")]
    [InlineData(101, "1xx")]
    [InlineData(200, "2xx")]
    [InlineData(299, "2xx")]
    [InlineData(304, "3xx")]
    [InlineData(404, "4xx")]
    [InlineData(499, "4xx")]
    [InlineData(500, "5xx")]
    [InlineData(599, "5xx")]
    [InlineData(0, "other")]
    [InlineData(99, "other")]
    [InlineData(600, "other")]
    [InlineData(-1, "other")]
    public void StatusClassOf_Status_MapsToItsClass(int status, string expected) =>
        StatusClass.Of(status).ShouldBe(expected);

    [Fact]
    public void RecordRequest_Status_CountedUnderItsStatusClass()
    {
        using var metrics = new GatewayMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);

        metrics.RecordRequest("web", 499);

        Sample(exporter.Render(), "slardar_upstream_requests_total{status_class=\"4xx\",upstream=\"web\"}").ShouldBe(1);
    }

    [Fact]
    public void TwoInstances_RecordingInOneProcess_DoNotSeeEachOthersMeasurements()
    {
        using var first = new GatewayMetrics(() => [new("web", "a:80", "ok", 1)], () => 3);
        using var second = new GatewayMetrics();
        using var firstExporter = new PrometheusExporter(first.Meter);
        using var secondExporter = new PrometheusExporter(second.Meter);

        first.RecordRequest("web", 200);
        first.RecordTry("web", "a:80", TryOutcome.Ok, TimeSpan.FromMilliseconds(3));
        second.RecordRequest("web", 200);
        second.RecordRequest("web", 200);

        var firstText = firstExporter.Render();
        var secondText = secondExporter.Render();
        Sample(firstText, "slardar_upstream_requests_total{status_class=\"2xx\",upstream=\"web\"}").ShouldBe(1);
        Sample(secondText, "slardar_upstream_requests_total{status_class=\"2xx\",upstream=\"web\"}").ShouldBe(2);
        secondText.ShouldNotContain("slardar_upstream_tries_total");
        secondText.ShouldNotContain("slardar_upstream_peer_up");
        secondText.ShouldNotContain("slardar_access_log_dropped_total");
        Sample(firstText, "slardar_access_log_dropped_total").ShouldBe(3);
    }

    [Fact]
    public void RecordTry_KnownLatencies_BucketsCumulativeAndSumCountRight()
    {
        using var metrics = new GatewayMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);

        metrics.RecordTry("web", "a:80", TryOutcome.Ok, TimeSpan.FromSeconds(0.003));
        metrics.RecordTry("web", "a:80", TryOutcome.Ok, TimeSpan.FromSeconds(0.03));
        metrics.RecordTry("web", "a:80", TryOutcome.Timeout, TimeSpan.FromSeconds(3));

        var samples = Samples(exporter.Render());
        string[] bounds = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];
        double[] expected = [1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3];
        for (var i = 0; i < bounds.Length; i++)
        {
            samples[$"slardar_upstream_peer_latency_seconds_bucket{{peer=\"a:80\",upstream=\"web\",le=\"{bounds[i]}\"}}"]
                .ShouldBe(expected[i], $"le={bounds[i]}");
        }

        samples["slardar_upstream_peer_latency_seconds_count{peer=\"a:80\",upstream=\"web\"}"].ShouldBe(3);
        samples["slardar_upstream_peer_latency_seconds_sum{peer=\"a:80\",upstream=\"web\"}"].ShouldBe(3.033, tolerance: 1e-12);
        samples["slardar_upstream_tries_total{outcome=\"ok\",peer=\"a:80\",upstream=\"web\"}"].ShouldBe(2);
        samples["slardar_upstream_tries_total{outcome=\"timeout\",peer=\"a:80\",upstream=\"web\"}"].ShouldBe(1);
    }

    [Fact]
    public void RecordTry_LatencyOnABucketBound_CountsInThatBucket()
    {
        using var metrics = new GatewayMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);

        metrics.RecordTry("web", "a:80", TryOutcome.Ok, TimeSpan.FromSeconds(1));

        var samples = Samples(exporter.Render());
        samples["slardar_upstream_peer_latency_seconds_bucket{peer=\"a:80\",upstream=\"web\",le=\"0.5\"}"].ShouldBe(0);
        samples["slardar_upstream_peer_latency_seconds_bucket{peer=\"a:80\",upstream=\"web\",le=\"1\"}"].ShouldBe(1);
    }

    [Fact]
    public void PeerGauges_ChangedBetweenRenders_EachRenderReadsTheCallbackAnew()
    {
        var peers = new List<PeerGaugeValue> { new("web", "a:80", "ok", 1), new("web", "b:80", "ok", 1) };
        using var metrics = new GatewayMetrics(() => peers.ToList());
        using var exporter = new PrometheusExporter(metrics.Meter);

        var before = Samples(exporter.Render());
        peers[1] = new("web", "b:80", "err", 0);
        peers.RemoveAt(0);
        var after = Samples(exporter.Render());

        before["slardar_upstream_peer_up{peer=\"a:80\",upstream=\"web\"}"].ShouldBe(1);
        before["slardar_upstream_peer_up{peer=\"b:80\",upstream=\"web\"}"].ShouldBe(1);
        before["slardar_upstream_peer_status_info{peer=\"b:80\",status=\"ok\",upstream=\"web\"}"].ShouldBe(1);
        after["slardar_upstream_peer_up{peer=\"b:80\",upstream=\"web\"}"].ShouldBe(0);
        after["slardar_upstream_peer_status_info{peer=\"b:80\",status=\"err\",upstream=\"web\"}"].ShouldBe(1);

        // A peer that left, and a status that no longer holds, leave no stale series behind.
        after.ShouldNotContainKey("slardar_upstream_peer_up{peer=\"a:80\",upstream=\"web\"}");
        after.ShouldNotContainKey("slardar_upstream_peer_status_info{peer=\"b:80\",status=\"ok\",upstream=\"web\"}");
    }

    [Fact]
    public void PeerGauges_SetAfterConstruction_ReadAtNextRender()
    {
        using var metrics = new GatewayMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        exporter.Render().ShouldNotContain("slardar_upstream_peer_up");

        metrics.PeerGauges = () => [new("web", "a:80", "down", 0)];

        Sample(exporter.Render(), "slardar_upstream_peer_up{peer=\"a:80\",upstream=\"web\"}").ShouldBe(0);
    }

    [Fact]
    public void AccessLogDropped_CallbackValue_RenderedAsCounterReadAtScrape()
    {
        long dropped = 5;
        using var metrics = new GatewayMetrics(accessLogDropped: () => dropped);
        using var exporter = new PrometheusExporter(metrics.Meter);

        Sample(exporter.Render(), "slardar_access_log_dropped_total").ShouldBe(5);
        dropped = 7;
        var text = exporter.Render();

        Sample(text, "slardar_access_log_dropped_total").ShouldBe(7);
        text.ShouldContain("# TYPE slardar_access_log_dropped_total counter\n");
    }

    [Fact]
    public void RecordEjectionAndHeartbeatFailure_Repeated_CountedPerPeer()
    {
        using var metrics = new GatewayMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);

        metrics.RecordEjection("web", "a:80");
        metrics.RecordEjection("web", "a:80");
        metrics.RecordHeartbeatFailure("web", "b:80");

        var samples = Samples(exporter.Render());
        samples["slardar_upstream_ejections_total{peer=\"a:80\",upstream=\"web\"}"].ShouldBe(2);
        samples["slardar_heartbeat_failures_total{peer=\"b:80\",upstream=\"web\"}"].ShouldBe(1);
    }

    [Fact]
    public void Meter_ScriptInstrumentCreatedAfterExporterStarted_IsRendered()
    {
        using var metrics = new GatewayMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);

        var logins = metrics.Meter.CreateCounter<long>("slardar_script_logins_total", description: "Logins seen by the auth script.");
        logins.Add(2, new KeyValuePair<string, object?>("host", "admin.example.com"));

        var text = exporter.Render();
        text.ShouldContain("# TYPE slardar_script_logins_total counter\n");
        Sample(text, "slardar_script_logins_total{host=\"admin.example.com\"}").ShouldBe(2);
    }

    [Fact]
    public void Dispose_GatewayMetrics_ExporterDropsItsFamilies()
    {
        var metrics = new GatewayMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        metrics.RecordRequest("web", 200);

        metrics.Dispose();

        exporter.Render().ShouldBeEmpty();
    }

    [Fact]
    public void Dispose_Exporter_StopsListening()
    {
        using var metrics = new GatewayMetrics();
        var exporter = new PrometheusExporter(metrics.Meter);
        metrics.RecordRequest("web", 200);

        exporter.Dispose();
        metrics.RecordRequest("web", 200);

        exporter.Render().ShouldBeEmpty();
    }

    [Fact]
    public void RecordRequestAndTry_KnownTagSets_DoNotAllocatePerMeasurement()
    {
        using var metrics = new GatewayMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        const int Iterations = 10_000;
        var elapsed = TimeSpan.FromMilliseconds(12);
        for (var i = 0; i < Iterations; i++)
        {
            metrics.RecordRequest("web", 200);
            metrics.RecordTry("web", "a:80", TryOutcome.Ok, elapsed);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            metrics.RecordRequest("web", 200);
            metrics.RecordTry("web", "a:80", TryOutcome.Ok, elapsed);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Even one small object per measurement would be hundreds of kilobytes here.
        allocated.ShouldBeLessThan(1_000);
        Sample(exporter.Render(), "slardar_upstream_requests_total{status_class=\"2xx\",upstream=\"web\"}").ShouldBe(2 * Iterations);
    }

    [Fact]
    public void Exporter_OtherMeterWithTheSameName_IsIgnored()
    {
        using var metrics = new GatewayMetrics();
        using var exporter = new PrometheusExporter(metrics.Meter);
        using var impostor = new Meter(GatewayMetrics.MeterName);

        impostor.CreateCounter<long>(MetricNames.UpstreamRequests).Add(1, new KeyValuePair<string, object?>("upstream", "web"));

        exporter.Render().ShouldBeEmpty();
    }
}
