namespace Slardar.Scriptable.Host.Checkups.Balancing;

/// <summary>
/// Which peers a selector may pick. Implemented by structs and passed by generic constraint, so
/// the selectors call it without allocating or dispatching through a delegate.
/// </summary>
internal interface IPeerCandidate
{
    bool Accepts(PeerState peer);
}
