namespace Slardar.Scriptable.Host.Checkups.Retry;

/// <summary>
/// checkups' retry engine (<c>ready_ok</c>, §2.7) for code that talks to peers itself: pick a peer,
/// run the callback, feed passive health, and move on to another peer until one succeeds or a
/// limit is hit. Differences from checkups, all deliberate:
/// <list type="bullet">
/// <item>a peer that failed in this call is not offered again in this call (per level, as checkups
/// keys it, so a backup level listing the same host still gets its turn);</item>
/// <item>an exception from the callback, or from <c>isSuccess</c>, is a failure like a rejected
/// result, and is returned with the error; cancellation of the caller's token is not a failure,
/// it propagates and the peer is released without a verdict;</item>
/// <item>every try, the last one included, feeds passive health and the peer's latency;</item>
/// <item>"no servers available" never comes with a result (Q-C4), and the timeout error is spelt
/// "try_timeout exceeded" (Q-C9).</item>
/// </list>
/// As in checkups, <c>try_timeout</c> is a budget over the callbacks' summed durations, checked
/// after each failed try; a running callback is not interrupted (it gets the caller's token and
/// keeps its own timeouts).
/// </summary>
internal static class ReadyOk
{
    public const string NoServersAvailable = "no servers available";
    public const string TryTimeoutExceeded = "try_timeout exceeded";
    public const string ResultNotAccepted = "result not accepted";

    public static async Task<ReadyOkResult<T>> RunAsync<T>(
        UpstreamState upstream,
        Func<PeerState, CancellationToken, Task<T>> callback,
        Func<T, bool> isSuccess,
        ReadyOkOptions options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(isSuccess);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);

        var tryLimit = options.Tries ?? upstream.Config.Tries ?? upstream.PeerCount(options.ClusterKeys);
        var budget = options.TryTimeout ?? upstream.Config.TryTimeout ?? TimeSpan.Zero;
        var failed = new List<PeerState>();
        var selection = new PeerSelection(failed, options.HashKey, options.ClusterKeys);
        var spent = TimeSpan.Zero;
        var tries = 0;
        Exception? lastException = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var peer = upstream.SelectPeer(selection);
            if (peer is null)
            {
                return new(ReadyOkStatus.NoServersAvailable, default, null, NoServersAvailable, lastException, tries);
            }

            tries++;
            var started = time.GetTimestamp();
            var ok = false;
            Exception? exception = null;
            T value = default!;
            try
            {
                value = await callback(peer, cancellationToken).ConfigureAwait(false);
                ok = isSuccess(value);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                upstream.Release(peer);
                throw;
            }
#pragma warning disable CA1031 // The callback is foreign code: whatever it throws is that try's failure.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                exception = ex;
            }

            var elapsed = time.GetElapsedTime(started);
            upstream.Feedback(peer, failed: !ok, elapsed: elapsed);
            if (ok)
            {
                return new(ReadyOkStatus.Success, value, peer, null, null, tries);
            }

            failed.Add(peer);
            lastException = exception ?? lastException;
            if (failed.Count >= tryLimit)
            {
                var error = $"{tries} tries failed, last {peer.Address}: {exception?.Message ?? ResultNotAccepted}";
                return new(ReadyOkStatus.TriesExhausted, default, null, error, lastException, tries);
            }

            spent += elapsed;
            if (budget > TimeSpan.Zero && spent >= budget)
            {
                return new(ReadyOkStatus.TryTimeoutExceeded, default, null, TryTimeoutExceeded, lastException, tries);
            }
        }
    }
}
