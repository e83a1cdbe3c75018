using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Upstreams;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// The try engine's chooser for a session whose preread script chose its peer (<c>SetCurrentPeer</c>):
/// that peer, once, and no other (as balancer_by_lua's set_current_peer without set_more_tries). The
/// upstream's own entry for that address is used when it has one, so least_conn counts the session.
/// As with balancer scripts, passive health of a peer the script chose is the script's business.
/// </summary>
internal sealed class StreamPeerChooser : IPeerChooser<StreamUpstreamConnection>, IPeerLease
{
    private readonly Peer _peer;

    public StreamPeerChooser(Peer peer) => _peer = peer;

    public ValueTask<PeerChoice> ChooseAsync(UpstreamCall call, StreamUpstreamConnection state)
    {
        if (call.Attempts > 0)
        {
            return ValueTask.FromResult(PeerChoice.None);
        }

        var peer = call.Upstream.FindPeer(_peer.Host, _peer.Port)
            ?? new PeerState(new PeerConfig { Host = _peer.Host, Port = _peer.Port }, level: 0, new PeerHealth());
        return ValueTask.FromResult(PeerChoice.Chosen(peer, this));
    }

    public void Release()
    {
        // Nothing was taken: the peer was not selected through the upstream's balancing.
    }
}
