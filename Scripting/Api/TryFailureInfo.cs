namespace Slardar.Scriptable.Scripting.Api;

/// <summary>The previous try of the request, as a balancer script sees it.</summary>
/// <param name="Kind">Whether the failure counts against the peer.</param>
/// <param name="Status">The peer's status, or the gateway's (502, 504) when the peer gave none.</param>
/// <param name="Peer">The peer that was tried.</param>
public sealed record TryFailureInfo(FailureKind Kind, int Status, Peer Peer);
