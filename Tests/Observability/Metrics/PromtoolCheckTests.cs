using System.Diagnostics;
using System.Diagnostics.Metrics;
using Shouldly;
using Slardar.Scriptable.Host.Observability.Metrics;

namespace Slardar.Scriptable.Tests.Observability.Metrics;

/// <summary>
/// The exposition read by Prometheus' own parser and linter (<c>promtool check metrics</c>, Debian's
/// prometheus package, installed by test.sh): label values that need escaping, non-ASCII, special
/// float values, names that need sanitising.
/// </summary>
public sealed class PromtoolCheckTests
{
    [Fact]
    public async Task Render_HostileLabelsAndSpecialValues_PassPromtool()
    {
        PeerGaugeValue[] peers =
        [
            new("quote\"back\\slash\nnewline.example.com", "10.0.0.1:80", "ok", 1),
            new("ünïcødé.example.com", "[::1]:8080", "err", 0),
        ];
        using var metrics = new GatewayMetrics(() => peers, () => 3);
        using var exporter = new PrometheusExporter(metrics.Meter);
        metrics.RecordRequest(peers[0].Upstream, 200);
        metrics.RecordRequest(peers[1].Upstream, 503);
        metrics.RecordTry(peers[0].Upstream, peers[0].Peer, TryOutcome.Ok, TimeSpan.FromMilliseconds(10));
        metrics.RecordTry(peers[1].Upstream, peers[1].Peer, TryOutcome.Timeout, TimeSpan.FromMinutes(2));
        metrics.RecordEjection(peers[1].Upstream, peers[1].Peer);
        metrics.RecordHeartbeatFailure(peers[1].Upstream, peers[1].Peer);

        // What a script may add: an OpenTelemetry-style name, and gauges that are not finite.
        metrics.Meter.CreateCounter<long>("slardar.script.hits_total", description: "Help with a \\ and a\nline feed.")
            .Add(2, new KeyValuePair<string, object?>("route", "/a\"b"));
        metrics.Meter.CreateObservableGauge("slardar_script_ratio", () => new[]
        {
            new Measurement<double>(double.NaN, new KeyValuePair<string, object?>("kind", "nan")),
            new Measurement<double>(double.PositiveInfinity, new KeyValuePair<string, object?>("kind", "inf")),
            new Measurement<double>(1e-7, new KeyValuePair<string, object?>("kind", "tiny")),
        }, description: "Not finite on purpose."); // without one, promtool's linter asks for help text

        var (exit, output) = await PromtoolAsync(exporter.Render());

        (exit, output).ShouldBe((0, string.Empty));
    }

    private static async Task<(int Exit, string Output)> PromtoolAsync(string exposition)
    {
        var start = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start (test.sh installs Debian's prometheus package)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }
}
