using System.Globalization;
using Slardar.Scriptable.Bench.Infrastructure;
using Slardar.Scriptable.Bench.Report;
using Slardar.Scriptable.Bench.Targets;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// Content scripts: a large pipe (storage → processing → client, the seed's flow) against the same
/// bytes fetched direct, and requests/s of a small two-call chain against nginx + Lua doing the same
/// with subrequests; one run.
/// </summary>
internal sealed class ContentScenario : IScenario
{
    private const string PipeHost = "pipe.local";
    private const string ChainHost = "chain.local";
    private const int PipeRounds = 2;

    private const string PipeScript = """
        var image = await Checkups.ReadyOkAsync("storage", peer => Http.SendAsync(peer, new UpstreamRequest("GET", "/download?" + Request.QueryString)));
        var thumb = await Checkups.ReadyOkAsync("imgprocess", peer => Http.SendAsync(peer, new UpstreamRequest("POST", "/process") { Body = image.Body }));
        return Respond(thumb);
        """;

    private const string ChainScript = """
        using var a = await Http.SendAsync("backends", new UpstreamRequest("GET", "/a"));
        var first = await a.ReadAsStringAsync(4096);
        var b = await Http.SendAsync("backends", new UpstreamRequest("POST", "/b") { Body = first });
        return Respond(b);
        """;

    public string Name => "content";

    public async Task<ReportSection> RunAsync(BenchContext context)
    {
        var (pipeMarkdown, pipeCheck) = await RunPipeAsync(context);
        var chainMarkdown = await RunChainAsync(context);
        return new ReportSection("Content scripts: a pipe and a two-call chain", pipeMarkdown + "\n\n" + chainMarkdown, [pipeCheck]);
    }

    private static async Task<(string Markdown, TargetCheck Check)> RunPipeAsync(BenchContext context)
    {
        var bytes = context.Options.StreamBytes;
        await using var storage = await SinkBackend.StartAsync();
        await using var processing = await SinkBackend.StartAsync();
        using var gateway = await GatewayInstance.StartAsync(context, new GatewayLaunch("content-pipe"));
        await gateway.PutUpstreamAsync("storage", GatewayInstance.UpstreamJson([storage.Port]));
        await gateway.PutUpstreamAsync("imgprocess", GatewayInstance.UpstreamJson([processing.Port]));
        await gateway.PutScriptAsync(PipeHost, "content", PipeScript);
        using var client = new HttpClient(new SocketsHttpHandler()) { Timeout = TimeSpan.FromMinutes(10) };
        await StreamingScenario.DownloadAsync(client, gateway.ProxyUrl, PipeHost, 1 << 20);
        var idle = gateway.Process.Sample();

        var direct = new List<double>();
        var piped = new List<double>();
        for (var round = 0; round < PipeRounds; round++)
        {
            direct.Add(await StreamingScenario.DownloadAsync(client, storage.Url, null, bytes));
            piped.Add(await StreamingScenario.DownloadAsync(client, gateway.ProxyUrl, PipeHost, bytes));
        }

        var peak = gateway.Process.Sample().PeakRssBytes;
        var mb = bytes / 1024.0 / 1024.0;
        var table = new MarkdownTable("transfer", "MB/s (median)", "× direct");
        table.Row($"{mb:F0} MB from storage, direct", $"{Stats.Median(direct):F0}", "1.00×");
        table.Row($"{mb:F0} MB storage → processing → client through a content script", $"{Stats.Median(piped):F0}", Stats.Ratio(Stats.Median(piped), Stats.Median(direct)));
        var markdown = $"""
            The seed's flow: a content script fetches {mb:F0} MB from a storage peer and streams it as the request body to a
            processing peer (which reads it all, then streams as many bytes back), and streams that answer to the client;
            `Checkups.ReadyOkAsync` around each call, so the body sent to processing is also recorded for a retry (1 MB in
            memory, then a temp file up to 128 MB). Against one GET of the same bytes from storage. The data crosses
            loopback four times through the gateway against once direct. Kestrel sinks in the harness; {PipeRounds} rounds,
            medians.

            {table}
            Gateway resident memory: {Stats.Mb(idle.RssBytes)} idle, peak {Stats.Mb(peak)} over all pipes.
            """;
        return (markdown, new TargetCheck($"{mb:F0} MB pipe streams: gateway peak RSS grows ≤ 64 MB over idle", $"+{Stats.Mb(peak - idle.RssBytes)}", peak - idle.RssBytes <= 64L << 20));
    }

    private static async Task<string> RunChainAsync(BenchContext context)
    {
        var options = context.Options;
        using var backends = await Backends.StartAsync(context, 2);
        using var peer = await NginxPeer.StartAsync(context, backends.All, "content.conf");
        using var gateway = await GatewayInstance.StartAsync(context, new GatewayLaunch("content-chain"));
        await gateway.PutUpstreamAsync("backends", GatewayInstance.UpstreamJson(backends.Ports));
        await gateway.PutScriptAsync(ChainHost, "content", ChainScript);
        var expected = await Sanity.BodyAsync(peer.Url, ChainHost);
        var answered = await Sanity.BodyAsync(gateway.ProxyUrl, ChainHost);
        if (answered != expected)
        {
            throw new InvalidOperationException($"content chain: the gateway answered \"{answered}\", the peer \"{expected}\"");
        }

        var targets = new List<LoadTarget>
        {
            new("nginx + Lua, content_by_lua + 2 subrequests", peer.Url, ChainHost, peer.Process.Sample),
            LoadTarget.For("gateway, content script + 2 calls", gateway, ChainHost),
        };
        var settings = new WrkSettings(options.Threads, options.Connections, TimeSpan.FromSeconds(options.DurationSeconds));
        BenchContext.Log($"content chain: {settings.Describe()}, {options.Rounds} rounds");
        var rows = await Comparison.RunAsync(targets, settings, options.Rounds, TimeSpan.FromSeconds(options.WarmupSeconds));
        var nginx = rows[0];
        var table = new MarkdownTable("target", "req/s", "× peer", "p50 ms", "p99 ms", "CPU s / 10k req", "CPU × peer", "peak RSS", "allocated / req", "errors");
        foreach (var row in rows)
        {
            table.Row(row.Name, $"{row.Rps:F0}", Stats.Ratio(row.Rps, nginx.Rps), $"{row.P50Ms:F2}", $"{row.P99Ms:F2}",
                $"{row.CpuPer10k:F3}", Stats.Ratio(row.CpuPer10k, nginx.CpuPer10k), Stats.Mb(row.PeakRssBytes), Stats.Bytes(row.BytesPerRequest), row.Errors.ToString(CultureInfo.InvariantCulture));
        }

        return $"""
            Each request makes two upstream calls: GET /a, then POST its body to /b; the second answer goes to the client.
            The peer is nginx + lua-nginx-module doing it in content_by_lua with `ngx.location.capture` subrequests
            (proxy_pass, keep-alive); the gateway runs the same as a content script with `Http.SendAsync`. Two nginx
            backends; `{settings.Describe()}`, {options.Rounds} rounds interleaved, medians.

            {table}
            """;
    }
}
