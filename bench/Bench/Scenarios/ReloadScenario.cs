using Slardar.Scriptable.Bench.Infrastructure;
using Slardar.Scriptable.Bench.Report;
using Slardar.Scriptable.Bench.Targets;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// Script reloads as an operator does them (POST /script/&lt;host&gt;/rewrite, a 50-line script):
/// the first compile after start, warm compile+activate latency (the compile runs in the gateway's
/// compile worker: IPC included), then many reloads under light load, watching the gateway's own
/// resident memory (its worker apart), the managed heap and old load contexts that stay alive.
/// Runs on its own with <c>bench/run.sh --only reload</c>.
/// </summary>
internal sealed class ReloadScenario : IScenario
{
    private const string Host = ThroughputScenario.Host;

    public string Name => "reload";

    public async Task<ReportSection> RunAsync(BenchContext context)
    {
        var reloads = context.Options.Reloads;
        using var backends = await Backends.StartAsync(context, 2);
        using var gateway = await ThroughputScenario.StartGatewayAsync(context, "reload", backends, scripts: false, accessLog: false);
        var rssAtStart = gateway.Process.SampleAlone().RssBytes;
        var first = await gateway.PutScriptAsync(Host, "rewrite", BenchScripts.FiftyLines(0));

        var warmPuts = new List<ScriptPutTiming>();
        for (var i = 1; i <= 200; i++)
        {
            warmPuts.Add(await gateway.PutScriptTimedAsync(Host, "rewrite", BenchScripts.FiftyLines(i)));
        }

        var warm = warmPuts.Select(p => p.Elapsed.TotalMilliseconds).ToList();

        var metricsBefore = await gateway.MetricsAsync();
        var rssBefore = gateway.Process.SampleAlone().RssBytes;
        var heapBefore = GatewayInstance.MetricValue(metricsBefore, "dotnet_gc_heap_size_bytes");
        BenchContext.Log($"reload: first {first.TotalMilliseconds:F0} ms, warm p50 {Stats.Median(warm):F1} ms; {reloads:N0} reloads under load");

        var latencies = new List<double>(reloads);
        var puts = new List<ScriptPutTiming>(reloads);

        // RSS once the first tenth of the reloads are done: tells a plateau (growth early, then flat) from a leak.
        var plateauAt = Math.Max(1, reloads / 10);
        var rssPlateau = rssBefore;
        long loadOk, loadFailed;
        List<string> failures;
        await using (var load = new BackgroundLoad(gateway.ProxyUrl + "/", Host, concurrency: 2, pause: TimeSpan.FromMilliseconds(5)))
        {
            for (var i = 0; i < reloads; i++)
            {
                var put = await gateway.PutScriptTimedAsync(Host, "rewrite", BenchScripts.FiftyLines(1000 + i));
                latencies.Add(put.Elapsed.TotalMilliseconds);
                puts.Add(put);
                if (i + 1 == plateauAt)
                {
                    rssPlateau = gateway.Process.SampleAlone().RssBytes;
                }

                if ((i + 1) % 1000 == 0)
                {
                    BenchContext.Log($"  {i + 1:N0} reloads, gateway RSS {Stats.Mb(gateway.Process.SampleAlone().RssBytes)}");
                }
            }

            loadOk = load.Ok;
            loadFailed = load.Failed;
            failures = load.FailureSamples;
        }

        // Warm and alone: Roslyn's JIT has settled over the long run, and no traffic shares the machine
        // (under traffic each new version also pays its first requests' JIT and the old one's unload).
        var settled = new List<ScriptPutTiming>();
        for (var i = 0; i < 200; i++)
        {
            settled.Add(await gateway.PutScriptTimedAsync(Host, "rewrite", BenchScripts.FiftyLines(1_000_000 + i)));
        }

        var settledMs = settled.Select(p => p.Elapsed.TotalMilliseconds).ToList();
        var metricsAfter = await gateway.MetricsAsync();
        var rssAfter = gateway.Process.SampleAlone().RssBytes;
        var workerRss = gateway.Process.Sample().RssBytes - rssAfter;
        var heapAfter = GatewayInstance.MetricValue(metricsAfter, "dotnet_gc_heap_size_bytes");
        var aliveAtEnd = GatewayInstance.MetricValue(metricsAfter, "slardar_script_generations_alive_after_unload");
        var gen2 = GatewayInstance.MetricValue(metricsAfter, "dotnet_gc_collections_total", "generation=\"2\"")
                   - GatewayInstance.MetricValue(metricsBefore, "dotnet_gc_collections_total", "generation=\"2\"");
        var alive = await SettledAliveAsync(gateway);
        var rssGrowth = rssAfter - rssBefore;
        var lateGrowth = rssAfter - rssPlateau;

        var p50Settled = Stats.Median(settledMs);
        var table = new MarkdownTable("measure", "value");
        table.Row("first compile + activate after start", $"{first.TotalMilliseconds:F0} ms ({Stats.Ratio(first.TotalMilliseconds, Stats.Median(settledMs))} the warm p50)")
            .Row("compile + activate right after the first, p50 / p99 (200 reloads, Roslyn's JIT still tiering up)", $"{Stats.Median(warm):F1} ms / {Stats.Percentile(warm, 99):F1} ms")
            .Row("those 200, the gateway's split (Server-Timing p50s): compile in the worker / store / load", $"{Stats.Median(warmPuts.Select(p => p.CompileMs)):F1} / {Stats.Median(warmPuts.Select(p => p.StoreMs)):F1} / {Stats.Median(warmPuts.Select(p => p.LoadMs)):F1} ms")
            .Row($"{reloads:N0} reloads under light load, p50 / p99", $"{Stats.Median(latencies):F1} ms / {Stats.Percentile(latencies, 99):F1} ms")
            .Row("those, the gateway's split (Server-Timing p50s): compile in the worker / store / load", $"{Stats.Median(puts.Select(p => p.CompileMs)):F1} / {Stats.Median(puts.Select(p => p.StoreMs)):F1} / {Stats.Median(puts.Select(p => p.LoadMs)):F1} ms")
            .Row("then 200 reloads without traffic (warm, alone), p50 / p99", $"{p50Settled:F1} ms / {Stats.Percentile(settledMs, 99):F1} ms (compile {Stats.Median(settled.Select(p => p.CompileMs)):F1}, store {Stats.Median(settled.Select(p => p.StoreMs)):F1}, load {Stats.Median(settled.Select(p => p.LoadMs)):F1} ms)")
            .Row("gateway RSS at start (listening, no script yet)", Stats.Mb(rssAtStart))
            .Row("gateway RSS before → after the reloads", $"{Stats.Mb(rssBefore)} → {Stats.Mb(rssAfter)} ({Stats.Ratio(rssAfter, rssBefore)}, {Signed(rssGrowth)}; {Signed(rssAfter - rssAtStart)} since start)")
            .Row("compile worker RSS after the reloads (its own process)", Stats.Mb(workerRss))
            .Row($"gateway RSS after {plateauAt:N0} reloads → after {reloads:N0}", $"{Stats.Mb(rssPlateau)} → {Stats.Mb(rssAfter)} ({Signed(lateGrowth)} over the last {reloads - plateauAt:N0})")
            .Row("managed heap before → after", $"{Stats.Mb((long)heapBefore)} → {Stats.Mb((long)heapAfter)} ({Stats.Ratio(heapAfter, heapBefore)})")
            .Row("gen2 collections during the reloads", $"{gen2:F0}")
            .Row("old load contexts alive: right after / settled", $"{aliveAtEnd:F0} / {alive:F0}")
            .Row("requests during the reloads: ok / failed", $"{loadOk:N0} / {loadFailed:N0}");
        var markdown = $"""
            `POST /script/{Host}/rewrite` with a 50-line script, each one different (a new version: compile with Roslyn
            and the guard rails in the compile worker, a child process, over its pipe; the image guard again in the
            gateway; store in SQLite with fsync, load into a new collectible context, swap, retire the old one).
            RSS rows are the gateway process alone; its worker, which holds Roslyn, is measured apart.
            Light load during the {reloads:N0} reloads: 2 connections of GETs through the scripted host. Old load
            contexts alive are the gateway's own `slardar_script_generations_alive_after_unload` (weak references to
            unloaded contexts); "settled" is read after up to 10 s of light load, when the collector had run.
            {(failures.Count > 0 ? "Failed requests: " + string.Join("; ", failures) : string.Empty)}

            {table}
            """;
        // Warm: the compiler's JIT has settled, measured alone; the 200 right after the first compile
        // (still tiering Roslyn's code up) and the long run under traffic are quoted beside it.
        return new ReportSection("Script reloads", markdown,
        [
            new TargetCheck("warm compile + activate p50 ≤ 25 ms (compile in the worker, IPC included)", $"{p50Settled:F1} ms for 200 reloads after the long run, no traffic ({Stats.Ratio(p50Settled, 25)} the target; {Stats.Median(latencies):F1} ms during the {reloads:N0} under light load, {Stats.Median(warm):F1} ms for the 200 right after the first compile)", p50Settled <= 25),
            new TargetCheck($"{reloads:N0} reloads grow gateway RSS by ≤ 30 MB", $"{Signed(rssGrowth)} ({Stats.Ratio(rssAfter, rssBefore)}; {Signed(lateGrowth)} over the last {reloads - plateauAt:N0}; {Signed(rssAfter - rssAtStart)} since start)", rssGrowth <= 30L << 20),
            new TargetCheck($"{reloads:N0} reloads: 0 old load contexts alive", $"{alive:F0} (settled), {aliveAtEnd:F0} right after", alive == 0),
            new TargetCheck("no failed request during reloads", $"{loadFailed} of {loadOk + loadFailed:N0}", loadFailed == 0),
        ]);
    }

    private static string Signed(long bytes) => $"{(bytes >= 0 ? "+" : "−")}{Stats.Mb(Math.Abs(bytes))}";

    /// <summary>The alive count once collections have had a chance to run (bounded: 10 s of light load).</summary>
    private static async Task<double> SettledAliveAsync(GatewayInstance gateway)
    {
        await using var load = new BackgroundLoad(gateway.ProxyUrl + "/", Host, concurrency: 2, pause: TimeSpan.Zero);
        double alive = 0;
        for (var i = 0; i < 20; i++)
        {
            alive = GatewayInstance.MetricValue(await gateway.MetricsAsync(), "slardar_script_generations_alive_after_unload");
            if (alive == 0)
            {
                break;
            }

            await Task.Delay(500);
        }

        return alive;
    }
}
