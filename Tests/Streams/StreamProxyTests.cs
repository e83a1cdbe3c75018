using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>The TCP stream proxy on real loopback sockets: the try engine's connects, the copy both ways, timeouts.</summary>
public sealed class StreamProxyTests
{
    private const string Listener = "127.0.0.1:0";

    [Fact]
    public async Task Session_EchoBackend_BytesComeBackAndOneAccessLogEntry()
    {
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo" } }""", TestGateway.Upstream("echo", backend.Address));
        using var log = new AccessLogProbe(gateway.AccessLog);

        using (var client = await StreamClient.ConnectAsync(gateway.Bound(Listener)))
        {
            await client.SendAsync("hello");
            (await client.ReceiveAsync(5)).ShouldBe("hello");
            client.Socket.Shutdown(SocketShutdown.Send);
            (await client.ReceiveToEndAsync()).ShouldBeEmpty();
        }

        var entry = await log.NextAsync();
        (entry.Method, entry.Host, entry.Status, entry.UpstreamName, entry.UpstreamAddr, entry.Tries).ShouldBe(("TCP", Listener, 200, "echo", backend.Address, 1));
        entry.Stream.ShouldNotBeNull();
        (entry.Stream.BytesUp, entry.Stream.BytesDown, entry.Stream.End).ShouldBe((5L, 5L, "closed"));
    }

    [Fact]
    public async Task Session_FirstPeerRefuses_NextPeerServesIt()
    {
        await using var backend = EchoBackend.Start();
        var dead = $"127.0.0.1:{DeadPeer.ReservePort()}";
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "pool" } }""",
            [.. TestGateway.Upstream("pool", dead, backend.Address), new("Upstreams:pool:try", "2"), new("Upstreams:pool:servers:0:max_fails", "0")]);
        using var log = new AccessLogProbe(gateway.AccessLog);

        // Round robin starts at either peer: two sessions make sure the dead one was tried first once.
        for (var i = 0; i < 2; i++)
        {
            using var client = await StreamClient.ConnectAsync(gateway.Bound(Listener));
            await client.SendAsync("ping");
            (await client.ReceiveAsync(4)).ShouldBe("ping");
        }

        var entries = new[] { await log.NextAsync(), await log.NextAsync() };
        entries.ShouldAllBe(e => e.Status == 200);
        entries.ShouldContain(e => e.Tries == 2 && e.UpstreamAddr == $"{dead}, {backend.Address}" && e.UpstreamStatus == "502, 200");
    }

    [Fact]
    public async Task Session_FirstPeersConnectNeverCompletes_TimesOutAtTheConnectTimeout_BackupServes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var silent = await FullBacklogPeer.StartAsync();
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync("""{ "127.0.0.1:0": { "upstream": "pool" } }""", clock: clock);
        using var log = new AccessLogProbe(gateway.AccessLog);
        var levels = $$"""{"cluster":[{"servers":[{"host":"127.0.0.1","port":{{silent.Port}}}]},{"servers":[{"host":"127.0.0.1","port":{{backend.Address.Split(':')[1]}}}]}],"try":2,"timeout":2}""";
        (await gateway.AdminAsync(HttpMethod.Post, "/upstream/pool", levels)).Status.ShouldBe(200);

        using var client = await StreamClient.ConnectAsync(gateway.Bound(Listener));
        await client.SendAsync("ping");

        // The connect's deadline is armed when the try starts: advance until it has passed and the backup answered.
        var answer = client.ReceiveAsync(4);
        await Poll.UntilAsync(() => { clock.Advance(TimeSpan.FromMilliseconds(500)); return Task.FromResult(answer.IsCompleted); }, done => done, TimeSpan.FromSeconds(10), "the backup's answer");
        (await answer).ShouldBe("ping");
        client.Socket.Shutdown(SocketShutdown.Send);
        (await client.ReceiveToEndAsync()).ShouldBeEmpty();

        var entry = await log.NextAsync();
        (entry.Status, entry.UpstreamAddr, entry.UpstreamStatus).ShouldBe((200, $"{silent.Address}, {backend.Address}", "504, 200"));
    }

    [Fact]
    public async Task Sessions_ManyConnectingToASilentPeer_EachTimesOutOnItsOwnClock_ThenTheListenerServes()
    {
        const int Sessions = 100;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var silent = await FullBacklogPeer.StartAsync();
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync("""{ "127.0.0.1:0": { "upstream": "pool" } }""", clock: clock);
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, "/upstream/pool", $$"""{"servers":[{"host":"127.0.0.1","port":{{silent.Port}},"max_fails":0}],"timeout":2}""")).Status.ShouldBe(200);

        var clients = await Task.WhenAll(Enumerable.Range(0, Sessions).Select(_ => StreamClient.ConnectAsync(gateway.Bound(Listener))));
        var closed = clients.Select(c => c.ReceiveToEndAsync()).ToArray();
        await Poll.UntilAsync(() => { clock.Advance(TimeSpan.FromMilliseconds(500)); return Task.FromResult(closed.All(c => c.IsCompleted)); }, done => done, TimeSpan.FromSeconds(30), "every session's connect timeout");
        foreach (var client in clients)
        {
            client.Dispose();
        }

        var entries = new List<Slardar.Scriptable.Host.Observability.AccessLogEntry>();
        for (var i = 0; i < Sessions; i++)
        {
            entries.Add(await log.NextAsync());
        }

        entries.ShouldAllBe(e => e.Status == 504 && e.UpstreamAddr == silent.Address);
        await Poll.UntilAsync(() => Task.FromResult(gateway.Listeners().Listeners[Listener].Sessions.Count), n => n == 0, TimeSpan.FromSeconds(10), "the sessions to leave the table");

        // The same listener serves as soon as the upstream has a live peer.
        (await gateway.AdminAsync(HttpMethod.Post, "/upstream/pool", $$"""{"servers":[{"host":"127.0.0.1","port":{{backend.Address.Split(':')[1]}}}]}""")).Status.ShouldBe(200);
        using var served = await StreamClient.ConnectAsync(gateway.Bound(Listener));
        await served.SendAsync("ping");
        (await served.ReceiveAsync(4)).ShouldBe("ping");
    }

    [Fact]
    public async Task Session_EveryPeerRefuses_ClientClosedAndLogged502()
    {
        var dead = $"127.0.0.1:{DeadPeer.ReservePort()}";
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "dead" } }""", TestGateway.Upstream("dead", dead));
        using var log = new AccessLogProbe(gateway.AccessLog);

        using var client = await StreamClient.ConnectAsync(gateway.Bound(Listener));
        (await client.ReceiveToEndAsync()).ShouldBeEmpty();

        var entry = await log.NextAsync();
        (entry.Status, entry.UpstreamAddr, entry.Stream!.End).ShouldBe((502, dead, "-"));
    }

    [Fact]
    public async Task Session_UnknownUpstream_ClientClosedAndLogged502()
    {
        await using var gateway = await StreamGatewayFixture.StartAsync("""{ "127.0.0.1:0": { "upstream": "missing" } }""");
        using var log = new AccessLogProbe(gateway.AccessLog);

        using var client = await StreamClient.ConnectAsync(gateway.Bound(Listener));
        (await client.ReceiveToEndAsync()).ShouldBeEmpty();

        (await log.NextAsync()).Status.ShouldBe(502);
    }

    [Fact]
    public async Task HalfClose_ClientStopsSending_PeerAnswerAfterThatStillArrives()
    {
        await using var backend = EchoBackend.Start("b", replyAtEnd: true);
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "b" } }""", TestGateway.Upstream("b", backend.Address));

        using var client = await StreamClient.ConnectAsync(gateway.Bound(Listener));
        await client.SendAsync("hello");
        client.Socket.Shutdown(SocketShutdown.Send);

        (await client.ReceiveToEndAsync()).ShouldBe("b:5");
    }

    [Fact]
    public async Task HalfClose_PeerStopsSending_ClientMaySendOn()
    {
        // The peer greets and closes its half first (as a server that speaks first and then only listens).
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        peer.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        peer.Listen(1);
        var peerAddress = $"127.0.0.1:{((System.Net.IPEndPoint)peer.LocalEndPoint!).Port}";
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "greeter" } }""", TestGateway.Upstream("greeter", peerAddress));

        using var client = await StreamClient.ConnectAsync(gateway.Bound(Listener));
        using var accepted = await peer.AcceptAsync();
        await accepted.SendAsync("hi"u8.ToArray(), SocketFlags.None);
        accepted.Shutdown(SocketShutdown.Send);
        (await client.ReceiveToEndAsync()).ShouldBe("hi");

        await client.SendAsync("after");
        var buffer = new byte[5];
        var filled = 0;
        while (filled < 5)
        {
            filled += await accepted.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
        }

        System.Text.Encoding.ASCII.GetString(buffer).ShouldBe("after");
    }

    [Fact]
    public async Task IdleTimeout_BytesKeepItOpen_SilenceForProxyTimeoutClosesIt()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo", "proxy_timeout": 5 } }""", TestGateway.Upstream("echo", backend.Address), clock);
        using var log = new AccessLogProbe(gateway.AccessLog);

        using var client = await StreamClient.ConnectAsync(gateway.Bound(Listener));
        await client.SendAsync("a");
        (await client.ReceiveAsync(1)).ShouldBe("a");
        clock.Advance(TimeSpan.FromSeconds(4));
        await client.SendAsync("b");
        (await client.ReceiveAsync(1)).ShouldBe("b");
        clock.Advance(TimeSpan.FromSeconds(4));
        await client.SendAsync("c");
        (await client.ReceiveAsync(1)).ShouldBe("c");

        clock.Advance(TimeSpan.FromSeconds(5));
        (await client.ReceiveToEndAsync()).ShouldBeEmpty();
        var entry = await log.NextAsync();
        (entry.Status, entry.Stream!.End, entry.Stream.BytesUp).ShouldBe((200, "idle_timeout", 3L));
    }

    [Fact]
    public async Task IdleTimeout_ClientThatSendsNothing_IsClosed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo", "proxy_timeout": 1 } }""", TestGateway.Upstream("echo", backend.Address), clock);
        using var log = new AccessLogProbe(gateway.AccessLog);

        using var client = await StreamClient.ConnectAsync(gateway.Bound(Listener));
        await Poll.UntilAsync(() => Task.FromResult(backend.Connections), n => n == 1, TimeSpan.FromSeconds(10), "the session's connect");
        await Poll.UntilAsync(() => Task.FromResult(gateway.Listeners().Listeners[Listener].Sessions.All(s => s.PeerAddress is not null)), ok => ok, TimeSpan.FromSeconds(10), "the session to be connected");

        // The session's timer is armed once the connect completed; advance until it has fired.
        var closed = client.ReceiveToEndAsync();
        await Poll.UntilAsync(() => { clock.Advance(TimeSpan.FromSeconds(1)); return Task.FromResult(closed.IsCompleted); }, done => done, TimeSpan.FromSeconds(10), "the idle close");
        (await closed).ShouldBeEmpty();
        (await log.NextAsync()).Stream!.End.ShouldBe("idle_timeout");
    }

    [Fact]
    public async Task MaxSessionTime_BusySessionIsClosedWhenItPasses()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo", "proxy_timeout": 100, "max_session_time": 10 } }""", TestGateway.Upstream("echo", backend.Address), clock);
        using var log = new AccessLogProbe(gateway.AccessLog);

        using var client = await StreamClient.ConnectAsync(gateway.Bound(Listener));
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync("x");
            (await client.ReceiveAsync(1)).ShouldBe("x");
            clock.Advance(TimeSpan.FromSeconds(4));
        }

        (await client.ReceiveToEndAsync()).ShouldBeEmpty();
        (await log.NextAsync()).Stream!.End.ShouldBe("max_session_time");
    }
}
