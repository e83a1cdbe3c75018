using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>The transport of one <see cref="ReadyOk"/> call: each try runs the caller's callback on the peer.</summary>
internal sealed class ReadyOkTries<T> : ITryTransport<ReadyOkTries<T>>
{
    private readonly Func<Peer, CancellationToken, Task<T>> _callback;
    private readonly Func<T, bool> _isSuccess;
    private readonly CancellationToken _cancellation;

    public ReadyOkTries(Func<Peer, CancellationToken, Task<T>> callback, Func<T, bool> isSuccess, CancellationToken cancellation)
    {
        _callback = callback;
        _isSuccess = isSuccess;
        _cancellation = cancellation;
    }

    /// <summary>The accepted result, once a try succeeded.</summary>
    public T? Value { get; private set; }

    /// <summary>The last exception a callback (or the success test) threw in this call, if any.</summary>
    public Exception? LastException { get; private set; }

    public async ValueTask<TryResult> SendAsync(UpstreamCall call, ReadyOkTries<T> state, PeerState peer)
    {
        T value;
        try
        {
            value = await _callback(new Peer(peer.Host, peer.Port), _cancellation).ConfigureAwait(false);
            if (!_isSuccess(value))
            {
                return new TryResult(TryFailure.Error, Reason: ReadyOk.ResultNotAccepted);
            }
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The callback is foreign code: whatever it throws is that try's failure.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LastException = exception;
            return new TryResult(exception is TimeoutException ? TryFailure.Timeout : TryFailure.Error, Reason: exception.Message);
        }

        Value = value;
        return new TryResult(TryFailure.None);
    }
}
