using Slardar.Scriptable.Bench.Infrastructure;
using Slardar.Scriptable.Bench.Report;
using Slardar.Scriptable.Bench.Targets;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// This build against another build of the gateway (bench/run.sh --baseline &lt;commit&gt;), both with
/// and without the throughput scenario's three scripts, in one interleaved run: what a change cost
/// or saved in requests/s, CPU, latency and allocation per request.
/// </summary>
internal sealed class BaselineScenario : IScenario
{
    public string Name => "baseline";

    public async Task<ReportSection> RunAsync(BenchContext context)
    {
        var options = context.Options;
        var baselineDll = options.BaselineDll ?? throw new InvalidOperationException("the baseline scenario needs --baseline-dll");
        var baselineName = options.BaselineName ?? Path.GetFileName(Path.GetDirectoryName(baselineDll)) ?? "baseline";
        using var backends = await Backends.StartAsync(context, 2);
        var gateways = new List<(string Name, GatewayInstance Gateway)>();
        try
        {
            var thisBuild = options.Settings.Count == 0 ? "this build" : "this build (" + string.Join(", ", options.Settings.Select(s => $"{s.Key}={s.Value}")) + ")";
            foreach (var (name, dll) in new[] { (thisBuild, (string?)null), ($"baseline {baselineName}", baselineDll) })
            {
                foreach (var scripts in new[] { false, true })
                {
                    var label = $"{name}, {(scripts ? "3 scripts" : "no scripts")}";
                    // --setting applies to this build only: a path of this build against the baseline's default.
                    var gateway = await GatewayInstance.StartAsync(context, new GatewayLaunch("baseline-" + gateways.Count, Settings: dll is null ? options.Settings : null, Dll: dll));
                    gateways.Add((label, gateway));
                    await gateway.PutUpstreamAsync(ThroughputScenario.Host, GatewayInstance.UpstreamJson(backends.Ports));
                    if (scripts)
                    {
                        await BenchScripts.InstallAsync(gateway, ThroughputScenario.Host, backends.All.Count);
                        await Sanity.ExpectScriptedAsync(gateway.ProxyUrl, ThroughputScenario.Host);
                    }
                }
            }

            var targets = gateways.Select(g => LoadTarget.For(g.Name, g.Gateway, ThroughputScenario.Host)).ToList();
            var settings = new WrkSettings(options.Threads, options.Connections, TimeSpan.FromSeconds(options.DurationSeconds));
            BenchContext.Log($"baseline: {settings.Describe()}, {options.Rounds} rounds, {targets.Count} targets");
            var summaries = await Comparison.RunAsync(targets, settings, options.Rounds, TimeSpan.FromSeconds(options.WarmupSeconds));
            return Render(summaries, settings, options.Rounds, baselineName);
        }
        finally
        {
            foreach (var (_, gateway) in gateways)
            {
                gateway.Dispose();
            }
        }
    }

    private static ReportSection Render(IReadOnlyList<TargetSummary> rows, WrkSettings settings, int rounds, string baselineName)
    {
        var table = new MarkdownTable("gateway", "req/s", "req/s × baseline", "p99 ms", "p99 × baseline", "CPU s / 10k req", "CPU × baseline", "allocated / req", "peak RSS");
        for (var i = 0; i < 2; i++)
        {
            var current = rows[i];
            var baseline = rows[i + 2];
            foreach (var row in new[] { current, baseline })
            {
                table.Row(row.Name, $"{row.Rps:F0}", Stats.Ratio(row.Rps, baseline.Rps), $"{row.P99Ms:F2}", Stats.Ratio(row.P99Ms, baseline.P99Ms),
                    $"{row.CpuPer10k:F3}", Stats.Ratio(row.CpuPer10k, baseline.CpuPer10k), Stats.Bytes(row.BytesPerRequest), Stats.Mb(row.PeakRssBytes));
            }
        }

        var markdown = $"""
            This build against {baselineName}, each with no scripts and with the throughput scenario's three scripts,
            `{settings.Describe()}`, {rounds} rounds interleaved, medians.

            {table}
            """;
        return new ReportSection($"This build against {baselineName}", markdown, []);
    }
}
