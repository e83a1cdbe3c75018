namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>
/// A resettable timeout for one wait on a peer (a read of the response, a write of the request): armed
/// before the wait, disarmed after it. Kept with the pooled per-try state, so a request does not
/// allocate a token source unless a previous one fired.
/// </summary>
internal sealed class Http1Deadline : IDisposable
{
    private readonly TimeProvider _time;
    private CancellationTokenSource _source;

    public Http1Deadline(TimeProvider time)
    {
        _time = time;
        _source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    public bool Fired => _source.IsCancellationRequested;

    public CancellationToken Token => _source.Token;

    public CancellationToken Start(TimeSpan timeout)
    {
        _source.CancelAfter(timeout);
        return _source.Token;
    }

    public void Stop()
    {
        if (!_source.IsCancellationRequested)
        {
            _source.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Ready for the next try: a fired source cannot be reset and is replaced.</summary>
    public void Reset()
    {
        if (!_source.TryReset())
        {
            _source.Dispose();
            _source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        }
    }

    public void Dispose() => _source.Dispose();
}
