using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Host.Bodies;

/// <summary>
/// One reader of a <see cref="RecordedBody"/>, as the stream a sender reads (the forwarder, an HTTP
/// content). <see cref="Rewind"/> starts it over for a retry. Reads are asynchronous only (Kestrel
/// forbids synchronous body reads), one at a time.
/// </summary>
internal sealed class RecordedBodyReader : Stream, IReplayableBody
{
    private readonly RecordedBody _body;
    private long _position;
    private int _reading;

    public RecordedBodyReader(RecordedBody body)
    {
        _body = body;
    }

    public RecordedBody Body => _body;

    /// <summary>False once the body outgrew the replay limit: no other pass over it may start.</summary>
    public bool CanReplay => _body.CanReplay;

    /// <summary>Told when a read hands bytes to the sender and when the sender asks for more (the send timeout hangs off it).</summary>
    public IBodyReadObserver? Observer { get; set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _body.Length ?? throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Starts the next pass over the body from its first byte.</summary>
    public void Rewind()
    {
        if (!_body.CanReplay)
        {
            throw new InvalidOperationException("The body outgrew the replay limit and cannot be resent.");
        }

        _position = 0;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // One read at a time: a retry must never overlap with the previous try's copy.
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException("The request body is already being read.");
        }

        Observer?.OnAsked();
        try
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }

            var read = await _body.ReadAsync(_position, buffer, cancellationToken);
            _position += read;
            Observer?.OnRead(read);
            return read;
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Synchronous reads of a body are not supported.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
