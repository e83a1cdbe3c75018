namespace Slardar.Scriptable.Tests.Support;

/// <summary>
/// A read-only stream over bytes that hands them out in small reads of seeded random sizes, so
/// parsers meet every split. With several segments it plays a peer answering one request at a
/// time: a segment ends in end-of-stream until <see cref="NextSegment"/> (the next request) is called.
/// </summary>
internal sealed class TrickleStream : Stream
{
    private readonly byte[][] _segments;
    private readonly Random _sizes;
    private byte[] _bytes;
    private int _segment;
    private int _position;

    public TrickleStream(byte[] bytes, int seed)
        : this([bytes], seed)
    {
    }

    public TrickleStream(byte[][] segments, int seed)
    {
        _segments = segments;
        _bytes = segments[0];
        _sizes = new Random(seed);
    }

    /// <summary>Largest read handed out (1 = a byte at a time).</summary>
    public int MaxRead { get; init; } = 24;

    /// <summary>The next segment becomes readable; false when there is none.</summary>
    public bool NextSegment()
    {
        if (_segment + 1 >= _segments.Length)
        {
            return false;
        }

        _segment++;
        _bytes = [.. _bytes.AsSpan(_position), .. _segments[_segment]];
        _position = 0;
        return true;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _bytes.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var size = Math.Min(Math.Min(buffer.Length, _bytes.Length - _position), _sizes.Next(1, MaxRead + 1));
        _bytes.AsSpan(_position, size).CopyTo(buffer);
        _position += size;
        return size;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
