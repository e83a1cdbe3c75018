using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups.Balancing;

/// <summary>
/// nginx's least_conn: the accepted peer with the fewest in-flight requests per unit of weight
/// (in-flight / weight, compared by cross-multiplication so there is no rounding). Peers that tie
/// share by smooth weighted round robin, so an idle upstream rotates instead of always using the
/// first peer.
/// </summary>
internal static class LeastConnSelector
{
    public static PeerState? Select(ImmutableArray<PeerState> peers, in PeerFilter filter)
    {
        PeerState? best = null;
        foreach (var peer in peers)
        {
            if (filter.Accepts(peer) && (best is null || Compare(peer, best) < 0))
            {
                best = peer;
            }
        }

        return best is null
            ? null
            : SmoothWeightedRoundRobin.Select(peers, new Tied(filter, best.InFlight, best.Config.Weight));
    }

    // Negative when a carries less load per unit of weight than b.
    private static int Compare(PeerState a, PeerState b) =>
        ((long)a.InFlight * b.Config.Weight).CompareTo((long)b.InFlight * a.Config.Weight);

    /// <summary>Accepted peers whose load per weight equals the least one.</summary>
    private readonly struct Tied(PeerFilter filter, int inFlight, int weight) : IPeerCandidate
    {
        public bool Accepts(PeerState peer) =>
            filter.Accepts(peer) && (long)peer.InFlight * weight == (long)inFlight * peer.Config.Weight;
    }
}
