using System.Net.Security;
using System.Net.Sockets;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Streams.Loops;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// A session's side of its upstream call: the session (whose abort shuts down a socket still connecting)
/// and its clock (which bounds each connect try), then the socket of the try that connected, once one
/// did, and its TLS when the upstream has <c>"scheme": "https"</c>.
/// </summary>
internal sealed class StreamUpstreamConnection
{
    public StreamUpstreamConnection(StreamSession session, StreamSessionClock clock)
    {
        Session = session;
        Clock = clock;
    }

    public StreamSession Session { get; }

    public StreamSessionClock Clock { get; }

    public Socket? Socket { get; private set; }

    /// <summary>The TLS session over <see cref="Socket"/> (TLS origination); null for plain TCP.</summary>
    public SslStream? Tls { get; private set; }

    public PeerState? Peer { get; private set; }

    /// <summary>The event loop's side of the session when it connected there; null on the runtime's sockets.</summary>
    public StreamLoopSession? Relay { get; private set; }

    public void Connected(Socket socket, SslStream? tls, PeerState peer, StreamLoopSession? relay = null)
    {
        Socket = socket;
        Tls = tls;
        Peer = peer;
        Relay = relay;
    }
}
