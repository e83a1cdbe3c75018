using System.Diagnostics;
using Slardar.Scriptable.Bench.Infrastructure;
using Slardar.Scriptable.Bench.Report;
using Slardar.Scriptable.Bench.Targets;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// Cost per request as the configuration grows: one gateway per size with that many hosts, each
/// served by its own upstream, traffic spread over all of them; measured interleaved.
/// </summary>
internal sealed class ScaleScenario : IScenario
{
    public string Name => "scale";

    public async Task<ReportSection> RunAsync(BenchContext context)
    {
        var options = context.Options;
        using var backends = await Backends.StartAsync(context, 2);
        var gateways = new List<(int Size, GatewayInstance Gateway, TimeSpan Create)>();
        try
        {
            foreach (var size in options.ScaleSizes)
            {
                // Active checks off: with 10,000 upstreams they would probe the two backends 20,000 times a round
                // and bill that to the requests; the table is about the request path.
                var gateway = await GatewayInstance.StartAsync(context, new GatewayLaunch($"scale-{size}",
                    Settings: new Dictionary<string, string> { ["Checkups:ActiveChecks"] = "false" }));
                var started = Stopwatch.GetTimestamp();
                var json = GatewayInstance.UpstreamJson(backends.Ports, activeChecks: false);
                await Parallel.ForEachAsync(Enumerable.Range(1, size), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                    async (i, _) => await gateway.PutUpstreamAsync(HostSpread.HostName(i), json));
                var create = Stopwatch.GetElapsedTime(started);
                BenchContext.Log($"scale: {size} upstreams created through the admin API in {create.TotalSeconds:F1} s");
                await Sanity.ExpectAsync(gateway.ProxyUrl, HostSpread.HostName(size), HttpMethod.Get, 200);
                gateways.Add((size, gateway, create));
            }

            var targets = gateways.Select(g => LoadTarget.For($"{g.Size} hosts", g.Gateway, null, HostSpread.WriteScript(context.WorkDir, g.Size))).ToList();
            var settings = new WrkSettings(options.Threads, options.Connections, TimeSpan.FromSeconds(options.DurationSeconds));
            BenchContext.Log($"scale: {settings.Describe()}, {options.Rounds} rounds");
            var rows = await Comparison.RunAsync(targets, settings, options.Rounds, TimeSpan.FromSeconds(options.WarmupSeconds));
            return Render(rows, gateways, settings, options.Rounds);
        }
        finally
        {
            foreach (var (_, gateway, _) in gateways)
            {
                gateway.Dispose();
            }
        }
    }

    private static ReportSection Render(IReadOnlyList<TargetSummary> rows, List<(int Size, GatewayInstance Gateway, TimeSpan Create)> gateways,
        WrkSettings settings, int rounds)
    {
        var first = rows[0];
        var last = rows[^1];
        var table = new MarkdownTable("hosts = upstreams", "req/s", "× 1 host", "p99 ms", "CPU s / 10k req", "CPU × 1 host", "allocated / req", "peak RSS", "created via admin API");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var (size, _, create) = gateways[i];
            table.Row(size.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), $"{row.Rps:F0}", Stats.Ratio(row.Rps, first.Rps), $"{row.P99Ms:F2}",
                $"{row.CpuPer10k:F3}", Stats.Ratio(row.CpuPer10k, first.CpuPer10k), Stats.Bytes(row.BytesPerRequest), Stats.Mb(row.PeakRssBytes),
                $"{create.TotalSeconds:F1} s ({size / Math.Max(create.TotalSeconds, 0.001):F0}/s)");
        }

        var markdown = $"""
            One gateway per size, each with that many hosts, every host served by its own upstream (the two backends),
            requests spread round robin over all hosts by a wrk script; no scripts, active checks off (at 10,000
            upstreams they would probe the backends 20,000 times per round and bill it to requests).
            `{settings.Describe()}`, {rounds} rounds interleaved, medians. Upstreams were created through the admin API
            (8 in parallel, each stored durably before it is acknowledged).

            {table}
            """;
        var lastSize = gateways[^1].Size.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        return new ReportSection("Scale: 1 to 10,000 hosts and upstreams", markdown,
        [
            new TargetCheck($"per-request cost flat: req/s at {lastSize} upstreams ≥ 0.95× at 1", Stats.Ratio(last.Rps, first.Rps), last.Rps >= 0.95 * first.Rps),
            new TargetCheck($"per-request cost flat: CPU per request at {lastSize} upstreams ≤ 1.05× at 1", Stats.Ratio(last.CpuPer10k, first.CpuPer10k), last.CpuPer10k <= 1.05 * first.CpuPer10k),
        ]);
    }
}
