using System.Buffers;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Content;

/// <summary>Streams an upstream's response (or any body) to the client: <c>Respond(response)</c>.</summary>
internal static class ContentRelay
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Status, end-to-end headers and the body, streamed with back-pressure; the length goes out when known.</summary>
    public static async Task RelayAsync(HttpContext context, UpstreamResponse upstream)
    {
        var response = context.Response;
        response.StatusCode = upstream.Status;
        foreach (var (name, value) in upstream.Headers)
        {
            response.Headers[name] = value;
        }

        if (upstream.Body.Length is { } length && upstream.Status is not (204 or 304))
        {
            response.Headers.ContentLength = length;
        }

        await CopyAsync(upstream.Body, response.Body, context.RequestAborted);
    }

    /// <summary>Copies <paramref name="body"/> from its first byte, without keeping a copy when nothing was kept yet.</summary>
    public static async Task CopyAsync(HttpBody body, Stream destination, CancellationToken cancellationToken)
    {
        var source = body.OpenRead(keepCopy: false);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
