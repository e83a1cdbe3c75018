using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>Listeners follow scripts.json live; a port that cannot be bound is reported and the rest serve; sessions drain.</summary>
public sealed class StreamListenerLifecycleTests
{
    [Fact]
    public async Task ListenerRemovedLive_SessionInFlightFinishesUntilTheDrainTimeout_NewConnectionsRefused()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var backend = EchoBackend.Start();
        var port = DeadPeer.ReservePort();
        var address = $"127.0.0.1:{port}";
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "{{address}}": { "upstream": "echo" } }""",
            [.. TestGateway.Upstream("echo", backend.Address), new("Streams:DrainTimeoutSeconds", "30")], clock);
        using var log = new AccessLogProbe(gateway.AccessLog);
        var endPoint = gateway.Bound(address);
        using var inFlight = await StreamClient.ConnectAsync(endPoint);
        await inFlight.SendAsync("one");
        (await inFlight.ReceiveAsync(3)).ShouldBe("one");

        await gateway.EditStreamsAsync("{}");

        var refused = await Should.ThrowAsync<SocketException>(() => StreamClient.ConnectAsync(endPoint));
        refused.SocketErrorCode.ShouldBe(SocketError.ConnectionRefused);
        await inFlight.SendAsync("two");
        (await inFlight.ReceiveAsync(3)).ShouldBe("two");
        gateway.Listeners().Draining.Count.ShouldBe(1);

        clock.Advance(TimeSpan.FromSeconds(30));
        (await inFlight.ReceiveToEndAsync()).ShouldBeEmpty();
        var entry = await log.NextAsync();
        (entry.Status, entry.Stream!.End, entry.Stream.BytesUp).ShouldBe((200, "drained", 6L));
        await Poll.UntilAsync(() => Task.FromResult(gateway.Listeners().Draining.Count), n => n == 0, TimeSpan.FromSeconds(10), "the drain to end");
    }

    [Fact]
    public async Task ListenerRemovedLive_SessionStillConnectingToASilentPeer_IsClosedAtTheDrainTimeout_Logged499()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var silent = await FullBacklogPeer.StartAsync();
        var address = $"127.0.0.1:{DeadPeer.ReservePort()}";
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "{{address}}": { "upstream": "silent" } }""", [new("Streams:DrainTimeoutSeconds", "5")], clock);
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, "/upstream/silent", $$"""{"servers":[{"host":"127.0.0.1","port":{{silent.Port}}}],"timeout":600}""")).Status.ShouldBe(200);
        using var client = await StreamClient.ConnectAsync(gateway.Bound(address));
        await client.SendAsync("hello");
        await Poll.UntilAsync(() => Task.FromResult(gateway.Listeners().Listeners[address].Sessions.Count), n => n == 1, TimeSpan.FromSeconds(10), "the session");

        await gateway.EditStreamsAsync("{}");

        // The drain's 5 s pass long before the connect's 600 s: the drain closes the connecting socket.
        var closed = client.ReceiveToEndAsync();
        await Poll.UntilAsync(() => { clock.Advance(TimeSpan.FromSeconds(1)); return Task.FromResult(closed.IsCompleted); }, done => done, TimeSpan.FromSeconds(10), "the drain to close the session");
        (await closed).ShouldBeEmpty();
        var entry = await log.NextAsync();
        (entry.Status, entry.UpstreamAddr, entry.Stream!.End).ShouldBe((499, silent.Address, "-"));
        await Poll.UntilAsync(() => Task.FromResult(gateway.Listeners().Draining.Count), n => n == 0, TimeSpan.FromSeconds(10), "the drain to end");
    }

    [Fact]
    public async Task ListenerAddedAndChangedLive_ServesTheNewUpstream()
    {
        await using var first = EchoBackend.Start("first", replyAtEnd: true);
        await using var second = EchoBackend.Start("second", replyAtEnd: true);
        var address = $"127.0.0.1:{DeadPeer.ReservePort()}";
        await using var gateway = await StreamGatewayFixture.StartAsync(
            "{}", [.. TestGateway.Upstream("first", first.Address), .. TestGateway.Upstream("second", second.Address)]);

        await gateway.EditStreamsAsync($$"""{ "{{address}}": { "upstream": "first" } }""");
        (await RoundTripAsync(gateway.Bound(address))).ShouldBe("first:1");

        await gateway.EditStreamsAsync($$"""{ "{{address}}": { "upstream": "second" } }""");
        (await RoundTripAsync(gateway.Bound(address))).ShouldBe("second:1");
    }

    [Fact]
    public async Task PortAlreadyInUse_ReportedInStatus_OtherListenerServes()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen(1);
        var taken = $"127.0.0.1:{((IPEndPoint)squatter.LocalEndPoint!).Port}";
        var free = $"127.0.0.1:{DeadPeer.ReservePort()}";
        await using var backend = EchoBackend.Start("ok", replyAtEnd: true);
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "{{taken}}": { "upstream": "ok" }, "{{free}}": { "upstream": "ok" } }""", TestGateway.Upstream("ok", backend.Address));

        (await RoundTripAsync(gateway.Bound(free))).ShouldBe("ok:1");
        var (status, json) = await gateway.AdminAsync(HttpMethod.Get, "/status");
        status.ShouldBe(200);
        var streams = json!["streams"]!;
        streams[taken]!["state"]!.GetValue<string>().ShouldBe("failed");
        streams[taken]!["error"]!.GetValue<string>().ShouldContain("AddressAlreadyInUse");
        streams[free]!["state"]!.GetValue<string>().ShouldBe("listening");
        streams[free]!["sessions_total"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public async Task Status_ListsOpenSessionsWithTheirPeerAndBytes()
    {
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo" } }""", TestGateway.Upstream("echo", backend.Address));
        using var client = await StreamClient.ConnectAsync(gateway.Bound("127.0.0.1:0"));
        await client.SendAsync("abcd");
        (await client.ReceiveAsync(4)).ShouldBe("abcd");

        var (_, json) = await gateway.AdminAsync(HttpMethod.Get, "/status");
        var listener = json!["streams"]!["127.0.0.1:0"]!;
        listener["sessions_active"]!.GetValue<int>().ShouldBe(1);
        var session = listener["sessions"]![0]!;
        (session["peer"]!.GetValue<string>(), session["bytes_up"]!.GetValue<long>(), session["bytes_down"]!.GetValue<long>()).ShouldBe((backend.Address, 4L, 4L));
    }

    [Fact]
    public async Task Metrics_CountSessionsBytesAndConnectFailuresPerPeer()
    {
        await using var backend = EchoBackend.Start();
        var dead = $"127.0.0.1:{DeadPeer.ReservePort()}";
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "pool" } }""",
            [.. TestGateway.Upstream("pool", dead, backend.Address), new("Upstreams:pool:try", "2"), new("Upstreams:pool:servers:0:max_fails", "0")]);
        using var log = new AccessLogProbe(gateway.AccessLog);
        for (var i = 0; i < 2; i++)
        {
            using var client = await StreamClient.ConnectAsync(gateway.Bound("127.0.0.1:0"));
            await client.SendAsync("xy");
            (await client.ReceiveAsync(2)).ShouldBe("xy");
        }

        await log.NextAsync();
        await log.NextAsync();
        var metrics = await gateway.Admin.GetStringAsync("/metrics");
        metrics.ShouldContain("slardar_stream_sessions_total{listener=\"127.0.0.1:0\",status=\"200\"} 2");
        metrics.ShouldContain("slardar_stream_bytes_total{direction=\"up\",listener=\"127.0.0.1:0\"} 4");
        metrics.ShouldContain("slardar_stream_bytes_total{direction=\"down\",listener=\"127.0.0.1:0\"} 4");
        metrics.ShouldContain($"slardar_upstream_tries_total{{outcome=\"error\",peer=\"{dead}\",upstream=\"pool\"}} 1");
        metrics.ShouldContain("slardar_stream_sessions_active{listener=\"127.0.0.1:0\"} 0");
    }

    private static async Task<string> RoundTripAsync(IPEndPoint endPoint)
    {
        using var client = await StreamClient.ConnectAsync(endPoint);
        await client.SendAsync("x");
        client.Socket.Shutdown(SocketShutdown.Send);
        return await client.ReceiveToEndAsync();
    }
}
