using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Upstreams;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Content;

/// <summary>
/// One try of a content script's <c>ReadyOkAsync</c>: the peer the engine chose and the bodies the
/// attempt sent, which the call's retry rule asks about (a body past the replay limit makes a failed
/// try final).
/// </summary>
internal sealed class ContentAttempt
{
    public ContentAttempt(UpstreamState upstream, PeerState peer, ContentAttemptBodies bodies)
    {
        Upstream = upstream;
        Peer = peer;
        Bodies = bodies;
    }

    public UpstreamState Upstream { get; }

    public PeerState Peer { get; }

    public ContentAttemptBodies Bodies { get; }
}
