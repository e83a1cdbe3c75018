using System.Diagnostics.Metrics;
using Shouldly;
using Slardar.Scriptable.Host.Observability.Metrics;
using Xunit;
using static Slardar.Scriptable.Tests.Observability.Metrics.Exposition;

namespace Slardar.Scriptable.Tests.Observability.Metrics;

public sealed class PrometheusExporterTests
{
    [Fact]
    public void Render_SmallKnownSet_MatchesExpectedTextExactly()
    {
        using var metrics = new GatewayMetrics(() => [new("web", "10.0.0.1:80", "ok", 1), new("web", "10.0.0.2:80", "err", 0, TakeOuts: 3)], () => 0);
        using var exporter = new PrometheusExporter(metrics.Meter);

        metrics.RecordRequest("web", 200);
        metrics.RecordRequest("web", 200);
        metrics.RecordRequest("web", 503);
        metrics.RecordTry("web", "10.0.0.1:80", TryOutcome.Ok, TimeSpan.FromMilliseconds(20));
        metrics.RecordEjection("web", "10.0.0.2:80");

        exporter.Render().ShouldBe("""
            # HELP slardar_access_log_dropped_total Access-log events dropped because the log writer fell behind.
            # TYPE slardar_access_log_dropped_total counter
            slardar_access_log_dropped_total 0
            # HELP slardar_upstream_ejections_total Times outlier detection ejected a peer of an upstream (consecutive 5xx or failure rate).
            # TYPE slardar_upstream_ejections_total counter
            slardar_upstream_ejections_total{peer="10.0.0.2:80",upstream="web"} 1
            # HELP slardar_upstream_peer_latency_seconds Time from sending a try to a peer until its response headers arrived or the try failed.
            # TYPE slardar_upstream_peer_latency_seconds histogram
            slardar_upstream_peer_latency_seconds_bucket{peer="10.0.0.1:80",upstream="web",le="0.005"} 0
            slardar_upstream_peer_latency_seconds_bucket{peer="10.0.0.1:80",upstream="web",le="0.01"} 0
            slardar_upstream_peer_latency_seconds_bucket{peer="10.0.0.1:80",upstream="web",le="0.025"} 1
            slardar_upstream_peer_latency_seconds_bucket{peer="10.0.0.1:80",upstream="web",le="0.05"} 1
            slardar_upstream_peer_latency_seconds_bucket{peer="10.0.0.1:80",upstream="web",le="0.1"} 1
            slardar_upstream_peer_latency_seconds_bucket{peer="10.0.0.1:80",upstream="web",le="0.25"} 1
            slardar_upstream_peer_latency_seconds_bucket{peer="10.0.0.1:80",upstream="web",le="0.5"} 1
            slardar_upstream_peer_latency_seconds_bucket{peer="10.0.0.1:80",upstream="web",le="1"} 1
            slardar_upstream_peer_latency_seconds_bucket{peer="10.0.0.1:80",upstream="web",le="2.5"} 1
            slardar_upstream_peer_latency_seconds_bucket{peer="10.0.0.1:80",upstream="web",le="5"} 1
            slardar_upstream_peer_latency_seconds_bucket{peer="10.0.0.1:80",upstream="web",le="10"} 1
            slardar_upstream_peer_latency_seconds_bucket{peer="10.0.0.1:80",upstream="web",le="+Inf"} 1
            slardar_upstream_peer_latency_seconds_sum{peer="10.0.0.1:80",upstream="web"} 0.02
            slardar_upstream_peer_latency_seconds_count{peer="10.0.0.1:80",upstream="web"} 1
            # HELP slardar_upstream_peer_status_info A peer's checkups status as a label, always 1 (like nginx_upstream_status_info).
            # TYPE slardar_upstream_peer_status_info gauge
            slardar_upstream_peer_status_info{peer="10.0.0.1:80",status="ok",upstream="web"} 1
            slardar_upstream_peer_status_info{peer="10.0.0.2:80",status="err",upstream="web"} 1
            # HELP slardar_upstream_peer_takeouts_total Times passive health took a peer out of an upstream (max_fails failed tries within fail_timeout).
            # TYPE slardar_upstream_peer_takeouts_total counter
            slardar_upstream_peer_takeouts_total{peer="10.0.0.1:80",upstream="web"} 0
            slardar_upstream_peer_takeouts_total{peer="10.0.0.2:80",upstream="web"} 3
            # HELP slardar_upstream_peer_up Whether a peer is usable: 1 up, 0 down.
            # TYPE slardar_upstream_peer_up gauge
            slardar_upstream_peer_up{peer="10.0.0.1:80",upstream="web"} 1
            slardar_upstream_peer_up{peer="10.0.0.2:80",upstream="web"} 0
            # HELP slardar_upstream_requests_total Requests answered for an upstream, by status class of the response sent to the client.
            # TYPE slardar_upstream_requests_total counter
            slardar_upstream_requests_total{status_class="2xx",upstream="web"} 2
            slardar_upstream_requests_total{status_class="5xx",upstream="web"} 1
            # HELP slardar_upstream_tries_total Tries sent to an upstream's peers, by outcome (ok, error, timeout, status, client).
            # TYPE slardar_upstream_tries_total counter
            slardar_upstream_tries_total{outcome="ok",peer="10.0.0.1:80",upstream="web"} 1

            """);
    }

    [Fact]
    public void Render_LabelValueWithBackslashQuoteAndNewline_Escaped()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);

        meter.CreateCounter<long>("odd_total").Add(1, new KeyValuePair<string, object?>("path", "C:\\dir\\\"file\"\nnext"));

        exporter.Render().ShouldContain("odd_total{path=\"C:\\\\dir\\\\\\\"file\\\"\\nnext\"} 1\n");
    }

    [Fact]
    public void Render_HelpWithBackslashAndNewline_EscapedQuoteKept()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);

        meter.CreateCounter<long>("help_total", unit: null, description: "a \\ b\n\"c\"").Add(1);

        exporter.Render().ShouldStartWith("# HELP help_total a \\\\ b\\n\"c\"\n# TYPE help_total counter\n");
    }

    [Fact]
    public void Render_NoDescription_TypeLineWithoutHelp()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);

        meter.CreateCounter<long>("bare_total").Add(4);

        exporter.Render().ShouldBe("# TYPE bare_total counter\nbare_total 4\n");
    }

    [Fact]
    public void Render_TagsGivenInDifferentOrders_OneSeriesWithLabelsSortedByName()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        var counter = meter.CreateCounter<long>("ordered_total");

        counter.Add(1, new KeyValuePair<string, object?>("b", "2"), new KeyValuePair<string, object?>("a", "1"));
        counter.Add(1, new KeyValuePair<string, object?>("a", "1"), new KeyValuePair<string, object?>("b", "2"));

        exporter.Render().ShouldBe("# TYPE ordered_total counter\nordered_total{a=\"1\",b=\"2\"} 2\n");
    }

    [Fact]
    public void Render_FamiliesFromSeveralInstruments_SortedByName()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);

        meter.CreateCounter<long>("zeta_total").Add(1);
        meter.CreateCounter<long>("alpha_total").Add(1);
        meter.CreateCounter<long>("mid_total").Add(1);

        var types = exporter.Render().Split('\n').Where(l => l.StartsWith("# TYPE", StringComparison.Ordinal));
        types.ShouldBe(["# TYPE alpha_total counter", "# TYPE mid_total counter", "# TYPE zeta_total counter"]);
    }

    [Theory]
    [InlineData(0d, "0")]
    [InlineData(1d, "1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1e21, "1e+21")]
    [InlineData(123456789d, "123456789")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void FormatValue_Number_GoParseFloatCompatibleText(double value, string expected) =>
        PrometheusText.FormatValue(value).ShouldBe(expected);

    [Fact]
    public void Render_UpDownCounterAndGauge_RenderedAsGauges()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        var inflight = meter.CreateUpDownCounter<long>("inflight");
        var temperature = meter.CreateGauge<double>("temperature");

        inflight.Add(3);
        inflight.Add(-1);
        temperature.Record(20.5);
        temperature.Record(21.25);

        exporter.Render().ShouldBe("""
            # TYPE inflight gauge
            inflight 2
            # TYPE temperature gauge
            temperature 21.25

            """);
    }

    [Fact]
    public void Render_HistogramWithAdvisedBuckets_UsesThoseBuckets()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        var sizes = meter.CreateHistogram("body_bytes", unit: "By", description: null, tags: null,
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [100, 1000] });

        sizes.Record(50);
        sizes.Record(100);
        sizes.Record(5000);

        exporter.Render().ShouldBe("""
            # TYPE body_bytes histogram
            body_bytes_bucket{le="100"} 2
            body_bytes_bucket{le="1000"} 2
            body_bytes_bucket{le="+Inf"} 3
            body_bytes_sum 5150
            body_bytes_count 3

            """);
    }

    [Fact]
    public void Render_HistogramObservedNaN_CountedInInfBucketAndLaterRecordsStillWork()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        var histogram = meter.CreateHistogram("odd_seconds", unit: null, description: null, tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1] });

        histogram.Record(double.NaN);
        histogram.Record(0.5);

        exporter.Render().ShouldBe("""
            # TYPE odd_seconds histogram
            odd_seconds_bucket{le="1"} 1
            odd_seconds_bucket{le="+Inf"} 2
            odd_seconds_sum NaN
            odd_seconds_count 2

            """);
    }

    [Fact]
    public void Render_NamesWithDotsAndDigits_SanitizedToPrometheusNames()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);

        meter.CreateCounter<long>("slardar.script.hits").Add(1, new KeyValuePair<string, object?>("2nd-tag", 7));

        exporter.Render().ShouldBe("# TYPE slardar_script_hits counter\nslardar_script_hits{_2nd_tag=\"7\"} 1\n");
    }

    [Fact]
    public void Render_ObservableCallbackThrows_OtherFamiliesStillRendered()
    {
        using var meter = new Meter("test");
        using var exporter = new PrometheusExporter(meter);
        meter.CreateObservableGauge<double>("broken", new Func<double>(() => throw new InvalidOperationException("boom")));
        meter.CreateObservableGauge("fine", () => 1.5);

        exporter.Render().ShouldBe("# TYPE fine gauge\nfine 1.5\n");
    }

    [Fact]
    public void Render_SeveralMeters_RendersAllOfThem()
    {
        using var first = new Meter("one");
        using var second = new Meter("two");
        using var exporter = new PrometheusExporter([first, second]);

        first.CreateCounter<long>("a_total").Add(1);
        second.CreateCounter<long>("b_total").Add(2);

        var samples = Samples(exporter.Render());
        samples["a_total"].ShouldBe(1);
        samples["b_total"].ShouldBe(2);
    }

    [Fact]
    public void ContentType_IsTextFormat004() =>
        PrometheusExporter.ContentType.ShouldBe("text/plain; version=0.0.4; charset=utf-8");
}
