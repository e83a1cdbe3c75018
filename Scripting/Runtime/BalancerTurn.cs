using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// One call of a balancer script (one try): what the script is told and what it decided. The host
/// reads <see cref="PeerSet"/>, <see cref="Peer"/> and <see cref="MoreTries"/> after the call.
/// </summary>
internal sealed class BalancerTurn
{
    public BalancerTurn(string upstream, IScriptCheckups checkups, int tries, TryFailureInfo? lastFailure)
    {
        ArgumentException.ThrowIfNullOrEmpty(upstream);
        ArgumentNullException.ThrowIfNull(checkups);
        ArgumentOutOfRangeException.ThrowIfNegative(tries);
        Upstream = upstream;
        Checkups = checkups;
        Tries = tries;
        LastFailure = lastFailure;
    }

    public string Upstream { get; }

    public IScriptCheckups Checkups { get; }

    public int Tries { get; }

    public TryFailureInfo? LastFailure { get; }

    /// <summary>Whether the script called SetCurrentPeer; when false the host uses its default choice.</summary>
    public bool PeerSet { get; private set; }

    /// <summary>The peer for this try; null with <see cref="PeerSet"/> means the script found none (502).</summary>
    public Peer? Peer { get; private set; }

    /// <summary>More tries the script allows after this one, or null when it did not say.</summary>
    public int? MoreTries { get; private set; }

    internal void SetPeer(Peer? peer)
    {
        if (peer is not null)
        {
            PeerArguments.Check(peer);
        }

        Peer = peer;
        PeerSet = true;
    }

    internal void SetMoreTries(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        MoreTries = count;
    }
}
