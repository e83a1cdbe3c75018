namespace Slardar.Scriptable.Host.Checkups.Outliers;

/// <summary>One ejection made by an evaluation, for the caller to log and count.</summary>
/// <param name="Upstream">The upstream's name.</param>
/// <param name="Peer">The ejected peer (the first entry of its host:port in level order).</param>
/// <param name="Reason">The rule that ejected it (the consecutive rule when both apply).</param>
/// <param name="ErrorRate">Its 5xx rate in the window, 0..1.</param>
/// <param name="Requests">Its requests in the window.</param>
/// <param name="EjectionCount">How many times it has now been ejected (the duration multiplier).</param>
/// <param name="Duration">How long this ejection lasts.</param>
internal sealed record OutlierEjection(
    string Upstream,
    PeerState Peer,
    OutlierEjectionReason Reason,
    double ErrorRate,
    int Requests,
    int EjectionCount,
    TimeSpan Duration);
