using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Slardar.Scriptable.Bench.Infrastructure;
using Slardar.Scriptable.Bench.Report;
using Slardar.Scriptable.Bench.Targets;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// A large upload and download through the gateway against the same transfer direct to the backend:
/// throughput, and the gateway's peak resident memory (bodies must stream, never be held).
/// </summary>
internal sealed class StreamingScenario : IScenario
{
    private const string Host = "stream.local";
    private const int Rounds = 2;

    public string Name => "streaming";

    public async Task<ReportSection> RunAsync(BenchContext context)
    {
        var bytes = context.Options.StreamBytes;
        await using var sink = await SinkBackend.StartAsync();
        using var gateway = await GatewayInstance.StartAsync(context, new GatewayLaunch("streaming"));
        await gateway.PutUpstreamAsync(Host, GatewayInstance.UpstreamJson([sink.Port]));
        var idle = gateway.Process.Sample();
        using var client = new HttpClient(new SocketsHttpHandler()) { Timeout = TimeSpan.FromMinutes(10) };

        var results = new Dictionary<string, List<double>>
        {
            ["upload direct"] = [], ["upload via gateway"] = [], ["download direct"] = [], ["download via gateway"] = [],
        };
        for (var round = 0; round < Rounds; round++)
        {
            results["upload direct"].Add(await UploadAsync(client, sink.Url, null, bytes));
            results["upload via gateway"].Add(await UploadAsync(client, gateway.ProxyUrl, Host, bytes));
            results["download direct"].Add(await DownloadAsync(client, sink.Url, null, bytes));
            results["download via gateway"].Add(await DownloadAsync(client, gateway.ProxyUrl, Host, bytes));
        }

        var peak = gateway.Process.Sample().PeakRssBytes;
        var mb = bytes / 1024.0 / 1024.0;
        var table = new MarkdownTable("transfer", "MB/s (median)", "× direct");
        foreach (var direction in new[] { "upload", "download" })
        {
            var direct = Stats.Median(results[direction + " direct"]);
            var via = Stats.Median(results[direction + " via gateway"]);
            table.Row($"{direction} {mb:F0} MB direct", $"{direct:F0}", "1.00×");
            table.Row($"{direction} {mb:F0} MB via gateway", $"{via:F0}", Stats.Ratio(via, direct));
        }

        var markdown = $"""
            One HTTP/1.1 connection, a {mb:F0} MB body generated on the fly (upload) or streamed by the backend
            (download); the backend is a Kestrel sink in the harness. {Rounds} rounds, interleaved, medians. Uploads
            through the gateway are also recorded for replay (1 MB in memory, then a temp file up to
            `Proxy:Body:ReplayLimitBytes`, 128 MB) so a failed try could be resent.

            {table}
            Gateway resident memory: {Stats.Mb(idle.RssBytes)} idle after start, peak {Stats.Mb(peak)} over all transfers
            ({Stats.Ratio(peak, idle.RssBytes)} idle; {Stats.Ratio(peak, bytes)} the size of one body).
            """;
        return new ReportSection($"Streaming: {mb:F0} MB upload and download", markdown,
        [
            new TargetCheck($"{mb:F0} MB bodies stream: gateway peak RSS grows ≤ 64 MB over idle", $"+{Stats.Mb(peak - idle.RssBytes)} ({Stats.Ratio(peak - idle.RssBytes, bytes)} a body)", peak - idle.RssBytes <= 64L << 20),
        ]);
    }

    private static async Task<double> UploadAsync(HttpClient client, string url, string? host, long bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url.TrimEnd('/') + "/upload")
        {
            Content = new StreamContent(new PatternStream(bytes), 64 * 1024),
        };
        request.Content.Headers.ContentLength = bytes;
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request);
        var answered = await response.Content.ReadAsStringAsync();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (!response.IsSuccessStatusCode || answered != bytes.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"upload via {url}: {(int)response.StatusCode}, backend saw {answered} of {bytes} bytes");
        }

        return bytes / 1024.0 / 1024.0 / seconds;
    }

    /// <summary>GET /download?bytes=N through <paramref name="url"/>, read to the end: MB/s.</summary>
    internal static async Task<double> DownloadAsync(HttpClient client, string url, string? host, long bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url.TrimEnd('/') + "/download?bytes=" + bytes.ToString(CultureInfo.InvariantCulture));
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (!response.IsSuccessStatusCode || total != bytes)
        {
            throw new InvalidOperationException($"download via {url}: {(int)response.StatusCode}, got {total} of {bytes} bytes");
        }

        return bytes / 1024.0 / 1024.0 / seconds;
    }
}
