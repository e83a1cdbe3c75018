using System.Buffers;
using System.Globalization;

namespace Slardar.Scriptable.Bench.Targets;

/// <summary>
/// A Kestrel backend for streaming: POST /upload reads and discards the body and answers its
/// length; GET /download?bytes=N streams N bytes; POST /process reads the whole body, then streams
/// as many bytes back (an image processor's shape). It runs in the harness (its CPU is not billed to
/// the gateway) and never holds a body in memory.
/// </summary>
internal sealed class SinkBackend : IAsyncDisposable
{
    private static readonly byte[] Chunk = CreateChunk();
    private readonly WebApplication _app;

    private SinkBackend(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public int Port => new Uri(Url).Port;

    public static async Task<SinkBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        app.MapPost("/upload", async (HttpContext context) =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            long total = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                total += read;
            }

            ArrayPool<byte>.Shared.Return(buffer);
            return Results.Text(total.ToString(CultureInfo.InvariantCulture));
        });
        app.MapGet("/download", (HttpContext context, long bytes) => WriteAsync(context, bytes));
        app.MapPost("/process", async (HttpContext context) =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            long total = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                total += read;
            }

            ArrayPool<byte>.Shared.Return(buffer);
            await WriteAsync(context, total);
        });
        await app.StartAsync();
        var url = app.Urls.First();
        return new SinkBackend(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task WriteAsync(HttpContext context, long bytes)
    {
        context.Response.ContentLength = bytes;
        for (var sent = 0L; sent < bytes; sent += Chunk.Length)
        {
            await context.Response.Body.WriteAsync(Chunk.AsMemory(0, (int)Math.Min(Chunk.Length, bytes - sent)));
        }
    }

    private static byte[] CreateChunk()
    {
        var chunk = new byte[64 * 1024];
        new Random(7).NextBytes(chunk);
        return chunk;
    }
}
