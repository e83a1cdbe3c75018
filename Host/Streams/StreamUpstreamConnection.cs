using System.Net.Security;
using System.Net.Sockets;
using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// A session's side of its upstream call: the session (whose abort closes a socket still connecting)
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

    public void Connected(Socket socket, SslStream? tls, PeerState peer)
    {
        Socket = socket;
        Tls = tls;
        Peer = peer;
    }
}
