using System.Net.Sockets;
using Shouldly;
using Microsoft.Extensions.Configuration;
using Slardar.Scriptable.Host.Streams;
using Slardar.Scriptable.Host.Streams.Loops;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams.Loops;

/// <summary>
/// Plain sessions connect and relay on the gateway's own event loops; the runtime's sockets remain
/// the path where the loops are off (<c>Streams:EventLoops</c>), the gateway speaks TLS to the peer,
/// or a peer is a host name. Both paths copy alike.
/// </summary>
public sealed class StreamEventLoopTests
{
    private const string Listener = "127.0.0.1:0";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public void IsSupported_OnThisMachine_TheLoopsServe()
    {
        // The stream figures in docs/BENCHMARKS.md are the loops'; elsewhere sessions use the runtime's sockets.
        StreamEventLoops.IsSupported.ShouldBeTrue();
    }

    [Theory]
    [InlineData("true", "true")]
    [InlineData("false", "true")]
    [InlineData("false", "false")]
    public async Task Session_EachCopyPath_ABulkExchangeAndBothHalfClosesPassThrough(string eventLoops, string inlineCompletions)
    {
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo" } }""",
            [.. TestGateway.Upstream("echo", backend.Address), new("Streams:EventLoops", eventLoops), new("Streams:InlineCompletions", inlineCompletions)]);
        using var log = new AccessLogProbe(gateway.AccessLog);
        var payload = new string('x', 3 * 1024 * 1024 + 17);

        using (var client = await StreamClient.ConnectAsync(gateway.Bound(Listener)))
        {
            var sending = client.SendAsync(payload);
            (await client.ReceiveAsync(payload.Length)).ShouldBe(payload);
            await sending;
            client.Socket.Shutdown(SocketShutdown.Send);
            (await client.ReceiveToEndAsync()).ShouldBeEmpty();
        }

        var entry = await log.NextAsync();
        entry.Status.ShouldBe(200);
        (entry.Stream!.BytesUp, entry.Stream.BytesDown, entry.Stream.End).ShouldBe((payload.Length, payload.Length, "closed"));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task Session_PeerSpeaksFirst_ItsGreetingReachesAClientThatHasSentNothing(string eventLoops)
    {
        // A MySQL or SMTP server greets before the client says a word: its bytes come with the connect.
        await using var backend = EchoBackend.Start(greeting: "220 ready\r\n");
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "greeter" } }""",
            [.. TestGateway.Upstream("greeter", backend.Address), new("Streams:EventLoops", eventLoops)]);

        for (var i = 0; i < 20; i++)
        {
            using var client = await StreamClient.ConnectAsync(gateway.Bound(Listener));
            (await client.ReceiveAsync(11)).ShouldBe("220 ready\r\n");
            await client.SendAsync("QUIT");
            (await client.ReceiveAsync(4)).ShouldBe("QUIT");
        }
    }

    [Fact]
    public async Task Sessions_WavesOfManyAtOnce_EachGetsBackExactlyItsOwnBytes_NoneLeftOpen()
    {
        // 4 waves of 300: more sessions than a loop's first slot table holds, and every slot reused
        // while events of the sessions that had it may still be queued.
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo" } }""", TestGateway.Upstream("echo", backend.Address));
        var endPoint = gateway.Bound(Listener);

        for (var wave = 0; wave < 4; wave++)
        {
            var waveNumber = wave;
            var echoes = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
            {
                using var client = await StreamClient.ConnectAsync(endPoint);
                var own = $"[wave {waveNumber} session {i:D3}]" + new string((char)('a' + (i % 26)), i * 37 % 5000);
                await client.SendAsync(own);
                var echo = await client.ReceiveAsync(own.Length);
                client.Socket.Shutdown(SocketShutdown.Send);
                (await client.ReceiveToEndAsync()).ShouldBeEmpty();
                return (own, echo);
            }));

            echoes.Where(e => e.own != e.echo).Select(e => e.own[..20]).ShouldBeEmpty();
        }

        await Poll.UntilAsync(() => Task.FromResult(gateway.Listeners().Listeners[Listener].ActiveSessions), n => n == 0, Limit, "every session ended");
    }

    [Fact]
    public async Task Session_PeerIsAHostName_RelaysOnTheRuntimesSockets_AndTheIdleTimeoutStillClosesIt()
    {
        // The loops connect to addresses; a host name's connect (a lookup first) is the runtime's, and so
        // is that session's relay, whose sockets an abort then shuts down rather than closes.
        await using var backend = EchoBackend.Start();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "named", "proxy_timeout": 5 } }""",
            TestGateway.Upstream("named", $"localhost:{backend.Port}"), clock);
        using var log = new AccessLogProbe(gateway.AccessLog);
        using var client = await StreamClient.ConnectAsync(gateway.Bound(Listener));
        await client.SendAsync("ping");
        (await client.ReceiveAsync(4)).ShouldBe("ping");

        clock.Advance(TimeSpan.FromSeconds(6));

        (await client.ReceiveToEndAsync()).ShouldBeEmpty();
        var entry = await log.NextAsync();
        (entry.Status, entry.Stream!.End, entry.UpstreamAddr).ShouldBe((200, "idle_timeout", $"localhost:{backend.Port}"));
    }

    [Fact]
    public async Task Session_ClientStopsReadingMidStream_OtherSessionsOnTheLoopsStillAnswer()
    {
        // A stalled reader holds its own bytes (its direction waits for the socket to be writable); it
        // must not hold up the loop every other session shares.
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo" } }""", TestGateway.Upstream("echo", backend.Address));
        var endPoint = gateway.Bound(Listener);
        var stalled = new List<StreamClient>();
        try
        {
            // One stalled session per loop at least (sessions go to the loops in turn).
            for (var i = 0; i < 2 * Environment.ProcessorCount; i++)
            {
                var client = await StreamClient.ConnectAsync(endPoint);
                stalled.Add(client);
                _ = client.Socket.SendAsync(new byte[16 * 1024 * 1024], SocketFlags.None);
            }

            await Poll.UntilAsync(
                () => Task.FromResult(gateway.Listeners().Listeners[Listener].Sessions.Count(s => s.BufferBytes > 0)),
                n => n == stalled.Count, Limit, "every stalled session holding bytes");

            for (var i = 0; i < 20; i++)
            {
                using var client = await StreamClient.ConnectAsync(endPoint);
                await client.SendAsync($"ping {i}");
                (await client.ReceiveAsync(6 + (i >= 10 ? 1 : 0))).ShouldBe($"ping {i}");
            }
        }
        finally
        {
            stalled.ForEach(c => c.Dispose());
        }
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task Session_PrereadLongerThanTheReadBuffer_ReachesThePeerFirstAndWhole_ThenTheRestInOrder(string eventLoops)
    {
        await using var backend = EchoBackend.Start();
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "127.0.0.1:{{port}}": { "upstream": "echo", "preread_bytes": 16384 } }""",
            [.. TestGateway.Upstream("echo", backend.Address), new("Streams:BufferBytes", "1024"), new("Streams:EventLoops", eventLoops)]);
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", "if (FirstBytes.Length != 16384) return Refuse();")).Status.ShouldBe(200);

        // A TLS record header that promises 16 KB: the preread waits for all of preread_bytes (16
        // times the 1 KiB read buffer), and 48 KB more follow at once.
        var payload = new byte[16384 + 48 * 1024];
        new byte[] { 22, 3, 1, 0x3F, 0xFB, 1, 0, 0x3F, 0xF7 }.CopyTo(payload, 0);
        for (var i = 9; i < payload.Length; i++)
        {
            payload[i] = (byte)('a' + (i % 26));
        }

        using var client = await StreamClient.ConnectAsync(gateway.Bound($"127.0.0.1:{port}"));
        var sending = client.Socket.SendAsync(payload, SocketFlags.None);
        var echo = new byte[payload.Length];
        for (var filled = 0; filled < echo.Length;)
        {
            var read = await client.Socket.ReceiveAsync(echo.AsMemory(filled), SocketFlags.None).AsTask().WaitAsync(Limit);
            read.ShouldBeGreaterThan(0, $"closed after {filled} bytes (the preread script refuses one that is not 16384 bytes)");
            filled += read;
        }

        (await sending).ShouldBe(payload.Length);
        echo.AsSpan().SequenceEqual(payload).ShouldBeTrue();
    }

    [Fact]
    public async Task Session_PeerResetsWhileItsBytesWaitForAClientThatDoesNotRead_EndsAtOnceAndGivesTheBufferBack()
    {
        // On the loops only: the runtime sockets' copy loop learns of the reset when its send to the
        // client completes, so there such a session ends at its idle timeout.
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        peer.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        peer.Listen(1);
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "resetter" } }""",
            TestGateway.Upstream("resetter", peer.LocalEndPoint!.ToString()!));
        using var log = new AccessLogProbe(gateway.AccessLog);
        using var client = await StreamClient.ConnectAsync(gateway.Bound(Listener));
        using var accepted = await peer.AcceptAsync();

        // The peer streams at a client that reads nothing, until the gateway holds bytes for it.
        using var streaming = new CancellationTokenSource();
        var chunk = new byte[64 * 1024];
        var sending = Task.Run(async () =>
        {
            while (!streaming.IsCancellationRequested)
            {
                await accepted.SendAsync(chunk, SocketFlags.None, streaming.Token);
            }
        });
        await Poll.UntilAsync(
            () => Task.FromResult(gateway.Listeners().Listeners[Listener].Sessions.Sum(s => s.BufferBytes)),
            n => n > 0, Limit, "the gateway holding the peer's bytes");

        streaming.Cancel();
        await Should.ThrowAsync<OperationCanceledException>(() => sending);
        accepted.LingerState = new LingerOption(true, 0);
        accepted.Close();

        // Not at the idle timeout (600 s): the reset ends it now, with the client still not reading.
        var entry = await log.NextAsync();
        (entry.Status, entry.Stream!.End).ShouldBe((200, "error"));
        gateway.Listeners().Listeners[Listener].ActiveSessions.ShouldBe(0);
    }

    [Fact]
    public void FromConfiguration_EventLoopsNotABoolean_RefusedNamingTheSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Streams:EventLoops", "maybe")]).Build();

        var error = Should.Throw<InvalidOperationException>(() => StreamSettings.FromConfiguration(configuration));

        error.Message.ShouldContain("Streams:EventLoops must be true or false, got \"maybe\"");
    }
}
