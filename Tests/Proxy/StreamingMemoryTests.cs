using System.Net;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Proxy;

/// <summary>Bodies stream through the gateway process: its memory does not grow with the body size.</summary>
public abstract class StreamingMemoryTests : ForwarderTests
{
    protected StreamingMemoryTests(string forwarder)
        : base(forwarder)
    {
    }

    private const long BodyBytes = 200L * 1024 * 1024;

    // Far below the body size: a gateway that buffered the body would blow through it.
    private const long AllowedGrowthKilobytes = 64 * 1024;

    [Fact]
    public async Task Upload_200MB_GatewayPeakMemoryStaysBounded()
    {
        long received = 0;
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                received += read;
            }
        });
        var folder = Directory.CreateTempSubdirectory("slardar-mem-").FullName;
        await using var gateway = await GatewayProcess.StartAsync(
            ForwarderArgument, $"--Upstreams:big.test:servers:0:host=127.0.0.1", $"--Upstreams:big.test:servers:0:port={backend.Port}",
            $"--Scripts:Manifest={Path.Combine(folder, "scripts.json")}", $"--Proxy:Body:TempFolder={folder}", "--AccessLog:Enabled=false");
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };

        await WarmUpAsync(client, gateway, "big.test");
        Interlocked.Exchange(ref received, 0);
        gateway.ResetPeakMemory();
        var baseline = gateway.ReadStatusKilobytes("VmRSS");

        var request = new HttpRequestMessage(HttpMethod.Put, gateway.ProxyUrl + "/upload") { Content = new StreamContent(new PatternStream(BodyBytes)) };
        request.Headers.Host = "big.test";
        request.Content.Headers.ContentLength = BodyBytes;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BodyBytes, received);
        var growth = gateway.ReadStatusKilobytes("VmHWM") - baseline;
        Assert.True(growth < AllowedGrowthKilobytes, $"gateway peak RSS grew by {growth} kB while streaming {BodyBytes / 1024} kB");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Download_200MB_GatewayPeakMemoryStaysBounded()
    {
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            context.Response.ContentLength = BodyBytes;
            await new PatternStream(BodyBytes).CopyToAsync(context.Response.Body);
        });
        var folder = Directory.CreateTempSubdirectory("slardar-mem-").FullName;
        await using var gateway = await GatewayProcess.StartAsync(
            ForwarderArgument, $"--Upstreams:big.test:servers:0:host=127.0.0.1", $"--Upstreams:big.test:servers:0:port={backend.Port}",
            $"--Scripts:Manifest={Path.Combine(folder, "scripts.json")}", "--AccessLog:Enabled=false");
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };

        await WarmUpAsync(client, gateway, "big.test", download: false);
        gateway.ResetPeakMemory();
        var baseline = gateway.ReadStatusKilobytes("VmRSS");

        var request = new HttpRequestMessage(HttpMethod.Get, gateway.ProxyUrl + "/download");
        request.Headers.Host = "big.test";
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        Assert.Equal(BodyBytes, total);
        var growth = gateway.ReadStatusKilobytes("VmHWM") - baseline;
        Assert.True(growth < AllowedGrowthKilobytes, $"gateway peak RSS grew by {growth} kB while streaming {BodyBytes / 1024} kB");
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>A few small requests first, so start-up allocations are not counted as streaming cost.</summary>
    private static async Task WarmUpAsync(HttpClient client, GatewayProcess gateway, string host, bool download = true)
    {
        for (var i = 0; i < 20; i++)
        {
            var request = new HttpRequestMessage(download ? HttpMethod.Put : HttpMethod.Head, gateway.ProxyUrl + "/warm");
            request.Headers.Host = host;
            if (download)
            {
                request.Content = new StreamContent(new PatternStream(256 * 1024));
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        }
    }

    public sealed class Fast() : StreamingMemoryTests("fast");

    public sealed class Yarp() : StreamingMemoryTests("yarp");
}
