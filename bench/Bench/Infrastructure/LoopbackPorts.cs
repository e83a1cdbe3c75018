using System.Net;
using System.Net.Sockets;

namespace Slardar.Scriptable.Bench.Infrastructure;

/// <summary>Free loopback ports for the nginx processes (which cannot listen on port 0 and report it).</summary>
internal static class LoopbackPorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
