namespace Slardar.Scriptable.Host.Checkups.Balancing;

/// <summary>
/// The peers of one level that a selection may use: usable (not taken out by passive health),
/// not ejected unless the level is in panic, and not already tried by the caller.
/// </summary>
internal readonly struct PeerFilter : IPeerCandidate
{
    private readonly IReadOnlyList<PeerState>? _exclude;
    private readonly long _now;
    private readonly bool _honourEjections;

    public PeerFilter(IReadOnlyList<PeerState>? exclude, long now, bool honourEjections)
    {
        _exclude = exclude;
        _now = now;
        _honourEjections = honourEjections;
    }

    public long Now => _now;

    public bool Accepts(PeerState peer) =>
        peer.IsUsable(_now)
        && !(_honourEjections && peer.IsEjected(_now))
        && !IsExcluded(peer);

    // Compared by health and level as well as by reference: health outlives generations, so a peer
    // tried before a config edit is still recognised after it; the level is part of the key because
    // checkups lets a request try the same host again when a backup level lists it.
    private bool IsExcluded(PeerState peer)
    {
        if (_exclude is null)
        {
            return false;
        }

        for (var i = 0; i < _exclude.Count; i++)
        {
            var tried = _exclude[i];
            if (ReferenceEquals(tried, peer) || (ReferenceEquals(tried.Health, peer.Health) && tried.Level == peer.Level))
            {
                return true;
            }
        }

        return false;
    }
}
