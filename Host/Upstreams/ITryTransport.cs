using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>
/// Sends one try of a call to one peer: YARP's forwarder, the stream proxy's connect, a script's
/// callback. It reports the outcome as a <see cref="TryResult"/> and throws only when the call must
/// end at once (the engine frees the peer and lets the exception through). While the try runs it may
/// ask the call whether a failed status is to be held back (<see cref="UpstreamCall.ShouldHoldBack"/>)
/// or reported before the response goes out (<see cref="UpstreamCall.ReportFailedStatusEarly"/>).
/// </summary>
/// <typeparam name="TState">The caller's per-call state (for HTTP, the request's exchange).</typeparam>
internal interface ITryTransport<in TState>
{
    ValueTask<TryResult> SendAsync(UpstreamCall call, TState state, PeerState peer);
}
