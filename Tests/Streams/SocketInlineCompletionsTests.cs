using System.Net.Sockets;
using Shouldly;
using Slardar.Scriptable.Host.Streams;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>Plain stream sessions run their socket continuations on the socket event thread, and copy the same either way.</summary>
public sealed class SocketInlineCompletionsTests
{
    private const string Listener = "127.0.0.1:0";

    [Fact]
    public void IsAvailable_OnThisRuntime_TheRuntimesPerSocketSwitchIsFound()
    {
        // The stream figures in docs/BENCHMARKS.md depend on it; a runtime without it proxies on, a hop slower.
        SocketInlineCompletions.IsAvailable.ShouldBeTrue();
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task Session_InlineCompletionsOnOrOff_ABulkExchangeAndBothHalfClosesPassThrough(string inline)
    {
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo" } }""",
            [.. TestGateway.Upstream("echo", backend.Address), new("Streams:InlineCompletions", inline)]);
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
}
