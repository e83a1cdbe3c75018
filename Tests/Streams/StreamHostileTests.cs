using System.Net.Sockets;
using Shouldly;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>Clients that misbehave cost their own sessions, never the listener.</summary>
public sealed class StreamHostileTests
{
    [Fact]
    public async Task FloodOfConnections_PastMaxSessionsClosedAt503_ListenerServesAfterwards()
    {
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo", "max_sessions": 5 } }""", TestGateway.Upstream("echo", backend.Address));
        using var log = new AccessLogProbe(gateway.AccessLog);
        var endPoint = gateway.Bound("127.0.0.1:0");

        var held = new List<StreamClient>();
        for (var i = 0; i < 5; i++)
        {
            var client = await StreamClient.ConnectAsync(endPoint);
            await client.SendAsync("h");
            (await client.ReceiveAsync(1)).ShouldBe("h");
            held.Add(client);
        }

        var flood = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using var client = await StreamClient.ConnectAsync(endPoint);
            return await client.ReceiveToEndAsync();
        }));
        flood.ShouldAllBe(answer => answer.Length == 0);
        for (var i = 0; i < 200; i++)
        {
            (await log.NextAsync()).Status.ShouldBe(503);
        }

        held.ForEach(c => c.Dispose());
        await Poll.UntilAsync(() => Task.FromResult(gateway.Listeners().Listeners["127.0.0.1:0"].ActiveSessions), n => n == 0, TimeSpan.FromSeconds(10), "the held sessions to end");
        using var after = await StreamClient.ConnectAsync(endPoint);
        await after.SendAsync("still here");
        (await after.ReceiveAsync(10)).ShouldBe("still here");
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task ManyMisbehavingClientsAtOnce_EachSessionEndsAndIsLoggedOnce_TheListenerServesOn(string eventLoops)
    {
        // Resets, silent closes, floods nobody reads and half-closes that never read the answer, 250 at
        // once, on the event loops and on the runtime's sockets: each costs its own session, and every
        // session is accounted for.
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo" } }""",
            [.. TestGateway.Upstream("echo", backend.Address), new("Streams:EventLoops", eventLoops)]);
        using var log = new AccessLogProbe(gateway.AccessLog);
        var endPoint = gateway.Bound("127.0.0.1:0");
        const int Sessions = 250;

        await Task.WhenAll(Enumerable.Range(0, Sessions).Select(async i =>
        {
            using var client = await StreamClient.ConnectAsync(endPoint);
            switch (i % 5)
            {
                case 0:
                    await client.SendAsync("polite");
                    (await client.ReceiveAsync(6)).ShouldBe("polite");
                    client.Socket.Shutdown(SocketShutdown.Send);
                    (await client.ReceiveToEndAsync()).ShouldBeEmpty();
                    break;
                case 1:
                    await client.SendAsync("reset");
                    client.Socket.LingerState = new LingerOption(true, 0);
                    break;
                case 2:
                    break;
                case 3:
                    // A megabyte that comes back to a client that never reads, then a reset.
                    _ = client.Socket.SendAsync(new byte[1024 * 1024], SocketFlags.None);
                    await Task.Yield();
                    client.Socket.LingerState = new LingerOption(true, 0);
                    break;
                default:
                    await client.SendAsync("half");
                    client.Socket.Shutdown(SocketShutdown.Send);
                    break;
            }
        }));

        var entries = new List<Host.Observability.AccessLogEntry>();
        for (var i = 0; i < Sessions; i++)
        {
            entries.Add(await log.NextAsync());
        }

        entries.ShouldAllBe(e => e.Status == 200 && (e.Stream!.End == "closed" || e.Stream.End == "error"));
        await Poll.UntilAsync(() => Task.FromResult(gateway.Listeners().Listeners["127.0.0.1:0"].ActiveSessions), n => n == 0, TimeSpan.FromSeconds(10), "every session to end");
        using var after = await StreamClient.ConnectAsync(endPoint);
        await after.SendAsync("still here");
        (await after.ReceiveAsync(10)).ShouldBe("still here");
    }

    [Fact]
    public async Task ClientResetsMidSession_OnlyThatSessionEnds()
    {
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo" } }""", TestGateway.Upstream("echo", backend.Address));
        using var log = new AccessLogProbe(gateway.AccessLog);
        var endPoint = gateway.Bound("127.0.0.1:0");
        using var other = await StreamClient.ConnectAsync(endPoint);

        using (var rude = await StreamClient.ConnectAsync(endPoint))
        {
            await rude.SendAsync("bye");
            (await rude.ReceiveAsync(3)).ShouldBe("bye");
            rude.Socket.LingerState = new LingerOption(true, 0);
        }

        (await log.NextAsync()).Status.ShouldBe(200);
        await other.SendAsync("fine");
        (await other.ReceiveAsync(4)).ShouldBe("fine");
    }
}
