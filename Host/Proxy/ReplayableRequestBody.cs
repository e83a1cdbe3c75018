using System.Buffers;
using Microsoft.Win32.SafeHandles;

using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// Wraps the client's request body so the forwarder streams it to the peer while every byte read is
/// also recorded: in pooled memory up to a limit, then in a temp file, up to a hard replay limit.
/// After <see cref="Rewind"/> a retry reads the recorded bytes again and then continues with the
/// part of the body the client has not sent yet, so streaming and retrying work at once. Past the
/// replay limit recording stops and <see cref="CanReplay"/> turns false: the body still streams,
/// it just cannot be resent.
/// </summary>
internal sealed class ReplayableRequestBody : Stream, IReplayableBody
{
    private const int SegmentSize = 16 * 1024;

    private readonly Stream _source;
    private readonly long _memoryLimit;
    private readonly long _replayLimit;
    private readonly string _tempFolder;
    private readonly List<byte[]> _segments = [];
    private SafeFileHandle? _spill;
    private long _recorded;
    private long _position;
    private bool _overflowed;
    private int _reading;

    public ReplayableRequestBody(Stream source, long memoryLimit, long replayLimit, string tempFolder)
    {
        _source = source;
        _memoryLimit = Math.Min(memoryLimit, replayLimit);
        _replayLimit = replayLimit;
        _tempFolder = tempFolder;
    }

    /// <summary>False once the body outgrew the replay limit.</summary>
    public bool CanReplay => !_overflowed;

    /// <summary>Whether any byte of the body was handed to a reader (the forwarder) yet.</summary>
    public bool AnyBytesRead => _position > 0 || _recorded > 0;

    /// <summary>Bytes recorded so far (memory plus temp file).</summary>
    public long RecordedBytes => _recorded;

    /// <summary>True when part of the recording lives in a temp file.</summary>
    public bool SpilledToDisk => _spill is not null;

    /// <summary>Called when a read hands bytes to the forwarder and when the forwarder asks for more; the send timeout hangs off this.</summary>
    public SendTimeoutWatch? Watch { get; set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Starts the next pass over the body from its first byte.</summary>
    public void Rewind()
    {
        if (_overflowed)
        {
            throw new InvalidOperationException("The request body outgrew the replay limit and cannot be resent.");
        }

        _position = 0;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnterRead();
        Watch?.Pause();
        try
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }

            int read;
            if (_position < _recorded)
            {
                read = await ReadRecordedAsync(buffer, cancellationToken);
            }
            else
            {
                read = await _source.ReadAsync(buffer, cancellationToken);
                if (read > 0)
                {
                    await RecordAsync(buffer[..read], cancellationToken);
                }
            }

            _position += read;
            if (read > 0)
            {
                Watch?.Arm();
            }
            else
            {
                Watch?.Complete();
            }

            return read;
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Kestrel forbids synchronous body reads by default; the forwarder only reads asynchronously.
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Synchronous reads of the request body are not supported.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Release();
        }

        base.Dispose(disposing);
    }

    private void EnterRead()
    {
        // One reader at a time: a retry must never overlap with the previous try's body copy.
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException("The request body is already being read.");
        }
    }

    private async ValueTask<int> ReadRecordedAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var available = (int)Math.Min(buffer.Length, _recorded - _position);
        if (_position < _memoryLimit)
        {
            var segmentIndex = (int)(_position / SegmentSize);
            var offset = (int)(_position % SegmentSize);
            var count = Math.Min(available, SegmentSize - offset);
            count = (int)Math.Min(count, _memoryLimit - _position);
            _segments[segmentIndex].AsMemory(offset, count).CopyTo(buffer);
            return count;
        }

        return await RandomAccess.ReadAsync(_spill!, buffer[..available], _position - _memoryLimit, cancellationToken);
    }

    private async ValueTask RecordAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        // Bytes are recorded only when first read from the client; replayed bytes are already there.
        if (_overflowed)
        {
            return;
        }

        if (_recorded + data.Length > _replayLimit)
        {
            _overflowed = true;
            Release();
            return;
        }

        while (!data.IsEmpty && _recorded < _memoryLimit)
        {
            var offset = (int)(_recorded % SegmentSize);
            if (offset == 0)
            {
                _segments.Add(ArrayPool<byte>.Shared.Rent(SegmentSize));
            }

            var count = (int)Math.Min(Math.Min(data.Length, SegmentSize - offset), _memoryLimit - _recorded);
            data.Span[..count].CopyTo(_segments[^1].AsSpan(offset));
            data = data[count..];
            _recorded += count;
        }

        if (!data.IsEmpty)
        {
            _spill ??= File.OpenHandle(
                Path.Combine(_tempFolder, $"slardar-body-{Guid.NewGuid():N}.tmp"),
                FileMode.CreateNew,
                FileAccess.ReadWrite,
                FileShare.None,
                FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            await RandomAccess.WriteAsync(_spill, data, _recorded - _memoryLimit, cancellationToken);
            _recorded += data.Length;
        }
    }

    private void Release()
    {
        foreach (var segment in _segments)
        {
            ArrayPool<byte>.Shared.Return(segment);
        }

        _segments.Clear();
        _spill?.Dispose();
        _spill = null;
    }
}
