namespace Slardar.Scriptable.Scripting.Api;

/// <summary>A body of the script's own making: bytes in memory, replayable any number of times.</summary>
internal sealed class FixedHttpBody : HttpBody
{
    private readonly byte[] _bytes;
    private readonly string? _contentType;

    public FixedHttpBody(byte[] bytes, string? contentType)
    {
        _bytes = bytes;
        _contentType = contentType;
    }

    public override long? Length => _bytes.Length;

    public override string? ContentType => _contentType;

    internal override bool CanReplay => true;

    internal override Stream OpenRead(bool keepCopy) => new MemoryStream(_bytes, writable: false);

    internal override Task<byte[]> ReadAllAsync(int maxBytes) => Task.FromResult(_bytes.Length <= maxBytes ? (byte[])_bytes.Clone() : throw TooLarge(maxBytes));
}
