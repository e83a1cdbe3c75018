using System.Diagnostics;
using System.Globalization;
using Slardar.Scriptable.Bench.Infrastructure;
using Slardar.Scriptable.Bench.Report;
using Slardar.Scriptable.Bench.Targets;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// A backend dies under load (kill -9) and comes back: what clients see, how soon the gateway
/// stops sending it tries, and how soon it is re-admitted; read from the gateway's own metrics.
/// </summary>
internal sealed class FailoverScenario : IScenario
{
    private const string Host = ThroughputScenario.Host;
    private static readonly TimeSpan DeadFor = TimeSpan.FromSeconds(15);

    public string Name => "failover";

    public async Task<ReportSection> RunAsync(BenchContext context)
    {
        using var backends = await Backends.StartAsync(context, 4);
        using var gateway = await ThroughputScenario.StartGatewayAsync(context, "failover", backends, scripts: false, accessLog: false);
        var victim = backends.All[^1];
        var label = $"peer=\"127.0.0.1:{victim.Port.ToString(CultureInfo.InvariantCulture)}\"";
        var samples = new List<(double At, double Tries, double Ok)>();
        var clock = Stopwatch.StartNew();

        async Task SampleAsync()
        {
            var metrics = await gateway.MetricsAsync();
            samples.Add((clock.Elapsed.TotalSeconds, GatewayInstance.MetricValue(metrics, "slardar_upstream_tries_total", label),
                GatewayInstance.MetricValue(metrics, "slardar_upstream_tries_total", label, "outcome=\"ok\"")));
        }

        async Task WatchAsync(TimeSpan span, Func<bool>? until = null)
        {
            var end = clock.Elapsed + span;
            while (clock.Elapsed < end && !(until?.Invoke() ?? false))
            {
                await SampleAsync();
                await Task.Delay(100);
            }
        }

        double killedAt, restartedAt;
        long ok, failed;
        List<string> failures;
        await using (var load = new BackgroundLoad(gateway.ProxyUrl + "/", Host, concurrency: 8, pause: TimeSpan.Zero))
        {
            await WatchAsync(TimeSpan.FromSeconds(3));
            killedAt = clock.Elapsed.TotalSeconds;
            victim.Kill();
            BenchContext.Log($"failover: killed backend {victim.Port} at {killedAt:F1} s");
            await WatchAsync(DeadFor);
            restartedAt = clock.Elapsed.TotalSeconds;
            await victim.RestartAsync();
            BenchContext.Log($"failover: restarted backend {victim.Port} at {restartedAt:F1} s");
            var okAtRestart = samples[^1].Ok;
            await WatchAsync(TimeSpan.FromSeconds(30), () => samples[^1].Ok > okAtRestart);
            await WatchAsync(TimeSpan.FromSeconds(1));
            (ok, failed, failures) = (load.Ok, load.Failed, load.FailureSamples);
        }

        var triesAtKill = samples.Last(s => s.At <= killedAt).Tries;
        var dead = samples.Where(s => s.At > killedAt && s.At <= restartedAt).ToList();
        var lastIncrease = dead.Zip(dead.Skip(1)).Where(p => p.Second.Tries > p.First.Tries).Select(p => p.Second.At).DefaultIfEmpty(killedAt).Max();
        var triesWhileDead = (dead.Count > 0 ? dead[^1].Tries : triesAtKill) - triesAtKill;
        var okAtRestartSample = samples.Last(s => s.At <= restartedAt).Ok;
        var readmitted = samples.FirstOrDefault(s => s.At > restartedAt && s.Ok > okAtRestartSample);
        var readmitSeconds = readmitted == default ? double.NaN : readmitted.At - restartedAt;
        var stopSeconds = lastIncrease - killedAt;

        var table = new MarkdownTable("measure", "value");
        table.Row("client requests: ok / failed", $"{ok:N0} / {failed:N0}")
            .Row("tries sent to the dead peer while it was down", $"{triesWhileDead:F0} (of {ok:N0} requests)")
            .Row("time until the dead peer stopped receiving tries", $"{stopSeconds:F1} s after the kill (metrics sampled every 0.1 s)")
            .Row("time to re-admit after it came back", double.IsNaN(readmitSeconds) ? "not within 30 s" : $"{readmitSeconds:F1} s after the restart");
        var markdown = $"""
            Four backends, the gateway with the upstream's defaults (`max_fails` 1, `fail_timeout` 10 s, active checks
            every `Checkups:IntervalSeconds` = 5 s, `Proxy:Tries` 2, default balancer), 8 connections of GETs from the
            harness. One backend is killed with SIGKILL 3 s in, restarted {DeadFor.TotalSeconds:F0} s later on the same port.
            Tries per peer come from the gateway's `slardar_upstream_tries_total`.
            {(failures.Count > 0 ? "Failures: " + string.Join("; ", failures) : string.Empty)}

            {table}
            Re-admission waits for the next active check round (or the end of `fail_timeout`), so it is bounded by
            the check interval; stopping tries is bounded by one failed try per gateway (`max_fails` 1).
            """;
        return new ReportSection("Failover: a backend killed under load", markdown,
        [
            new TargetCheck("failover: client-visible errors for GETs = 0", $"{failed} of {ok + failed:N0}", failed == 0),
        ]);
    }
}
