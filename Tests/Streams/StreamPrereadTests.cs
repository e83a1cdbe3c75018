using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>
/// A stream listener's preread script (<c>stream:&lt;port&gt;/preread</c>): compiled, versioned and
/// hot-swapped like HTTP scripts; it routes by SNI, by first bytes, to a peer of its choice, or refuses.
/// </summary>
public sealed class StreamPrereadTests
{
    [Fact]
    public async Task SniRouter_RealTlsHandshakes_ReachTheBackendOfTheirServerName()
    {
        await using var a = TlsNameBackend.Start("a.test");
        await using var b = TlsNameBackend.Start("b.test");
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "127.0.0.1:{{port}}": { "upstream": "tls-a" } }""",
            [.. TestGateway.Upstream("tls-a", a.Address), .. TestGateway.Upstream("tls-b", b.Address)]);
        using var log = new AccessLogProbe(gateway.AccessLog);
        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", """
            Upstream = Sni switch
            {
                "b.test" => "tls-b",
                _ => "tls-a",
            };
            """);
        status.ShouldBe(200, json?.ToJsonString());
        var endPoint = gateway.Bound($"127.0.0.1:{port}");

        (await TlsNameBackend.AskAsync(endPoint, "b.test")).ShouldBe("b.test");
        (await TlsNameBackend.AskAsync(endPoint, "a.test")).ShouldBe("a.test");
        (await TlsNameBackend.AskAsync(endPoint, "b.test")).ShouldBe("b.test");

        var upstreams = new[] { (await log.NextAsync()).UpstreamName, (await log.NextAsync()).UpstreamName, (await log.NextAsync()).UpstreamName };
        upstreams.ShouldBe(["tls-b", "tls-a", "tls-b"]);
    }

    [Fact]
    public async Task Refuse_ClosesTheConnectionWithoutConnecting_Logged403()
    {
        await using var backend = EchoBackend.Start();
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "127.0.0.1:{{port}}": { "upstream": "echo", "preread_bytes": 4 } }""", TestGateway.Upstream("echo", backend.Address));
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", """
            if (FirstBytes.StartsWith("QUIT"u8)) return Refuse();
            """)).Status.ShouldBe(200);
        var endPoint = gateway.Bound($"127.0.0.1:{port}");

        using (var refused = await StreamClient.ConnectAsync(endPoint))
        {
            await refused.SendAsync("QUIT now");
            (await refused.ReceiveToEndAsync()).ShouldBeEmpty();
        }

        (await log.NextAsync()).Status.ShouldBe(403);
        backend.Connections.ShouldBe(0);

        // Bytes read by the preread are forwarded first: the peer sees the whole stream.
        using var served = await StreamClient.ConnectAsync(endPoint);
        await served.SendAsync("PING and more");
        (await served.ReceiveAsync(13)).ShouldBe("PING and more");
    }

    [Fact]
    public async Task SetCurrentPeer_TrustedListenerWithoutUpstream_ConnectsToAPeerNoUpstreamLists()
    {
        await using var backend = EchoBackend.Start("chosen", replyAtEnd: true);
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync($$"""{ "127.0.0.1:{{port}}": { "preread_bytes": 0, "trusted": true } }""");
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", $"SetCurrentPeer(\"127.0.0.1\", {backend.Address.Split(':')[1]});")).Status.ShouldBe(200);

        using var client = await StreamClient.ConnectAsync(gateway.Bound($"127.0.0.1:{port}"));
        await client.SendAsync("abc");
        client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        (await client.ReceiveToEndAsync()).ShouldBe("chosen:3");
        var entry = await log.NextAsync();
        (entry.Status, entry.UpstreamName, entry.UpstreamAddr).ShouldBe((200, $"stream:{port}", backend.Address));
    }

    [Fact]
    public async Task GarbageClientHello_ScriptSeesNoSni_SessionGoesToTheListenersUpstream()
    {
        await using var backend = EchoBackend.Start();
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "127.0.0.1:{{port}}": { "upstream": "echo" } }""", TestGateway.Upstream("echo", backend.Address));
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", """
            if (Sni is not null) Upstream = "nowhere";
            Log.Info($"first byte {FirstBytes[0]}, {FirstBytes.Length} bytes");
            """)).Status.ShouldBe(200);

        using var client = await StreamClient.ConnectAsync(gateway.Bound($"127.0.0.1:{port}"));
        var garbage = "\u0016\u0003\u0001\u00ff\u00ff\u0001\u0000\u00ff\u00ff-not-a-hello";
        await client.Socket.SendAsync(System.Text.Encoding.Latin1.GetBytes(garbage), System.Net.Sockets.SocketFlags.None);
        var echoed = new byte[garbage.Length];
        var filled = 0;
        while (filled < echoed.Length)
        {
            filled += await client.Socket.ReceiveAsync(echoed.AsMemory(filled), System.Net.Sockets.SocketFlags.None);
        }

        System.Text.Encoding.Latin1.GetString(echoed).ShouldBe(garbage);
    }

    [Fact]
    public async Task ClientThatSendsNothing_ScriptRunsAtThePrereadTimeoutWithNoBytes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var backend = EchoBackend.Start();
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "127.0.0.1:{{port}}": { "upstream": "echo", "preread_timeout": 5 } }""", TestGateway.Upstream("echo", backend.Address), clock);
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", "if (FirstBytes.Length == 0) return Refuse();")).Status.ShouldBe(200);

        using var client = await StreamClient.ConnectAsync(gateway.Bound($"127.0.0.1:{port}"));
        var closed = client.ReceiveToEndAsync();
        await Poll.UntilAsync(() => { clock.Advance(TimeSpan.FromSeconds(1)); return Task.FromResult(closed.IsCompleted); }, done => done, TimeSpan.FromSeconds(20), "the preread timeout");
        (await closed).ShouldBeEmpty();
        (await log.NextAsync()).Status.ShouldBe(403);
    }

    [Fact]
    public async Task ScriptThatThrows_SessionClosedWith500_NewVersionServesAtOnce()
    {
        await using var backend = EchoBackend.Start();
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "127.0.0.1:{{port}}": { "upstream": "echo", "preread_bytes": 0 } }""", TestGateway.Upstream("echo", backend.Address));
        using var log = new AccessLogProbe(gateway.AccessLog);
        var endPoint = gateway.Bound($"127.0.0.1:{port}");
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", "throw new InvalidOperationException(\"no\");")).Status.ShouldBe(200);

        using (var failed = await StreamClient.ConnectAsync(endPoint))
        {
            (await failed.ReceiveToEndAsync()).ShouldBeEmpty();
        }

        (await log.NextAsync()).Status.ShouldBe(500);
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", "Upstream = \"echo\";")).Status.ShouldBe(200);
        using var served = await StreamClient.ConnectAsync(endPoint);
        await served.SendAsync("ok");
        (await served.ReceiveAsync(2)).ShouldBe("ok");
    }

    [Fact]
    public async Task CompileError_AnsweredWithDiagnostics_HostPhaseRefusedForAStreamAndPrereadForAHost()
    {
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync($$"""{ "127.0.0.1:{{port}}": { "upstream": "x" } }""");

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", "Upstream = 42;");
        status.ShouldBe(400);
        json!.ToJsonString().ShouldContain("CS0029");
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/rewrite", "return Next;")).Status.ShouldBe(400);
        (await gateway.AdminAsync(HttpMethod.Post, "/script/a.test/preread", "return Next;")).Status.ShouldBe(400);
    }

    [Fact]
    public async Task PrereadFileNamedInScriptsJson_IsCompiledAndServes()
    {
        await using var a = EchoBackend.Start("a", replyAtEnd: true);
        await using var b = EchoBackend.Start("b", replyAtEnd: true);
        var port = DeadPeer.ReservePort();
        var folder = Directory.CreateTempSubdirectory("slardar-test-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "ops"));
        await File.WriteAllTextAsync(Path.Combine(folder, "ops", "route.csx"), "if (FirstBytes.StartsWith(\"B\"u8)) Upstream = \"b\";");
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?>([.. TestGateway.Upstream("a", a.Address), .. TestGateway.Upstream("b", b.Address)]),
            manifest: $$"""{ "streams": { "127.0.0.1:{{port}}": { "upstream": "a", "preread_bytes": 1, "scripts": { "preread": "ops/route.csx" } } } }""",
            folder: folder);
        var endPoint = gateway.Bound($"127.0.0.1:{port}");

        (await AskAsync(endPoint, "Bee")).ShouldBe("b:3");
        (await AskAsync(endPoint, "Ant")).ShouldBe("a:3");
    }

    private static async Task<string> AskAsync(System.Net.IPEndPoint endPoint, string text)
    {
        using var client = await StreamClient.ConnectAsync(endPoint);
        await client.SendAsync(text);
        client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        return await client.ReceiveToEndAsync();
    }
}
