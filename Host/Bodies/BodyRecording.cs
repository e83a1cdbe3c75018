using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Slardar.Scriptable.Host.Bodies;

/// <summary>
/// The bytes of a body kept while it streams, so it can be read again: in pooled memory up to a
/// limit, then in a temp file (deleted on close), up to a hard replay limit. Past that limit it lets
/// go of everything and <see cref="Overflowed"/> turns true. One writer (the body's puller) appends;
/// any number of readers read what is recorded, concurrently with the writer.
/// </summary>
internal sealed class BodyRecording : IDisposable
{
    private const int SegmentSize = 16 * 1024;

    private readonly long _memoryLimit;
    private readonly long _replayLimit;
    private readonly string _tempFolder;
    private readonly Lock _lock = new();
    private readonly List<byte[]> _segments = [];
    private SafeFileHandle? _spill;
    private long _recorded;
    private int _readsInFlight;
    private bool _released;

    public BodyRecording(long memoryLimit, long replayLimit, string tempFolder)
    {
        _memoryLimit = Math.Min(memoryLimit, replayLimit);
        _replayLimit = replayLimit;
        _tempFolder = tempFolder;
    }

    /// <summary>Bytes recorded so far (memory plus temp file); readable from 0 to here.</summary>
    public long Recorded => Volatile.Read(ref _recorded);

    /// <summary>True once the body outgrew the replay limit, or recording was given up: nothing is kept any more.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>True when part of the recording lives in a temp file.</summary>
    public bool SpilledToDisk => _spill is not null;

    /// <summary>Stops recording and frees what was kept (a body read once, by a reader that keeps no copy).</summary>
    public void GiveUp()
    {
        lock (_lock)
        {
            Overflowed = true;
            Release();
        }
    }

    /// <summary>Appends the next bytes of the body (one writer at a time). Past the replay limit it gives up instead.</summary>
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (Overflowed)
        {
            return;
        }

        if (_recorded + data.Length > _replayLimit)
        {
            GiveUp();
            return;
        }

        var recorded = _recorded;
        lock (_lock)
        {
            if (Overflowed || _released)
            {
                return;
            }

            while (!data.IsEmpty && recorded < _memoryLimit)
            {
                var offset = (int)(recorded % SegmentSize);
                if (offset == 0)
                {
                    _segments.Add(ArrayPool<byte>.Shared.Rent(SegmentSize));
                }

                var count = (int)Math.Min(Math.Min(data.Length, SegmentSize - offset), _memoryLimit - recorded);
                data.Span[..count].CopyTo(_segments[^1].AsSpan(offset));
                data = data[count..];
                recorded += count;
            }

            Volatile.Write(ref _recorded, recorded);
        }

        if (!data.IsEmpty)
        {
            _spill ??= File.OpenHandle(
                Path.Combine(_tempFolder, $"slardar-body-{Guid.NewGuid():N}.tmp"),
                FileMode.CreateNew,
                FileAccess.ReadWrite,
                FileShare.None,
                FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            await RandomAccess.WriteAsync(_spill, data, recorded - _memoryLimit, cancellationToken);
            Volatile.Write(ref _recorded, recorded + data.Length);
        }
    }

    /// <summary>Reads recorded bytes at <paramref name="position"/> (below <see cref="Recorded"/>).</summary>
    /// <exception cref="InvalidOperationException">The recording was given up meanwhile.</exception>
    public async ValueTask<int> ReadAtAsync(long position, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var available = (int)Math.Min(buffer.Length, Recorded - position);
        SafeFileHandle spill;
        lock (_lock)
        {
            ThrowIfGivenUp();
            if (position < _memoryLimit)
            {
                var offset = (int)(position % SegmentSize);
                var count = (int)Math.Min(Math.Min(available, SegmentSize - offset), _memoryLimit - position);
                _segments[(int)(position / SegmentSize)].AsMemory(offset, count).CopyTo(buffer);
                return count;
            }

            // The file stays open while a read runs: giving up waits for the last one (Dispose below).
            spill = _spill!;
            _readsInFlight++;
        }

        try
        {
            return await RandomAccess.ReadAsync(spill, buffer[..available], position - _memoryLimit, cancellationToken);
        }
        finally
        {
            lock (_lock)
            {
                if (--_readsInFlight == 0 && _released)
                {
                    spill.Dispose();
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            Release();
        }
    }

    private void ThrowIfGivenUp()
    {
        ObjectDisposedException.ThrowIf(_released && !Overflowed, this);
        if (Overflowed)
        {
            throw new InvalidOperationException("The body was longer than the replay limit (Proxy:Body:ReplayLimitBytes), or was read once without a copy: it cannot be read again.");
        }
    }

    // Under _lock.
    private void Release()
    {
        foreach (var segment in _segments)
        {
            ArrayPool<byte>.Shared.Return(segment);
        }

        _segments.Clear();
        _released = true;

        // A read in flight keeps the file open; the last one closes it.
        if (_readsInFlight == 0)
        {
            _spill?.Dispose();
        }
    }
}
