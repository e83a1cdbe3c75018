using System.Net;
using System.Net.Sockets;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>A loopback port with nothing listening: connecting is refused at once.</summary>
internal static class DeadPeer
{
    public static int ReservePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
