using System.Net.Sockets;
using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>A session's side of its upstream call: the socket of the try that connected, once one did.</summary>
internal sealed class StreamUpstreamConnection
{
    public Socket? Socket { get; private set; }

    public PeerState? Peer { get; private set; }

    public void Connected(Socket socket, PeerState peer)
    {
        Socket = socket;
        Peer = peer;
    }
}
