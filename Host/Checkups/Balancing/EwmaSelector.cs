using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups.Balancing;

/// <summary>
/// Latency-aware choice (APISIX's ewma, Envoy/Finagle's peak EWMA): the accepted peer with the
/// lowest cost = latency × (in-flight + 1) / weight, where latency is the peer's peak EWMA decayed
/// towards zero while it is not used (<see cref="PeerLoad"/>). Peers that tie share by smooth
/// weighted round robin.
/// <para>
/// A peer with no sample yet (new, or never chosen) is costed at the best latency known in the
/// level: optimistic enough that it is tried soon, and through the (in-flight + 1) factor it cannot
/// draw every concurrent request before its first answer comes back (a zero start would).
/// When no peer of the level has a sample, all start equal and the cost is in-flight / weight.
/// </para>
/// </summary>
internal static class EwmaSelector
{
    // Floor under a latency, so a zero (no samples at all, or full decay) still weighs in-flight.
    private const double MinLatency = 1e-6;

    public static PeerState? Select(ImmutableArray<PeerState> peers, in PeerFilter filter, double decayUnits)
    {
        var now = filter.Now;
        var neutral = double.MaxValue;
        foreach (var peer in peers)
        {
            if (filter.Accepts(peer) && peer.Load.Decayed(now, decayUnits) is var latency and >= 0 && latency < neutral)
            {
                neutral = latency;
            }
        }

        if (neutral == double.MaxValue)
        {
            neutral = MinLatency;
        }

        PeerState? best = null;
        var bestCost = double.MaxValue;
        foreach (var peer in peers)
        {
            if (filter.Accepts(peer) && Cost(peer, now, decayUnits, neutral) is var cost && (best is null || cost < bestCost))
            {
                best = peer;
                bestCost = cost;
            }
        }

        return best is null
            ? null
            : SmoothWeightedRoundRobin.Select(peers, new Tied(filter, decayUnits, neutral, bestCost));
    }

    private static double Cost(PeerState peer, long now, double decayUnits, double neutral)
    {
        var latency = peer.Load.Decayed(now, decayUnits);
        if (latency < 0)
        {
            latency = neutral;
        }

        return Math.Max(latency, MinLatency) * (peer.InFlight + 1) / peer.Config.Weight;
    }

    /// <summary>Accepted peers whose cost equals the least one (same inputs give the same double).</summary>
    private readonly struct Tied(PeerFilter filter, double decayUnits, double neutral, double cost) : IPeerCandidate
    {
        public bool Accepts(PeerState peer) =>
            filter.Accepts(peer) && Cost(peer, filter.Now, decayUnits, neutral) == cost;
    }
}
