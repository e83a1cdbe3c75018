namespace Slardar.Scriptable.Host.Content;

/// <summary>
/// An upstream's response body with nginx's proxy_read_timeout: each read must bring bytes within
/// the timeout, or fails with <see cref="TimeoutException"/>. Ends with the request (its token) too.
/// </summary>
internal sealed class TimeoutReadStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _timer;

    public TimeoutReadStream(Stream inner, TimeSpan timeout, CancellationToken requestAborted)
    {
        _inner = inner;
        _timeout = timeout;
        _timer = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _timer.CancelAfter(_timeout);
        using var caller = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _timer)
            : default;
        try
        {
            return await _inner.ReadAsync(buffer, _timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && _timer.IsCancellationRequested)
        {
            throw new TimeoutException($"The upstream sent no body bytes for {_timeout.TotalSeconds:0.###} s (Proxy:ReadTimeout).");
        }
        finally
        {
            _timer.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous reads are not supported.");

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
            _timer.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
