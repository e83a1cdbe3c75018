using System.Runtime.CompilerServices;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Observability.Metrics;

namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>
/// The one try loop of the gateway (checkups' try loop, nginx's proxy_next_upstream): for one
/// logical call to an upstream it picks a peer (the upstream's balancing, or a chooser such as a
/// balancer script), sends the try through a transport, records it, feeds passive health, outlier
/// detection and metrics, and decides whether another try may start. The HTTP proxy and
/// <c>ready_ok</c> are its callers; YARP's forwarder and script callbacks are transports.
/// </summary>
internal sealed partial class TryEngine
{
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<TryEngine> _logger;
    private readonly RetryPolicy _defaults;

    // Per engine (per gateway), keyed weakly by the live configuration: a replaced upstream's policy goes with it.
    private readonly ConditionalWeakTable<UpstreamConfig, RetryPolicy> _policies = [];
    private readonly ConditionalWeakTable<UpstreamConfig, RetryPolicy>.CreateValueCallback _createPolicy;

    /// <param name="defaults">The gateway's rules where an upstream sets none.</param>
    public TryEngine(RetryPolicy defaults, GatewayMetrics metrics, TimeProvider time, ILogger<TryEngine> logger)
    {
        _defaults = defaults;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _createPolicy = config => RetryPolicy.Create(config, _defaults);
    }

    public TimeProvider Time => _time;

    /// <summary>The gateway's rules where an upstream sets none.</summary>
    public RetryPolicy Defaults => _defaults;

    /// <summary>The retry rules of <paramref name="upstream"/> under this gateway's defaults.</summary>
    public RetryPolicy PolicyFor(UpstreamConfig upstream) => _policies.GetValue(upstream, _createPolicy);

    /// <summary>
    /// Runs the call's tries until one stands or no other may start. Every peer it selects gets
    /// exactly one answer (feedback, a release, or the chooser's lease released). Exceptions from the
    /// transport or the chooser end the call and propagate.
    /// </summary>
    /// <remarks>
    /// The engine, its transports and choosers sit on every request's path and nearly always suspend
    /// (network I/O): their state machines come from a pool instead of one allocation per call.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<UpstreamCallResult> RunAsync<TState>(UpstreamCall call, TState state, ITryTransport<TState> transport, IPeerChooser<TState>? chooser = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(transport);
        call.Begin(chooser is not null);
        var selection = new PeerSelection(call.TriedPeers, call.HashKey, call.ClusterKeys);
        while (true)
        {
            PeerState? peer = null;
            IPeerLease? lease = null;
            if (chooser is not null)
            {
                var choice = await chooser.ChooseAsync(call, state);
                switch (choice.Kind)
                {
                    case PeerChoiceKind.Answered:
                        return new UpstreamCallResult(UpstreamCallEnd.Answered, choice.ErrorCode);
                    case PeerChoiceKind.None:
                        return new UpstreamCallResult(UpstreamCallEnd.NoPeerChosen);
                    case PeerChoiceKind.Peer:
                        peer = choice.Peer;
                        lease = choice.Lease;
                        break;
                }
            }

            peer ??= call.Upstream.SelectPeer(selection);
            if (peer is null)
            {
                return new UpstreamCallResult(UpstreamCallEnd.NoLivePeers);
            }

            call.BeginTry(peer, chosenByChooser: lease is not null);
            var tryStartedAt = _time.GetTimestamp();
            TryResult result;
            try
            {
                result = await transport.SendAsync(call, state, peer);
            }
            catch
            {
                Release(call, peer, lease);
                throw;
            }

            var end = Record(call, peer, lease, result, tryStartedAt);
            if (end is not null)
            {
                return new UpstreamCallResult(end.Value);
            }
        }
    }

    /// <summary>Records a finished try everywhere it counts; returns how the call ends, or null when another try follows.</summary>
    private UpstreamCallEnd? Record(UpstreamCall call, PeerState peer, IPeerLease? lease, in TryResult result, long tryStartedAt)
    {
        var failure = result.Failure;
        var elapsed = _time.GetElapsedTime(tryStartedAt);
        var counts = TryRules.CountsAgainstPeer(failure, result.PeerStatus);
        call.EndTry(new TryRecord(peer, result.Status, result.PeerStatus, elapsed, failure, result.Reason));

        // Latency for metrics and ewma is time to response headers, so a long download is not "slow".
        var latency = result.ResponseHeadersAt != 0 ? _time.GetElapsedTime(tryStartedAt, result.ResponseHeadersAt) : elapsed;
        _metrics.RecordTry(call.Upstream.Name, peer.Address, TryRules.OutcomeOf(failure), latency);
        if (counts)
        {
            Log.TryFailed(_logger, call.Upstream.Name, peer.Address, failure, result.Status, result.Reason);
        }

        if (lease is not null || failure == TryFailure.Client || call.FailureReported)
        {
            // A chooser owns passive health for its peer (it hears of this try as the call's LastTry);
            // a client gone says nothing about the peer; an early report already recorded the failure.
            Release(call, peer, lease);
        }
        else
        {
            // Only a status the peer sent feeds outlier detection; without one, a failed try is "no answer".
            var peerStatus = failure is TryFailure.None or TryFailure.Status or TryFailure.AfterResponseStarted ? result.Status : 0;
            call.Upstream.Feedback(peer, counts, peerStatus, latency);
        }

        if (TryRules.IsFinal(failure, call.HeldBack))
        {
            return UpstreamCallEnd.Completed;
        }

        return call.NextTryBlockedBy(
            TryRules.ConditionOf(failure, result.PeerStatus),
            requestMayHaveReachedPeer: !TryRules.NothingSent(failure),
            result.ResponseStarted);
    }

    private static void Release(UpstreamCall call, PeerState peer, IPeerLease? lease)
    {
        if (lease is null)
        {
            call.Upstream.Release(peer);
        }
        else
        {
            lease.Release();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Try to {Upstream} peer {Peer} failed ({Failure}, status {Status}): {Reason}")]
        public static partial void TryFailed(ILogger logger, string upstream, string peer, TryFailure failure, int status, string? reason);
    }
}
