namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>What a transport reports about one try, in the gateway's terms (no transport's own types).</summary>
/// <param name="Failure">How the try ended.</param>
/// <param name="PeerStatus">The status the peer answered with; 0 when it gave none (or the protocol has none).</param>
/// <param name="Status">The status to record for the try: the peer's, or the one the transport answered with (502, 504).</param>
/// <param name="ResponseHeadersAt">Timestamp (the engine's clock) of the peer's first response bytes; 0 when none came.</param>
/// <param name="ResponseStarted">Something of this try's response reached the client: no other try may follow.</param>
/// <param name="Reason">Why the try failed, for the log and the error detail; null when it did not.</param>
internal readonly record struct TryResult(
    TryFailure Failure,
    int PeerStatus = 0,
    int Status = 0,
    long ResponseHeadersAt = 0,
    bool ResponseStarted = false,
    string? Reason = null);
