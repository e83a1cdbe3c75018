using System.Globalization;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Bench.Infrastructure;
using Slardar.Scriptable.Bench.Report;
using Slardar.Scriptable.Bench.Targets;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// Script caches: requests/s of a content script doing one <c>Cache.GetAsync</c> hit per request
/// against nginx + Lua doing the same with lua-resty-lrucache (per worker) in front of a
/// lua_shared_dict, each beside the same answer without a cache; and the cache's own cost per hit
/// in nanoseconds, in process, beside a ConcurrentDictionary lookup.
/// </summary>
internal sealed class CacheScenario : IScenario
{
    private const string CacheHost = "cache.local";
    private const string PlainHost = "nocache.local";
    private const string Body = "config-value";

    /// <summary>The loader runs on the first request; every later one is a hit (key and value as in Nginx/cache.conf).</summary>
    private const string CacheScript = """
        var r = await Cache.GetAsync("bench", "bucket-1", () => Task.FromResult<string?>("config-value"));
        return Exit(200, r.Value);
        """;

    private const string PlainScript = """return Exit(200, "config-value");""";

    public string Name => "cache";

    public async Task<ReportSection> RunAsync(BenchContext context)
    {
        // In process first, while nothing else of the harness runs.
        BenchContext.Log("cache: cost per hit in process");
        var costs = CacheHitCost.Measure();

        var options = context.Options;
        using var nginx = await NginxPeer.StartAsync(context, [], "cache.conf");
        using var gateway = await GatewayInstance.StartAsync(context, new GatewayLaunch("cache"));
        await gateway.PutScriptAsync(CacheHost, "content", CacheScript);
        await gateway.PutScriptAsync(PlainHost, "content", PlainScript);
        foreach (var (url, host) in new[] { (nginx.Url, CacheHost), (nginx.Url, PlainHost), (gateway.ProxyUrl, CacheHost), (gateway.ProxyUrl, PlainHost) })
        {
            var answered = await Sanity.BodyAsync(url, host);
            if (answered != "200 " + Body)
            {
                throw new InvalidOperationException($"cache: {url} (Host {host}) answered \"{answered}\", expected \"200 {Body}\"");
            }
        }

        var targets = new List<LoadTarget>
        {
            new("nginx + Lua, lrucache + shared dict", nginx.Url, CacheHost, nginx.Process.Sample),
            LoadTarget.For("gateway, Cache.GetAsync", gateway, CacheHost),
            new("nginx + Lua, no cache", nginx.Url, PlainHost, nginx.Process.Sample),
            LoadTarget.For("gateway, no cache", gateway, PlainHost),
        };
        var settings = new WrkSettings(options.Threads, options.Connections, TimeSpan.FromSeconds(options.DurationSeconds));
        BenchContext.Log($"cache: {settings.Describe()}, {options.Rounds} rounds");
        var rows = await Comparison.RunAsync(targets, settings, options.Rounds, TimeSpan.FromSeconds(options.WarmupSeconds));

        var caches = JsonNode.Parse(await gateway.Admin.GetStringAsync("caches"))!["bench"]!;
        var nginxLoads = (await Sanity.BodyAsync(nginx.Url + "_loads", CacheHost))["200 ".Length..];
        var loads = $"in this run it ran {caches["misses"]}× in the gateway ({caches["hits"]} hits) and {nginxLoads}× in nginx";
        return Render(rows, costs, settings, options.Rounds, loads);
    }

    private static ReportSection Render(IReadOnlyList<TargetSummary> rows, IReadOnlyList<HitCost> costs, WrkSettings settings, int rounds, string loads)
    {
        var (nginxCache, gatewayCache, nginxPlain, gatewayPlain) = (rows[0], rows[1], rows[2], rows[3]);
        var table = new MarkdownTable("target", "req/s", "× nginx", "p50 ms", "p99 ms", "p99 × nginx", "CPU s / 10k req", "CPU × nginx", "peak RSS", "allocated / req", "errors");
        foreach (var row in rows)
        {
            var peer = row == gatewayPlain || row == nginxPlain ? nginxPlain : nginxCache;
            table.Row(row.Name, $"{row.Rps:F0}", Stats.Ratio(row.Rps, peer.Rps), $"{row.P50Ms:F2}", $"{row.P99Ms:F2}", Stats.Ratio(row.P99Ms, peer.P99Ms),
                $"{row.CpuPer10k:F3}", Stats.Ratio(row.CpuPer10k, peer.CpuPer10k), Stats.Mb(row.PeakRssBytes), Stats.Bytes(row.BytesPerRequest),
                row.Errors.ToString(CultureInfo.InvariantCulture));
        }

        var baseline = costs[0];
        var hits = new MarkdownTable("operation (1 thread, key present)", "ns / call", "× baseline", "allocated / call");
        foreach (var cost in costs)
        {
            hits.Row(cost.Name, $"{cost.Nanoseconds:F1}", Stats.Ratio(cost.Nanoseconds, baseline.Nanoseconds), Stats.Bytes(cost.BytesAllocated));
        }

        var markdown = $"""
            One cache hit per request, answered with a 12-byte body. The gateway runs a content script
            `var r = await Cache.GetAsync("bench", "bucket-1", () => Task.FromResult<string?>("config-value")); return Exit(200, r.Value);`
            (an undeclared cache: 10,000 entries, TTL 300 s). The peer is nginx + lua-nginx-module with content_by_lua doing
            what an OpenResty user does: lua-resty-lrucache in each worker (L1), then a lua_shared_dict (L2), then the loader
            (`Nginx/cache.conf`). The loader runs once: {loads}. Each side also answers the same body without a cache
            (another host), for the cache's share of a request. `{settings.Describe()}`, {rounds} rounds interleaved, medians;
            "× nginx" is against the nginx row of the same kind; CPU is the target's own process tree.

            {table}
            With the cache against without: gateway {Stats.Ratio(gatewayCache.Rps, gatewayPlain.Rps)} the req/s
            (CPU per request {CpuMicroseconds(gatewayCache, gatewayPlain)} µs), nginx + Lua {Stats.Ratio(nginxCache.Rps, nginxPlain.Rps)}
            ({CpuMicroseconds(nginxCache, nginxPlain)} µs).

            The cache's own cost per hit, in the harness's process (the gateway's `CacheSet` / `NamedCache`, string value, the
            key present, the loader not run): 9 batches of 1,000,000 calls after a 1 s warm-up, median, beside a
            `ConcurrentDictionary` lookup of the same key timed the same way:

            {hits}
            """;

        // No target of its own yet (issue 14 asks for the ratio): the lead sets one from an idle-machine run.
        return new ReportSection("Script cache: one hit per request against lrucache + shared dict", markdown, []);
    }

    /// <summary>CPU per request of <paramref name="with"/> minus <paramref name="without"/>, in µs.</summary>
    private static string CpuMicroseconds(TargetSummary with, TargetSummary without) =>
        ((with.CpuPer10k - without.CpuPer10k) / 10_000 * 1e6).ToString("+0.00;-0.00", CultureInfo.InvariantCulture);
}
