using System.Runtime.CompilerServices;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Upstreams;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// balancer_by_lua for the HTTP proxy: one turn of the host's balancer script per try. The script
/// sees the last try's failure, may pick a peer (held until the try ends), pick none, widen the try
/// limit, or answer the request. One per gateway.
/// </summary>
internal sealed class ScriptBalancerChooser : IPeerChooser<ProxyExchange>
{
    private readonly ScriptPhaseRunner _phases;
    private readonly UpstreamRegistry _upstreams;

    public ScriptBalancerChooser(ScriptPhaseRunner phases, UpstreamRegistry upstreams)
    {
        _phases = phases;
        _upstreams = upstreams;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<PeerChoice> ChooseAsync(UpstreamCall call, ProxyExchange exchange)
    {
        var balancer = exchange.Scripts?.Balancer ?? throw new InvalidOperationException("The host has no balancer script.");
        var checkups = new ScriptCheckups(_upstreams, call.TriedPeers);
        var turn = new BalancerTurn(call.Upstream.Name, checkups, call.Attempts, LastFailureOf(call.LastTry));
        ScriptVerdict verdict;
        try
        {
            verdict = await _phases.RunTurnAsync(exchange.Context, balancer, exchange.ScriptContext!, turn);
        }
        catch
        {
            checkups.ReleaseAll();
            throw;
        }

        if (verdict.Answered)
        {
            checkups.ReleaseAll();
            return PeerChoice.Answered(verdict.ErrorCode);
        }

        call.AllowMoreTries(turn.MoreTries ?? 0);
        if (turn.PeerSet && turn.Peer is not null)
        {
            return PeerChoice.Chosen(checkups.Resolve(turn.Peer, call.Upstream), checkups);
        }

        // No peer (an explicit null), or no choice: the default selection serves this turn.
        checkups.ReleaseAll();
        return turn.PeerSet ? PeerChoice.None : PeerChoice.Default;
    }

    /// <summary>What the script's <c>LastFailure</c> says: null on the first try and after a good one.</summary>
    private static TryFailureInfo? LastFailureOf(TryRecord? last) => last is not { } record || record.Failure == TryFailure.None
        ? null
        : new TryFailureInfo(record.CountedAgainstPeer ? FailureKind.Failed : FailureKind.Next, record.Status, new Peer(record.Peer.Host, record.Peer.Port));
}
