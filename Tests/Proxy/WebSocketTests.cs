using System.Net.WebSockets;
using System.Text;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Proxy;

public abstract class WebSocketTests : ForwarderTests
{
    protected WebSocketTests(string forwarder)
        : base(forwarder)
    {
    }

    [Fact]
    public async Task Upgrade_WebSocket_PassesThroughBothWays()
    {
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[1024];
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            var echo = Encoding.UTF8.GetBytes("echo:" + Encoding.UTF8.GetString(buffer, 0, received.Count));
            await socket.SendAsync(echo, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }, useWebSockets: true);
        await using var gateway = await StartGatewayAsync(new Dictionary<string, string?>(TestGateway.Upstream("ws.test", backend.Address)));

        using var client = new ClientWebSocket();
        client.Options.SetRequestHeader("Host", "ws.test");
        await client.ConnectAsync(new Uri(gateway.Client.BaseAddress!.ToString().Replace("http", "ws", StringComparison.Ordinal) + "chat"), CancellationToken.None);
        await client.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var buffer = new byte[1024];
        var result = await client.ReceiveAsync(buffer, CancellationToken.None);

        Assert.Equal("echo:hello", Encoding.UTF8.GetString(buffer, 0, result.Count));
        var close = await client.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal("bye", client.CloseStatusDescription);
    }

    public sealed class Fast() : WebSocketTests("fast");

    public sealed class Yarp() : WebSocketTests("yarp");
}
