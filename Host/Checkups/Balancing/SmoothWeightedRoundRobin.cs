using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups.Balancing;

/// <summary>
/// nginx's smooth weighted round robin over the accepted peers of one level. Also the tie-breaker of
/// least_conn and ewma, so equally good peers take turns instead of the first one always winning.
/// The weights live on <see cref="PeerState"/> and are touched only under the upstream's lock.
/// </summary>
internal static class SmoothWeightedRoundRobin
{
    public static PeerState? Select<TCandidate>(ImmutableArray<PeerState> peers, in TCandidate candidate)
        where TCandidate : struct, IPeerCandidate
    {
        PeerState? best = null;
        long total = 0;
        foreach (var peer in peers)
        {
            if (!candidate.Accepts(peer))
            {
                continue;
            }

            peer.CurrentWeight += peer.EffectiveWeight;
            total += peer.EffectiveWeight;
            if (peer.EffectiveWeight < peer.Config.Weight)
            {
                peer.EffectiveWeight++;
            }

            if (best is null || peer.CurrentWeight > best.CurrentWeight)
            {
                best = peer;
            }
        }

        if (best is not null)
        {
            best.CurrentWeight -= total;
        }

        return best;
    }
}
