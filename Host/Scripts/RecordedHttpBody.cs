using System.Buffers;
using Slardar.Scriptable.Host.Bodies;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>A body streamed from the client or an upstream, as scripts see it: a <see cref="RecordedBody"/> read through the request's <see cref="ScriptIoWaits"/>.</summary>
internal sealed class RecordedHttpBody : HttpBody
{
    private readonly RecordedBody _body;
    private readonly ScriptIoWaits _waits;
    private readonly string? _contentType;

    public RecordedHttpBody(RecordedBody body, ScriptIoWaits waits, string? contentType)
    {
        _body = body;
        _waits = waits;
        _contentType = contentType;
    }

    public RecordedBody Recorded => _body;

    public override long? Length => _body.Length;

    public override string? ContentType => _contentType;

    internal override bool CanReplay => _body.CanReplay;

    internal override Stream OpenRead(bool keepCopy) => _body.OpenReader(keepCopy);

    internal override Task<byte[]> ReadAllAsync(int maxBytes) => _waits.RunAsync(async token =>
    {
        var reader = _body.OpenReader(keepCopy: true);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var copy = new MemoryStream();
            int read;
            while ((read = await reader.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
            {
                if (copy.Length + read > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                copy.Write(buffer, 0, read);
            }

            return copy.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    });
}
