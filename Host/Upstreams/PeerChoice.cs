using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>A chooser's decision for one try.</summary>
internal readonly record struct PeerChoice(PeerChoiceKind Kind, PeerState? Peer = null, IPeerLease? Lease = null, int? ErrorCode = null)
{
    public static PeerChoice Default => new(PeerChoiceKind.Default);

    public static PeerChoice None => new(PeerChoiceKind.None);

    public static PeerChoice Chosen(PeerState peer, IPeerLease lease) => new(PeerChoiceKind.Peer, peer, lease);

    /// <summary>
    /// A peer of the call's upstream whose in-flight slot the chooser took (<see cref="UpstreamState.Acquire"/>):
    /// without a lease the engine answers it as one it selected itself (feedback: passive health,
    /// outliers, latency), so a failed try counts against the peer.
    /// </summary>
    public static PeerChoice Held(PeerState peer) => new(PeerChoiceKind.Peer, peer);

    /// <param name="errorCode">The X-Error-Code answered, if the gateway answered for the chooser.</param>
    public static PeerChoice Answered(int? errorCode) => new(PeerChoiceKind.Answered, ErrorCode: errorCode);
}
