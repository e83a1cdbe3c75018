using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Content;

/// <summary>One <c>Http.SendAsync</c> through the try engine: the request, and what its one try brought.</summary>
internal sealed class ContentSend
{
    public ContentSend(ContentSession session, UpstreamRequest request, PeerState? pinned = null)
    {
        Session = session;
        Request = request;
        Pinned = pinned;
    }

    public ContentSession Session { get; }

    public UpstreamRequest Request { get; }

    /// <summary>The peer the script named, when it named one (else the upstream's balancing chooses).</summary>
    public PeerState? Pinned { get; }

    public UpstreamResponse? Response { get; set; }

    public UpstreamUnavailableException? Failure { get; set; }
}
