using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>The transport of one <see cref="ReadyOk"/> call: each try runs the caller's callback on the peer.</summary>
internal sealed class ReadyOkTries<T> : ITryTransport<ReadyOkTries<T>>
{
    private readonly Func<Peer, CancellationToken, Task<T>> _callback;
    private readonly Func<T, bool> _isSuccess;
    private readonly Func<T, int>? _statusOf;
    private readonly CancellationToken _cancellation;

    /// <param name="statusOf">For results that carry an HTTP status: the status, judged by the call's next_upstream rules (a retry condition is a failed try, held back while another may follow).</param>
    public ReadyOkTries(Func<Peer, CancellationToken, Task<T>> callback, Func<T, bool> isSuccess, CancellationToken cancellation, Func<T, int>? statusOf = null)
    {
        _callback = callback;
        _isSuccess = isSuccess;
        _statusOf = statusOf;
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
            if (_statusOf is not null)
            {
                return Judge(call, value, _statusOf(value));
            }

            if (!_isSuccess(value))
            {
                return new TryResult(TryFailure.Error, Reason: ReadyOk.ResultNotAccepted);
            }
        }
        catch (Exception) when (_cancellation.IsCancellationRequested)
        {
            // The caller's end (its abort, its deadline) ends the call, whatever the callback made of it.
            throw;
        }
#pragma warning disable CA1031 // The callback is foreign code: whatever it throws is that try's failure.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LastException = exception;
            var failure = TryRules.FailureOf(exception);
            return new TryResult(failure, Status: TryRules.GatewayStatusOf(failure), Reason: exception.Message);
        }

        Value = value;
        return new TryResult(TryFailure.None);
    }

    // As the proxy judges a response: a retry condition is held back (and dropped) while another try
    // may follow; else it is the call's answer, recorded against the peer before it is handed back.
    private TryResult Judge(UpstreamCall call, T value, int status)
    {
        if (call.ShouldHoldBack(status))
        {
            (value as IDisposable)?.Dispose();
            return new TryResult(TryFailure.Status, status, status);
        }

        call.ReportFailedStatusEarly(status);
        Value = value;
        return new TryResult(call.IsFailureStatus(status) ? TryFailure.Status : TryFailure.None, status, status);
    }
}
