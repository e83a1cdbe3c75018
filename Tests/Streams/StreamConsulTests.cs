using System.Net.Sockets;
using Shouldly;
using Slardar.Scriptable.Tests.Consul;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>A stream listener's upstreams and preread script from Consul's KV, changed live.</summary>
public sealed class StreamConsulTests
{
    [Fact]
    public async Task PrereadScriptAndUpstreamsInKv_ServeAndChangeLive()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var a = EchoBackend.Start("a", replyAtEnd: true);
        await using var b = EchoBackend.Start("b", replyAtEnd: true);
        consul.Put(ConsulGateways.UpstreamKey("pool-a"), $$"""{"servers":[{"host":"127.0.0.1","port":{{a.Port}}}]}""");
        consul.Put(ConsulGateways.UpstreamKey("pool-b"), $$"""{"servers":[{"host":"127.0.0.1","port":{{b.Port}}}]}""");
        var port = DeadPeer.ReservePort();
        consul.Put(ConsulGateways.ScriptKey($"stream:{port}", "preread"), "Upstream = \"pool-b\";");
        var folder = Directory.CreateTempSubdirectory("slardar-test-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "scripts.json"), $$"""{ "streams": { "127.0.0.1:{{port}}": { "upstream": "pool-a", "preread_bytes": 0 } } }""");
        await using var gateway = await ConsulGateways.StartAsync(consul, folder);
        var endPoint = gateway.Bound($"127.0.0.1:{port}");

        (await AskAsync(endPoint)).ShouldBe("b:1");

        consul.Put(ConsulGateways.ScriptKey($"stream:{port}", "preread"), "Upstream = \"pool-a\";");
        await Poll.UntilAsync(() => AskAsync(endPoint), answer => answer == "a:1", ConsulGateways.Limit, "the script change in Consul to serve");

        consul.Delete(ConsulGateways.ScriptKey($"stream:{port}", "preread"));
        consul.Put(ConsulGateways.UpstreamKey("pool-a"), $$"""{"servers":[{"host":"127.0.0.1","port":{{b.Port}}}]}""");
        await Poll.UntilAsync(() => AskAsync(endPoint), answer => answer == "b:1", ConsulGateways.Limit, "the listener's own upstream, changed in Consul, to serve");
    }

    private static async Task<string> AskAsync(System.Net.IPEndPoint endPoint)
    {
        using var client = await StreamClient.ConnectAsync(endPoint);
        await client.SendAsync("x");
        client.Socket.Shutdown(SocketShutdown.Send);
        return await client.ReceiveToEndAsync();
    }
}
