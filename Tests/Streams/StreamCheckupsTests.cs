using System.Net.Sockets;
using Shouldly;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>Stream sessions use the checkups engine like HTTP requests: passive health, hashing, least_conn.</summary>
public sealed class StreamCheckupsTests
{
    [Fact]
    public async Task RefusedConnect_TakesThePeerOut_LaterSessionsGoStraightToTheLiveOne()
    {
        await using var backend = EchoBackend.Start();
        var dead = $"127.0.0.1:{DeadPeer.ReservePort()}";
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "pool" } }""", [.. TestGateway.Upstream("pool", dead, backend.Address), new("Upstreams:pool:try", "2")]);
        using var log = new AccessLogProbe(gateway.AccessLog);

        for (var i = 0; i < 6; i++)
        {
            using var client = await StreamClient.ConnectAsync(gateway.Bound("127.0.0.1:0"));
            await client.SendAsync("p");
            (await client.ReceiveAsync(1)).ShouldBe("p");
        }

        var entries = new List<Slardar.Scriptable.Host.Observability.AccessLogEntry>();
        for (var i = 0; i < 6; i++)
        {
            entries.Add(await log.NextAsync());
        }

        // max_fails 1: the one failed connect takes the dead peer out for fail_timeout.
        entries.Count(e => e.UpstreamAddr.Contains(dead, StringComparison.Ordinal)).ShouldBeLessThanOrEqualTo(1);
        entries.ShouldAllBe(e => e.Status == 200);
    }

    [Fact]
    public async Task IpHash_SessionsOfOneClientAddress_StayOnOnePeer()
    {
        await using var one = EchoBackend.Start("one", replyAtEnd: true);
        await using var two = EchoBackend.Start("two", replyAtEnd: true);
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "sticky" } }""",
            [.. TestGateway.Upstream("sticky", one.Address, two.Address), new("Upstreams:sticky:mode", "ip_hash")]);

        var answers = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            using var client = await StreamClient.ConnectAsync(gateway.Bound("127.0.0.1:0"));
            client.Socket.Shutdown(SocketShutdown.Send);
            answers.Add(await client.ReceiveToEndAsync());
        }

        answers.Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task LeastConn_OpenSessionsCount_NextSessionGoesToTheIdlePeer()
    {
        await using var one = EchoBackend.Start("one");
        await using var two = EchoBackend.Start("two");
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "lc" } }""",
            [.. TestGateway.Upstream("lc", one.Address, two.Address), new("Upstreams:lc:mode", "least_conn")]);
        var endPoint = gateway.Bound("127.0.0.1:0");

        // Two sessions stay open (one on each peer), then one peer's session ends: the next goes there.
        using var first = await StreamClient.ConnectAsync(endPoint);
        await first.SendAsync("1");
        (await first.ReceiveAsync(1)).ShouldBe("1");
        using var second = await StreamClient.ConnectAsync(endPoint);
        await second.SendAsync("2");
        (await second.ReceiveAsync(1)).ShouldBe("2");
        (one.Connections, two.Connections).ShouldBe((1, 1));

        var sessions = gateway.Listeners().Listeners["127.0.0.1:0"].Sessions;
        var firstPeer = sessions.OrderBy(s => s.Id).First().PeerAddress;
        first.Dispose();
        await Poll.UntilAsync(() => Task.FromResult(gateway.Listeners().Listeners["127.0.0.1:0"].ActiveSessions), n => n == 1, TimeSpan.FromSeconds(10), "the first session to end");

        for (var i = 0; i < 3; i++)
        {
            using (var next = await StreamClient.ConnectAsync(endPoint))
            {
                await next.SendAsync("n");
                (await next.ReceiveAsync(1)).ShouldBe("n");
                gateway.Listeners().Listeners["127.0.0.1:0"].Sessions.OrderBy(s => s.Id).Last().PeerAddress.ShouldBe(firstPeer);
            }

            await Poll.UntilAsync(() => Task.FromResult(gateway.Listeners().Listeners["127.0.0.1:0"].ActiveSessions), n => n == 1, TimeSpan.FromSeconds(10), "that session to end");
        }
    }
}
