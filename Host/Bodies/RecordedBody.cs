namespace Slardar.Scriptable.Host.Bodies;

/// <summary>
/// A body read once from its source (the client's request body, an upstream's response body) and
/// kept while it streams (<see cref="BodyRecording"/>), so any number of readers can read it from its
/// first byte: a retry, a second upstream, the proxy after a script read it. A reader that reaches
/// the end of what is kept pulls the next bytes from the source (one at a time); readers behind it
/// read the copy. Nothing is read from the source before a reader asks: back-pressure holds.
/// <para>
/// Past the replay limit the copy is dropped: the reader at the head streams on, every other reader
/// (and every new one) fails with a clear message, and <see cref="CanReplay"/> is false.
/// </para>
/// </summary>
internal sealed class RecordedBody : IDisposable
{
    private readonly Stream _source;
    private readonly BodyRecording _recording;
    private readonly SemaphoreSlim _pull = new(1, 1);
    private long _consumed;
    private bool _ended;
    private bool _disposed;

    /// <param name="length">The body's declared length (Content-Length), when known.</param>
    public RecordedBody(Stream source, long? length, long memoryLimit, long replayLimit, string tempFolder)
    {
        _source = source;
        Length = length;
        _recording = new BodyRecording(memoryLimit, replayLimit, tempFolder);
    }

    public long? Length { get; }

    /// <summary>Whether a new reader can still read the whole body from its first byte.</summary>
    public bool CanReplay => !_recording.Overflowed;

    /// <summary>Bytes read from the source so far.</summary>
    public long Consumed => Volatile.Read(ref _consumed);

    /// <summary>Bytes kept for replay (memory plus temp file).</summary>
    public long RecordedBytes => _recording.Recorded;

    public bool SpilledToDisk => _recording.SpilledToDisk;

    /// <summary>
    /// A reader from the first byte. <paramref name="keepCopy"/> false (a last reader: the body goes
    /// to the client, or into a string) drops the copy when nothing was read yet, so a body that is
    /// read once costs no recording.
    /// </summary>
    public RecordedBodyReader OpenReader(bool keepCopy = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!keepCopy && Consumed == 0 && _recording.Recorded == 0)
        {
            _recording.GiveUp();
        }

        return new RecordedBodyReader(this);
    }

    /// <summary>Reads at <paramref name="position"/>: the copy when it has those bytes, else the source's next bytes.</summary>
    internal async ValueTask<int> ReadAsync(long position, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (position < _recording.Recorded)
            {
                return await _recording.ReadAtAsync(position, buffer, cancellationToken);
            }

            if (Volatile.Read(ref _ended) && position >= Consumed)
            {
                return 0;
            }

            if (position < Consumed)
            {
                throw new InvalidOperationException("The body was longer than the replay limit (Proxy:Body:ReplayLimitBytes), or was read once without a copy: it cannot be read again.");
            }

            await _pull.WaitAsync(cancellationToken);
            try
            {
                // Another reader may have pulled while this one waited: read the copy then.
                if (position != Consumed || Volatile.Read(ref _ended))
                {
                    continue;
                }

                var read = await _source.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    Volatile.Write(ref _ended, true);
                    return 0;
                }

                await _recording.AppendAsync(buffer[..read], cancellationToken);
                Volatile.Write(ref _consumed, Consumed + read);
                return read;
            }
            finally
            {
                _pull.Release();
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _recording.Dispose();
    }
}
