using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>
/// checkups' <c>ready_ok</c> (§2.7) for code that talks to peers itself: a caller of the
/// <see cref="TryEngine"/> whose transport is the caller's callback, so it follows the proxy's
/// rules exactly:
/// <list type="bullet">
/// <item>tries: the <c>try</c> of the options, else of the upstream, else the gateway's
/// <c>Proxy:Tries</c> (checkups defaulted to the number of peers);</item>
/// <item><c>try_timeout</c>: wall time since the call began, checked before each further try; a
/// running callback is not interrupted (it gets the caller's token and keeps its own timeouts)
/// (checkups summed the callbacks' durations);</item>
/// <item>a rejected result or an exception is a failed try of kind error (a
/// <see cref="TimeoutException"/> of kind timeout): it counts against the peer and moves on when
/// the upstream's next_upstream allows that kind (the default does);</item>
/// <item>a peer tried in this call is not offered again in this call (per level, so a backup level
/// listing the same host still gets its turn); every try feeds passive health and the latency;</item>
/// <item>cancellation of the caller's token is not a failure: it propagates and the peer is
/// released without a verdict;</item>
/// <item>"no servers available" never comes with a result (Q-C4), and the timeout error is spelt
/// "try_timeout exceeded" (Q-C9).</item>
/// </list>
/// The callback sees the peer as a <see cref="Peer"/> (host, port), never the engine's live state.
/// </summary>
internal sealed class ReadyOk
{
    public const string NoServersAvailable = "no servers available";
    public const string TryTimeoutExceeded = "try_timeout exceeded";
    public const string ResultNotAccepted = "result not accepted";

    private readonly UpstreamRegistry _upstreams;
    private readonly TryEngine _engine;

    public ReadyOk(UpstreamRegistry upstreams, TryEngine engine)
    {
        _upstreams = upstreams;
        _engine = engine;
    }

    /// <summary>
    /// Runs <paramref name="callback"/> on peers of <paramref name="upstream"/> until
    /// <paramref name="isSuccess"/> accepts a result or no other try may start. An unknown upstream
    /// is a result, not an exception.
    /// </summary>
    public Task<ReadyOkResult<T>> RunAsync<T>(
        string upstream,
        Func<Peer, CancellationToken, Task<T>> callback,
        Func<T, bool> isSuccess,
        ReadyOkOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(isSuccess);
        return RunCoreAsync(upstream, callback, isSuccess, null, options, cancellationToken);
    }

    /// <summary>
    /// As <see cref="RunAsync{T}"/> for results that carry an HTTP status (<paramref name="statusOf"/>),
    /// judged as the proxy judges a response: a status that is a retry condition of the upstream's
    /// next_upstream is a failed try, dropped (disposed) while another try may follow, and otherwise
    /// the call's result (<see cref="ReadyOkStatus.FailedStatus"/>).
    /// </summary>
    public Task<ReadyOkResult<T>> RunWithStatusAsync<T>(
        string upstream,
        Func<Peer, CancellationToken, Task<T>> callback,
        Func<T, int> statusOf,
        ReadyOkOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statusOf);
        return RunCoreAsync(upstream, callback, static _ => true, statusOf, options, cancellationToken);
    }

    private async Task<ReadyOkResult<T>> RunCoreAsync<T>(
        string upstream,
        Func<Peer, CancellationToken, Task<T>> callback,
        Func<T, bool> isSuccess,
        Func<T, int>? statusOf,
        ReadyOkOptions? options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(callback);
        if (!_upstreams.TryGet(upstream, out var state))
        {
            return new ReadyOkResult<T>(ReadyOkStatus.UpstreamNotFound, default, null, $"upstream {upstream} not found", null, 0);
        }

        options ??= ReadyOkOptions.Default;
        cancellationToken.ThrowIfCancellationRequested();
        var policy = _engine.PolicyFor(state.Config);
        policy = policy with { Tries = options.Tries ?? policy.Tries, Budget = options.TryTimeout ?? policy.Budget };
        var call = new UpstreamCall(state, policy, _engine.Time, _engine.Time.GetTimestamp())
        {
            HashKey = options.HashKey,
            ClusterKeys = options.ClusterKeys,
            Aborted = cancellationToken,
            Body = options.Body,
        };
        var tries = new ReadyOkTries<T>(callback, isSuccess, cancellationToken, statusOf);
        var result = await _engine.RunAsync(call, tries, tries);
        var last = call.LastTry;
        options.OnEnd?.Invoke(call);
        return result.End switch
        {
            UpstreamCallEnd.Completed when last is { Failure: TryFailure.None } record =>
                new ReadyOkResult<T>(ReadyOkStatus.Success, tries.Value, new Peer(record.Peer.Host, record.Peer.Port), null, null, call.Attempts),
            UpstreamCallEnd.Completed when last is { Failure: TryFailure.Status } record && tries.Value is not null =>
                new ReadyOkResult<T>(ReadyOkStatus.FailedStatus, tries.Value, new Peer(record.Peer.Host, record.Peer.Port), $"status {record.Status}", null, call.Attempts),
            UpstreamCallEnd.NoLivePeers =>
                new ReadyOkResult<T>(ReadyOkStatus.NoServersAvailable, default, null, NoServersAvailable, tries.LastException, call.Attempts),
            UpstreamCallEnd.TimeBudgetUsedUp =>
                new ReadyOkResult<T>(ReadyOkStatus.TryTimeoutExceeded, default, null, TryTimeoutExceeded, tries.LastException, call.Attempts),
            _ => new ReadyOkResult<T>(
                ReadyOkStatus.TriesExhausted,
                default,
                null,
                $"{call.Attempts} tries failed, last {last?.Address}: {last?.Reason ?? ResultNotAccepted}",
                tries.LastException,
                call.Attempts),
        };
    }
}
