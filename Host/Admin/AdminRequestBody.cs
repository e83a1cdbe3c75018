using System.Buffers;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>Reads an admin request body whole, refusing past a limit (Slardar: client_max_body_size 1m).</summary>
internal static class AdminRequestBody
{
    public const int MaxBytes = 1024 * 1024;

    /// <returns>The body, or null with <paramref name="error"/> set.</returns>
    public static async Task<(byte[]? Body, string? Error)> ReadAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, "body too big: the limit is 1 MB");
        }

        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory, request.HttpContext.RequestAborted);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBytes)
            {
                return (null, "body too big: the limit is 1 MB");
            }
        }

        return buffer.WrittenCount == 0 ? (null, "empty body") : (buffer.WrittenSpan.ToArray(), null);
    }
}
