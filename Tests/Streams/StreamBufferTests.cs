using System.Net.Sockets;
using System.Text.Json.Nodes;
using Shouldly;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>The copy loop's buffers: held while bytes flow, none while a session idles (seen in /status).</summary>
public sealed class StreamBufferTests
{
    private const string Listener = "127.0.0.1:0";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CopyLoop_SessionsThatFellSilent_HoldNoBuffer()
    {
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo" } }""", TestGateway.Upstream("echo", backend.Address));
        var clients = new List<StreamClient>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var client = await StreamClient.ConnectAsync(gateway.Bound(Listener));
                clients.Add(client);
                await client.SendAsync("ping");
                (await client.ReceiveAsync(4)).ShouldBe("ping");
            }

            var sessions = await Poll.UntilAsync(() => SessionsAsync(gateway), s => s.Count == 20 && s.All(b => b == 0), Limit, "20 idle sessions holding no buffer");

            sessions.ShouldAllBe(b => b == 0);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task CopyLoop_ClientThatDoesNotRead_TheStalledDirectionHoldsItsBufferUntilItDrains()
    {
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo" } }""", TestGateway.Upstream("echo", backend.Address));
        using var client = await StreamClient.ConnectAsync(gateway.Bound(Listener));
        var payload = new byte[64 * 1024 * 1024];
        var sending = client.Socket.SendAsync(payload, SocketFlags.None);

        // The echo comes back to a client that does not read: the gateway's send to it waits, holding the buffer.
        await Poll.UntilAsync(() => SessionsAsync(gateway), s => s.Count == 1 && s[0] > 0, Limit, "the stalled session's buffer in /status");
        var buffer = new byte[1024 * 1024];
        var received = 0L;
        while (received < payload.Length)
        {
            var read = await client.Socket.ReceiveAsync(buffer, SocketFlags.None);
            read.ShouldBeGreaterThan(0);
            received += read;
        }

        (await sending).ShouldBe(payload.Length);
        await Poll.UntilAsync(() => SessionsAsync(gateway), s => s.Count == 1 && s[0] == 0, Limit, "the buffer given back once the session fell silent");
    }

    private static async Task<SessionBuffers> SessionsAsync(TestGateway gateway)
    {
        var status = (await gateway.AdminAsync(HttpMethod.Get, "/status")).Json!;
        var listener = status["streams"]![Listener]!.AsObject();
        return new SessionBuffers([.. listener["sessions"]!.AsArray().Select(s => s!["buffer_bytes"]!.GetValue<long>())]);
    }

    /// <summary>Each open session's <c>buffer_bytes</c>, in /status order.</summary>
    private sealed class SessionBuffers(List<long> bytes) : List<long>(bytes)
    {
        public override string ToString() => "[" + string.Join(", ", this) + "]";
    }
}
