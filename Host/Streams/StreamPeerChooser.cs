using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// The try engine's chooser for a session whose preread script chose its peer (<c>SetCurrentPeer</c>):
/// that peer, once, and no other (as balancer_by_lua's set_current_peer without set_more_tries). The
/// peer is the call's upstream's own entry (the session's upstream is the one that lists it), taken
/// in flight here and handed over without a lease, so the engine records its try as it records a
/// balanced one: a failed connect counts against the peer and the next sessions' balancing avoids it.
/// </summary>
internal sealed class StreamPeerChooser : IPeerChooser<StreamUpstreamConnection>
{
    private readonly PeerState _peer;

    public StreamPeerChooser(PeerState peer) => _peer = peer;

    public ValueTask<PeerChoice> ChooseAsync(UpstreamCall call, StreamUpstreamConnection state)
    {
        if (call.Attempts > 0)
        {
            return ValueTask.FromResult(PeerChoice.None);
        }

        call.Upstream.Acquire(_peer);
        return ValueTask.FromResult(PeerChoice.Held(_peer));
    }
}
