using System.Diagnostics;
using Slardar.Scriptable.Bench.Infrastructure;
using Slardar.Scriptable.Bench.Report;
using Slardar.Scriptable.Bench.Targets;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// The performance levers, one at a time: each is a gateway started with one setting changed from
/// the project as shipped, all measured in one interleaved run with the scripted workload, plus its
/// start-up and first script compile (where ReadyToRun and tiering show).
/// </summary>
internal sealed class LeverScenario : IScenario
{
    private static readonly Lever[] Levers =
    [
        Lever.Env("server GC", ("DOTNET_gcServer", "1"), ("DOTNET_GCDynamicAdaptationMode", "0")),
        Lever.Env("server GC + DATAS", ("DOTNET_gcServer", "1"), ("DOTNET_GCDynamicAdaptationMode", "1")),
        Lever.Env("workstation GC (concurrent)", ("DOTNET_gcServer", "0")),
        Lever.Env("workstation GC, non-concurrent", ("DOTNET_gcServer", "0"), ("DOTNET_gcConcurrent", "0")),
        Lever.Env("tiered PGO off", ("DOTNET_TieredPGO", "0")),
        Lever.Env("tiered compilation off", ("DOTNET_TieredCompilation", "0")),
        Lever.Env("ReadyToRun code ignored", ("DOTNET_ReadyToRun", "0")),
        Lever.Env("inline socket completions", ("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1")),
        Lever.Setting("Kestrel inline scheduling", ("Proxy:InlineScheduling", "true")),
        new Lever("inline completions + Kestrel inline scheduling",
            new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1" },
            new Dictionary<string, string> { ["Proxy:InlineScheduling"] = "true" }),
        new Lever("inline both + workstation GC, non-concurrent",
            new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1", ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "0" },
            new Dictionary<string, string> { ["Proxy:InlineScheduling"] = "true" }),
        Lever.Env("2 socket engine threads", ("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", "2")),
        Lever.Env("thread pool min 16 threads", ("DOTNET_ThreadPool_ForceMinWorkerThreads", "16")),
        Lever.Setting("forwarder pool: 16 connections per peer", ("Proxy:MaxConnectionsPerPeer", "16")),
        // The default is the fast HTTP/1.1 path: this lever is the A/B against YARP.
        Lever.Setting("YARP forwarder (Proxy:Forwarder=yarp)", ("Proxy:Forwarder", "yarp")),
    ];

    public string Name => "levers";

    public async Task<ReportSection> RunAsync(BenchContext context)
    {
        var options = context.Options;
        using var backends = await Backends.StartAsync(context, 2);
        using var peer = await NginxPeer.StartAsync(context, backends.All);
        var gateways = new List<(string Name, Lever? Lever, GatewayInstance Gateway, TimeSpan FirstCompile)>();
        try
        {
            foreach (var lever in new Lever?[] { null }.Concat(Levers))
            {
                var name = lever?.Name ?? "as shipped";
                var gateway = await GatewayInstance.StartAsync(context,
                    new GatewayLaunch("lever-" + name.Replace(' ', '-'), Environment: lever?.Environment, Settings: lever?.Settings));
                await gateway.PutUpstreamAsync(ThroughputScenario.Host, GatewayInstance.UpstreamJson(backends.Ports));
                var started = Stopwatch.GetTimestamp();
                await BenchScripts.InstallAsync(gateway, ThroughputScenario.Host, backends.All.Count);
                var firstCompile = Stopwatch.GetElapsedTime(started) / 3;
                await Sanity.ExpectScriptedAsync(gateway.ProxyUrl, ThroughputScenario.Host);
                gateways.Add((name, lever, gateway, firstCompile));
            }

            var targets = new List<LoadTarget> { new("nginx + Lua peer", peer.Url, ThroughputScenario.Host, peer.Process.Sample) };
            targets.AddRange(gateways.Select(g => LoadTarget.For(g.Name, g.Gateway, ThroughputScenario.Host)));
            var settings = new WrkSettings(options.Threads, options.Connections, TimeSpan.FromSeconds(options.DurationSeconds));
            BenchContext.Log($"levers: {settings.Describe()}, {options.Rounds} rounds, {targets.Count} targets");
            var summaries = await Comparison.RunAsync(targets, settings, options.Rounds, TimeSpan.FromSeconds(options.WarmupSeconds));
            return Render(summaries, gateways.Select(g => (g.Name, g.Lever, g.Gateway.Startup, g.FirstCompile)).ToList(), settings, options.Rounds);
        }
        finally
        {
            foreach (var (_, _, gateway, _) in gateways)
            {
                gateway.Dispose();
            }
        }
    }

    private static ReportSection Render(IReadOnlyList<TargetSummary> rows, IReadOnlyList<(string Name, Lever? Lever, TimeSpan Startup, TimeSpan FirstCompile)> starts,
        WrkSettings settings, int rounds)
    {
        var peer = rows[0];
        var shipped = rows.Single(r => r.Name == "as shipped");
        var shippedStart = starts.Single(s => s.Lever is null);
        var table = new MarkdownTable("gateway (3 scripts)", "setting", "req/s × shipped", "× peer", "p99 ms", "CPU/10k × shipped", "allocated / req", "peak RSS", "start-up × shipped", "first compile × shipped");
        foreach (var row in rows.Skip(1))
        {
            var start = starts.Single(s => s.Name == row.Name);
            table.Row(row.Name, start.Lever is null ? "project runtimeconfig" : $"`{start.Lever.Describe()}`",
                Stats.Ratio(row.Rps, shipped.Rps), Stats.Ratio(row.Rps, peer.Rps), $"{row.P99Ms:F2}", Stats.Ratio(row.CpuPer10k, shipped.CpuPer10k),
                Stats.Bytes(row.BytesPerRequest), Stats.Mb(row.PeakRssBytes), Stats.Ratio(start.Startup.TotalMilliseconds, shippedStart.Startup.TotalMilliseconds),
                Stats.Ratio(start.FirstCompile.TotalMilliseconds, shippedStart.FirstCompile.TotalMilliseconds));
        }

        var markdown = $"""
            Each lever is one gateway started with one setting changed; all of them and the peer are measured in one
            `{settings.Describe()}` run, {rounds} rounds interleaved, medians, with the three scripts of the throughput
            scenario. As shipped: {shipped.Rps:F0} req/s ({Stats.Ratio(shipped.Rps, peer.Rps)} the peer), start-up
            {shippedStart.Startup.TotalMilliseconds:F0} ms, first script compile {shippedStart.FirstCompile.TotalMilliseconds:F0} ms.
            Start-up is process start until both listeners are up; first compile is the mean of the first three script posts after start.

            {table}
            """;
        return new ReportSection("Levers, one at a time", markdown, []);
    }
}
