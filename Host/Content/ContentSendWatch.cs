using Slardar.Scriptable.Host.Bodies;

namespace Slardar.Scriptable.Host.Content;

/// <summary>
/// The send and read timeouts of one content call until its response headers arrive (nginx's
/// proxy_send_timeout and proxy_read_timeout): a write of the request body that stalls longer than
/// the send timeout, or a wait for the response headers longer than the read timeout (counted from
/// the last byte sent), cancels the call. Ends with the request's waits too.
/// </summary>
internal sealed class ContentSendWatch : IBodyReadObserver, IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly TimeSpan _sendTimeout;
    private readonly TimeSpan _readTimeout;
    private readonly Lock _lock = new();
    private bool _disposed;

    public ContentSendWatch(TimeSpan sendTimeout, TimeSpan readTimeout, CancellationToken waits)
    {
        _sendTimeout = sendTimeout;
        _readTimeout = readTimeout;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(waits);
        Set(readTimeout, sending: false);
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>Which timeout was running when the watch fired: true for the send timeout.</summary>
    public bool WasSending { get; private set; }

    public TimeSpan Timeout => WasSending ? _sendTimeout : _readTimeout;

    void IBodyReadObserver.OnAsked() => Set(System.Threading.Timeout.InfiniteTimeSpan, sending: true);

    void IBodyReadObserver.OnRead(int bytes) => Set(bytes > 0 ? _sendTimeout : _readTimeout, sending: bytes > 0);

    /// <summary>The response headers arrived: the watch has done its job.</summary>
    public void Stop() => Set(System.Threading.Timeout.InfiniteTimeSpan, sending: false);

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _cancellation.Dispose();
        }
    }

    // The request body may still stream after the headers came back (a peer answering early): a
    // disposed watch ignores it.
    private void Set(TimeSpan after, bool sending)
    {
        lock (_lock)
        {
            if (_disposed || _cancellation.IsCancellationRequested)
            {
                return;
            }

            WasSending = sending;
            _cancellation.CancelAfter(after);
        }
    }
}
