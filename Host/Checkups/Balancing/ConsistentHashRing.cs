using System.Collections.Immutable;
using System.Text;

namespace Slardar.Scriptable.Host.Checkups.Balancing;

/// <summary>
/// A consistent-hash ring over the peers of one level, built once per upstream generation.
/// <para>
/// Each peer gets <see cref="PointsPerWeight"/> × weight points, so weights count (checkups gave
/// every peer the same number, Q-C3). 160 is ketama's count: with k points a peer's share of the
/// ring deviates from its weight by about 1/√k, i.e. ±8% at weight 1 and less at higher weights.
/// A point's position depends only on the peer's host:port and the point's number, never on the
/// other peers, so removing a peer moves only the keys it owned and adding one takes keys only
/// for itself. When the total would exceed <see cref="MaxPoints"/> (huge weights), every peer's
/// count is scaled down by the same factor, which keeps the proportions but gives up that
/// minimal-movement guarantee for edits that change the total.
/// </para>
/// <para>
/// Lookup: binary search for the first point at or after the key's hash, wrapping to the first
/// point; if that point's peer may not be used (down, ejected, already tried) the walk goes on
/// clockwise to the next point of a peer that may (checkups' fix for issue #3).
/// </para>
/// </summary>
internal sealed class ConsistentHashRing
{
    public const int PointsPerWeight = 160;

    /// <summary>2^18 points: 2 MiB per level at most, and lookups stay at 18 comparisons.</summary>
    public const int MaxPoints = 1 << 18;

    // Above this many peers the per-lookup "seen" marks go to the heap instead of the stack.
    private const int StackPeers = 256;

    private readonly ImmutableArray<PeerState> _peers;
    private readonly uint[] _positions;
    private readonly int[] _owners;

    public ConsistentHashRing(ImmutableArray<PeerState> peers)
    {
        _peers = peers;
        long wanted = 0;
        foreach (var peer in peers)
        {
            wanted += (long)peer.Config.Weight * PointsPerWeight;
        }

        var scale = wanted > MaxPoints ? (double)MaxPoints / wanted : 1.0;
        var points = new List<(uint Position, int Owner)>((int)Math.Min(wanted, MaxPoints) + peers.Length);
        for (var owner = 0; owner < peers.Length; owner++)
        {
            var count = Math.Max(1, (int)(peers[owner].Config.Weight * (double)PointsPerWeight * scale));
            var address = Encoding.UTF8.GetBytes(peers[owner].Address);
            for (var point = 0; point < count; point++)
            {
                points.Add((KeyHash.Hash(address, (uint)point), owner));
            }
        }

        // Ties (two points at one position) go to the earlier peer, so the ring is deterministic.
        points.Sort();
        _positions = new uint[points.Count];
        _owners = new int[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            (_positions[i], _owners[i]) = points[i];
        }
    }

    /// <summary>Number of points on the ring (for tests and diagnostics).</summary>
    public int PointCount => _positions.Length;

    /// <summary>The points each peer owns, in level order.</summary>
    public int PointsOf(int peerIndex)
    {
        var count = 0;
        foreach (var owner in _owners)
        {
            count += owner == peerIndex ? 1 : 0;
        }

        return count;
    }

    /// <summary>The peer owning <paramref name="keyHash"/>, or the next acceptable one clockwise.</summary>
    public PeerState? Select<TCandidate>(uint keyHash, in TCandidate candidate)
        where TCandidate : struct, IPeerCandidate
    {
        var length = _positions.Length;
        if (length == 0)
        {
            return null;
        }

        var start = LowerBound(keyHash);

        // Marks peers already refused, so the walk stops once every peer was asked rather than
        // going round all the points when nobody is acceptable.
        Span<bool> refused = _peers.Length <= StackPeers ? stackalloc bool[_peers.Length] : new bool[_peers.Length];
        var asked = 0;
        for (var step = 0; step < length; step++)
        {
            var index = start + step;
            if (index >= length)
            {
                index -= length;
            }

            var owner = _owners[index];
            if (refused[owner])
            {
                continue;
            }

            var peer = _peers[owner];
            if (candidate.Accepts(peer))
            {
                return peer;
            }

            refused[owner] = true;
            if (++asked == _peers.Length)
            {
                break;
            }
        }

        return null;
    }

    // Index of the first position >= hash; past the end wraps to the first point.
    private int LowerBound(uint hash)
    {
        int low = 0, high = _positions.Length;
        while (low < high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            if (_positions[mid] < hash)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low == _positions.Length ? 0 : low;
    }
}
