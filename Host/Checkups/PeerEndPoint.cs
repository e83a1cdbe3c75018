using System.Net;
using System.Net.Sockets;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// How every connect to a peer (forwarding, stream sessions, health checks) reaches its host:port: an
/// IP literal (IPv6 with or without brackets) is an <see cref="IPEndPoint"/> and its socket has that
/// address family; a name is a <see cref="DnsEndPoint"/>, resolved at each connect, on a dual-mode
/// socket so that either family it resolves to works.
/// </summary>
internal static class PeerEndPoint
{
    public static EndPoint For(string host, int port) =>
        IPAddress.TryParse(host.AsSpan().Trim('[').TrimEnd(']'), out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);

    /// <summary>A TCP socket for <paramref name="endPoint"/>, with Nagle off (the proxy writes whole chunks).</summary>
    public static Socket NewSocket(EndPoint endPoint) => endPoint is IPEndPoint ip
        ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
        : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
}
