using System.Net;
using System.Net.Sockets;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Tests.Checkups;

/// <summary>What every connect to a peer dials: literals parsed once, names resolved at the connect.</summary>
public sealed class PeerEndPointTests
{
    [Theory]
    [InlineData("127.0.0.1", AddressFamily.InterNetwork)]
    [InlineData("::1", AddressFamily.InterNetworkV6)]
    [InlineData("[::1]", AddressFamily.InterNetworkV6)]
    public void For_AnIpLiteral_IsThatAddressAndItsSocketHasItsFamily(string host, AddressFamily family)
    {
        var endPoint = PeerEndPoint.For(host, 8080);

        var ip = endPoint.ShouldBeOfType<IPEndPoint>();
        ip.Address.ShouldBe(IPAddress.Parse(host.Trim('[', ']')));
        ip.Port.ShouldBe(8080);
        using var socket = PeerEndPoint.NewSocket(endPoint);
        socket.AddressFamily.ShouldBe(family);
        socket.NoDelay.ShouldBeTrue();
    }

    [Fact]
    public void For_AName_IsResolvedAtEachConnectOnASocketForEitherFamily()
    {
        var endPoint = PeerEndPoint.For("localhost", 6379);

        var dns = endPoint.ShouldBeOfType<DnsEndPoint>();
        dns.Host.ShouldBe("localhost");
        dns.Port.ShouldBe(6379);
        using var socket = PeerEndPoint.NewSocket(endPoint);
        if (Socket.OSSupportsIPv6)
        {
            socket.DualMode.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task NewSocket_AName_ConnectsToAnIpv4Listener()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var endPoint = PeerEndPoint.For("localhost", port);
        using var socket = PeerEndPoint.NewSocket(endPoint);

        await socket.ConnectAsync(endPoint);
        using var accepted = await listener.AcceptSocketAsync();

        socket.Connected.ShouldBeTrue();
    }
}
