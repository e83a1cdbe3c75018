using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Content;

/// <summary>A content script's pipe streams: storage → processing → client, never whole in the gateway's memory.</summary>
public sealed class ContentStreamingMemoryTests
{
    private const long BodyBytes = 1024L * 1024 * 1024;

    // The issue's bound: a gateway that buffered the pipe would grow by gigabytes.
    private const long AllowedGrowthKilobytes = 64 * 1024;

    [Fact]
    public async Task Pipe_1GB_StorageThroughProcessingToClient_GatewayPeakMemoryStaysBounded()
    {
        await using var storage = await TestBackend.StartAsync(async context =>
        {
            context.Response.ContentLength = context.Request.Path == "/warm" ? 64 * 1024 : BodyBytes;
            await new PatternStream(context.Response.ContentLength.Value).CopyToAsync(context.Response.Body);
        });

        // Processing reads its whole input (streaming, keeping none of it), then streams as many bytes
        // back: an image pipeline answers once it has the image, as httpipe's pipe expects.
        await using var processing = await TestBackend.StartAsync(async context =>
        {
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                total += read;
            }

            context.Response.ContentLength = total;
            await new PatternStream(total).CopyToAsync(context.Response.Body);
        });
        var folder = Directory.CreateTempSubdirectory("slardar-pipe-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "scripts.json"), """{ "hosts": { "img.test": { } } }""");
        await using var gateway = await GatewayProcess.StartAsync(
            "--Upstreams:storage:servers:0:host=127.0.0.1", $"--Upstreams:storage:servers:0:port={storage.Port}",
            "--Upstreams:imgprocess:servers:0:host=127.0.0.1", $"--Upstreams:imgprocess:servers:0:port={processing.Port}",
            $"--Scripts:Manifest={Path.Combine(folder, "scripts.json")}", $"--Scripts:Folder={Path.Combine(folder, "Scripts")}",
            $"--Store:Path={Path.Combine(folder, "slardar.db")}", $"--Proxy:Body:TempFolder={folder}", "--AccessLog:Enabled=false");
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        using (var post = await client.PostAsync(gateway.AdminUrl + "/script/img.test/content", new StringContent("""
            var image = await Checkups.ReadyOkAsync("storage", peer => Http.SendAsync(peer, new UpstreamRequest("GET", Request.Path)));
            var thumb = await Checkups.ReadyOkAsync("imgprocess", peer => Http.SendAsync(peer, new UpstreamRequest("POST", "/process") { Body = image.Body }));
            return Respond(thumb);
            """, Encoding.UTF8)))
        {
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(64 * 1024, await ReadAllAsync(client, gateway, "/warm"));
        }

        gateway.ResetPeakMemory();
        var baseline = gateway.ReadStatusKilobytes("VmRSS");

        Assert.Equal(BodyBytes, await ReadAllAsync(client, gateway, "/big.jpg"));

        var growth = gateway.ReadStatusKilobytes("VmHWM") - baseline;
        Assert.True(growth < AllowedGrowthKilobytes, $"gateway peak RSS grew by {growth} kB while piping {BodyBytes / 1024} kB");
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<long> ReadAllAsync(HttpClient client, GatewayProcess gateway, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, gateway.ProxyUrl + path);
        request.Headers.Host = "img.test";
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }
}
