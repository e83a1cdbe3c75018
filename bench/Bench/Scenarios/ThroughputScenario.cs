using Slardar.Scriptable.Bench.Infrastructure;
using Slardar.Scriptable.Bench.Report;
using Slardar.Scriptable.Bench.Targets;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// The headline comparison: direct to a backend, the nginx + Lua peer, the gateway without scripts,
/// with rewrite + auth + balancer scripts, and the same with the access log on; one interleaved run.
/// </summary>
internal sealed class ThroughputScenario : IScenario
{
    public const string Host = "bench.local";

    public string Name => "throughput";

    public async Task<ReportSection> RunAsync(BenchContext context)
    {
        var options = context.Options;
        using var backends = await Backends.StartAsync(context, 2);
        using var peer = await NginxPeer.StartAsync(context, backends.All);
        using var plain = await StartGatewayAsync(context, "plain", backends, scripts: false, accessLog: false);
        using var scripted = await StartGatewayAsync(context, "scripted", backends, scripts: true, accessLog: false);
        using var logged = await StartGatewayAsync(context, "scripted-log", backends, scripts: true, accessLog: true);
        await Sanity.ExpectScriptedAsync(peer.Url, Host);
        await Sanity.ExpectAsync(plain.ProxyUrl, Host, HttpMethod.Get, 200);
        await Sanity.ExpectScriptedAsync(scripted.ProxyUrl, Host);
        await Sanity.ExpectScriptedAsync(logged.ProxyUrl, Host);

        var direct = backends.All[0];
        var targets = new List<LoadTarget>
        {
            new("direct to a backend", direct.Url, Host, direct.Process.Sample),
            new("nginx + Lua peer", peer.Url, Host, peer.Process.Sample),
            LoadTarget.For("gateway, no scripts", plain, Host),
            LoadTarget.For("gateway, 3 scripts", scripted, Host),
            LoadTarget.For("gateway, 3 scripts + access log", logged, Host),
        };
        var settings = new WrkSettings(options.Threads, options.Connections, TimeSpan.FromSeconds(options.DurationSeconds));
        BenchContext.Log($"throughput: {settings.Describe()}, {options.Rounds} rounds");
        var summaries = await Comparison.RunAsync(targets, settings, options.Rounds, TimeSpan.FromSeconds(options.WarmupSeconds));
        return Render(summaries, settings, options.Rounds);
    }

    public static async Task<GatewayInstance> StartGatewayAsync(BenchContext context, string name, Backends backends, bool scripts, bool accessLog,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var gateway = await GatewayInstance.StartAsync(context, new GatewayLaunch(name, accessLog, environment));
        await gateway.PutUpstreamAsync(Host, GatewayInstance.UpstreamJson(backends.Ports));
        if (scripts)
        {
            await BenchScripts.InstallAsync(gateway, Host, backends.All.Count);
        }

        return gateway;
    }

    private static ReportSection Render(IReadOnlyList<TargetSummary> rows, WrkSettings settings, int rounds)
    {
        var peer = rows.Single(r => r.Name == "nginx + Lua peer");
        var plain = rows.Single(r => r.Name == "gateway, no scripts");
        var scripted = rows.Single(r => r.Name == "gateway, 3 scripts");
        var table = new MarkdownTable("target", "req/s", "× peer", "p50 ms", "p99 ms", "p99 × peer", "CPU s / 10k req", "CPU × peer", "peak RSS", "allocated / req", "errors");
        foreach (var row in rows)
        {
            table.Row(row.Name, $"{row.Rps:F0}", Stats.Ratio(row.Rps, peer.Rps), $"{row.P50Ms:F2}", $"{row.P99Ms:F2}", Stats.Ratio(row.P99Ms, peer.P99Ms),
                $"{row.CpuPer10k:F3}", Stats.Ratio(row.CpuPer10k, peer.CpuPer10k), Stats.Mb(row.PeakRssBytes), Stats.Bytes(row.BytesPerRequest), row.Errors.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var markdown = $"""
            `{settings.Describe()}`, {rounds} rounds interleaved, medians. Two nginx backends (one process each); the
            peer is nginx + lua-nginx-module with rewrite_by_lua (DELETE → 403), access_by_lua (X-Deny → 401) and
            balancer_by_lua (round robin, set_more_tries); the gateway runs the same logic as C# scripts posted to
            `/script/<host>/<phase>`. CPU is the target's own process tree (the backends are not billed), wrk shares
            the machine with everything.

            {table}
            Scripts cost: {Stats.Ratio(scripted.Rps, plain.Rps)} the throughput of the same gateway without scripts.
            """;
        return new ReportSection("Throughput and latency against nginx + Lua", markdown,
        [
            new TargetCheck("3 scripted phases: throughput ≥ 1.0× the peer", Stats.Ratio(scripted.Rps, peer.Rps), scripted.Rps >= peer.Rps),
            new TargetCheck("3 scripted phases: p99 ≤ the peer's", $"{scripted.P99Ms:F2} ms vs {peer.P99Ms:F2} ms ({Stats.Ratio(scripted.P99Ms, peer.P99Ms)})", scripted.P99Ms <= peer.P99Ms),
            new TargetCheck("scripts cost ≤ 3% (≥ 0.97× without scripts)", Stats.Ratio(scripted.Rps, plain.Rps), scripted.Rps >= 0.97 * plain.Rps),
        ]);
    }
}
