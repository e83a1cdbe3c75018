using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Slardar.Scriptable.Host.Checkups.Heartbeats;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>
/// A peer a preread script chooses (<c>SetCurrentPeer</c>, <c>Checkups</c>): a server of a
/// configured upstream, whose failed connect counts against it there like a balanced one's.
/// </summary>
public sealed class StreamChosenPeerTests
{
    [Fact]
    public async Task SetCurrentPeer_ConnectFailure_CountsAgainstThePeer_NextSessionsBalanceAroundIt()
    {
        await using var live = EchoBackend.Start("live", replyAtEnd: true);
        var dead = DeadPeer.ReservePort();
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "127.0.0.1:{{port}}": { "upstream": "pool", "preread_bytes": 1 } }""",
            TestGateway.Upstream("pool", $"127.0.0.1:{dead}", live.Address));
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", $"if (FirstBytes.StartsWith(\"D\"u8)) SetCurrentPeer(\"127.0.0.1\", {dead});")).Status.ShouldBe(200);
        var endPoint = gateway.Bound($"127.0.0.1:{port}");

        (await AskAsync(endPoint, "D")).ShouldBeEmpty();
        var failed = await log.NextAsync();
        (failed.Status, failed.UpstreamName, failed.UpstreamAddr, failed.Tries).ShouldBe((502, "pool", $"127.0.0.1:{dead}", 1));

        // max_fails 1: the script's failed connect took the peer out, so round robin goes straight to the live one.
        for (var i = 0; i < 4; i++)
        {
            (await AskAsync(endPoint, "x")).ShouldBe("live:1");
            (await log.NextAsync()).UpstreamAddr.ShouldBe(live.Address);
        }

        (await gateway.Admin.GetStringAsync("/metrics")).ShouldContain($"slardar_upstream_tries_total{{outcome=\"error\",peer=\"127.0.0.1:{dead}\",upstream=\"pool\"}} 1");
    }

    [Fact]
    public async Task Checkups_InPreread_SelectsOnlyAUsablePeerOfAnotherUpstream()
    {
        await using var live = EchoBackend.Start("live", replyAtEnd: true);
        await using var other = EchoBackend.Start("other", replyAtEnd: true);
        var dead = $"127.0.0.1:{DeadPeer.ReservePort()}";
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "127.0.0.1:{{port}}": { "upstream": "other", "preread_bytes": 0 } }""",
            [.. TestGateway.Upstream("pool", dead, live.Address), .. TestGateway.Upstream("other", other.Address)]);
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", "SetCurrentPeer(Checkups.SelectPeer(\"pool\"));")).Status.ShouldBe(200);
        await gateway.Services.GetRequiredService<HeartbeatScheduler>().RunRoundAsync();
        var endPoint = gateway.Bound($"127.0.0.1:{port}");

        for (var i = 0; i < 4; i++)
        {
            (await AskAsync(endPoint, "x")).ShouldBe("live:1");
            var entry = await log.NextAsync();
            (entry.Status, entry.UpstreamName, entry.UpstreamAddr).ShouldBe((200, "pool", live.Address));
        }
    }

    [Fact]
    public async Task SetCurrentPeer_PeerNoUpstreamLists_ScriptFailsAndNothingConnects()
    {
        await using var stray = EchoBackend.Start("stray", replyAtEnd: true);
        await using var live = EchoBackend.Start("live", replyAtEnd: true);
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "127.0.0.1:{{port}}": { "upstream": "pool", "preread_bytes": 0 } }""", TestGateway.Upstream("pool", live.Address));
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", $"SetCurrentPeer(\"127.0.0.1\", {stray.Port});")).Status.ShouldBe(200);

        (await AskAsync(gateway.Bound($"127.0.0.1:{port}"), "x")).ShouldBeEmpty();

        (await log.NextAsync()).Status.ShouldBe(500);
        (stray.Connections, live.Connections).ShouldBe((0, 0));
        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, $"/script/stream:{port}/preread");
        script!["counters"]!["errors"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public async Task Checkups_InPreread_IsReadOnly_FeedbackFailsTheScript()
    {
        await using var live = EchoBackend.Start("live", replyAtEnd: true);
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "127.0.0.1:{{port}}": { "upstream": "pool", "preread_bytes": 0 } }""", TestGateway.Upstream("pool", live.Address));
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", $"Checkups.Feedback(\"pool\", new Peer(\"127.0.0.1\", {live.Port}), failed: true);")).Status.ShouldBe(200);

        (await AskAsync(gateway.Bound($"127.0.0.1:{port}"), "x")).ShouldBeEmpty();

        (await log.NextAsync()).Status.ShouldBe(500);
        live.Connections.ShouldBe(0);
    }

    private static async Task<string> AskAsync(IPEndPoint endPoint, string text)
    {
        using var client = await StreamClient.ConnectAsync(endPoint);
        await client.SendAsync(text);
        client.Socket.Shutdown(SocketShutdown.Send);
        return await client.ReceiveToEndAsync();
    }
}
