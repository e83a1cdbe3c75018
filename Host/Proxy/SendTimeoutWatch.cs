using Slardar.Scriptable.Host.Bodies;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// nginx's proxy_send_timeout for one try: the forwarder's copy loop reads a chunk of the request
/// body, then writes it to the peer; the time between handing a chunk over and being asked for the
/// next one is the write. A write that stalls longer than the timeout cancels the try.
/// </summary>
internal sealed class SendTimeoutWatch : IBodyReadObserver, IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly TimeSpan _timeout;

    public SendTimeoutWatch(TimeSpan timeout, TimeProvider time)
    {
        _timeout = timeout;
        _cancellation = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    public CancellationToken Token => _cancellation.Token;

    public bool Fired => _cancellation.IsCancellationRequested;

    /// <summary>A chunk was handed to the forwarder: its write to the peer starts now.</summary>
    public void Arm() => _cancellation.CancelAfter(_timeout);

    /// <summary>The forwarder asks for more: the previous write finished.</summary>
    public void Pause() => _cancellation.CancelAfter(Timeout.InfiniteTimeSpan);

    /// <summary>The body is complete; from here the read timeout governs.</summary>
    public void Complete() => Pause();

    void IBodyReadObserver.OnAsked() => Pause();

    void IBodyReadObserver.OnRead(int bytes)
    {
        if (bytes > 0)
        {
            Arm();
        }
        else
        {
            Complete();
        }
    }

    public void Dispose() => _cancellation.Dispose();
}
