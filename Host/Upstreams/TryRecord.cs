using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>One finished try as the access log lists it (nginx's $upstream_addr, $upstream_status, $upstream_response_time); a struct, kept inline in the call's pooled list.</summary>
/// <param name="Status">The peer's status, or the gateway's (502/504) when the peer gave none.</param>
/// <param name="PeerStatus">The status the peer answered with; 0 when it gave none.</param>
/// <param name="Reason">Why it failed (the transport's words); null when it did not, or failed by status.</param>
internal readonly record struct TryRecord(PeerState Peer, int Status, int PeerStatus, TimeSpan Elapsed, TryFailure Failure, string? Reason)
{
    /// <summary>Whether the try was a failure of the peer (<see cref="TryRules.CountsAgainstPeer"/>).</summary>
    public bool CountedAgainstPeer => TryRules.CountsAgainstPeer(Failure, PeerStatus);

    public string Address => Peer.Address;
}
