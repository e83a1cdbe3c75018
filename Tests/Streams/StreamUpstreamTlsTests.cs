using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Tests.Checkups.Probes;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>
/// TLS origination: a stream listener whose upstream has <c>"scheme": "https"</c> wraps each
/// session's connection in TLS with the upstream's <c>sni</c>, <c>ca</c> and <c>verify</c>; a
/// certificate not accepted is a failed connect, counted against the peer, and the next peer serves.
/// </summary>
public sealed class StreamUpstreamTlsTests : IDisposable
{
    private readonly TestCertificates _ca = TestCertificates.CreateAuthority();

    public void Dispose() => _ca.Dispose();

    private string TlsUpstream(params string[] addresses) =>
        $$"""{"servers":[{{string.Join(",", addresses.Select(a => $$"""{"host":"127.0.0.1","port":{{a.Split(':')[1]}}}"""))}}],"scheme":"https","sni":"backend.test","ca":{{JsonValue.Create(_ca.AuthorityPem)!.ToJsonString()}},"try":2}""";

    // A first level and a backup, so the first try goes to the peer under test.
    private string TlsLevels(string first, string backup) =>
        $$"""{"cluster":[{"servers":[{"host":"127.0.0.1","port":{{first.Split(':')[1]}}}]},{"servers":[{"host":"127.0.0.1","port":{{backup.Split(':')[1]}}}]}],"scheme":"https","sni":"backend.test","ca":{{JsonValue.Create(_ca.AuthorityPem)!.ToJsonString()}},"try":2,"timeout":2}""";

    [Fact]
    public async Task TlsUpstream_SessionGoesOverTlsWithTheUpstreamsSniAndCa_PrereadBytesAndHalfCloseIncluded()
    {
        await using var backend = TlsEchoBackend.Start("tls", _ca.Issue(["backend.test"]));
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync($$"""{ "127.0.0.1:{{port}}": { "upstream": "secure", "preread_bytes": 2 } }""");
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, "/upstream/secure", TlsUpstream(backend.Address))).Status.ShouldBe(200);
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", "if (FirstBytes.Length != 2) return Refuse();")).Status.ShouldBe(200);

        // ALPN empty: the gateway offers no HTTP protocol to a peer of raw bytes.
        (await AskAsync(gateway.Bound($"127.0.0.1:{port}"), "hello")).ShouldBe("tls:5:backend.test:");

        var entry = await log.NextAsync();
        (entry.Status, entry.UpstreamName, entry.UpstreamAddr, entry.Stream!.BytesUp).ShouldBe((200, "secure", backend.Address, 5L));
    }

    [Fact]
    public async Task TlsUpstream_CertificateNotAccepted_FailedConnectCountsAgainstThePeer_NextPeerServes()
    {
        using var rogue = TestCertificates.CreateAuthority("Rogue CA");
        await using var bad = TlsEchoBackend.Start("bad", rogue.Issue(["backend.test"]));
        await using var good = TlsEchoBackend.Start("good", _ca.Issue(["backend.test"]));
        await using var gateway = await StreamGatewayFixture.StartAsync("""{ "127.0.0.1:0": { "upstream": "secure" } }""");
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, "/upstream/secure", TlsUpstream(bad.Address, good.Address))).Status.ShouldBe(200);

        var entries = new List<Slardar.Scriptable.Host.Observability.AccessLogEntry>();
        for (var i = 0; i < 3; i++)
        {
            (await AskAsync(gateway.Bound("127.0.0.1:0"), "x")).ShouldBe("good:1:backend.test:");
            entries.Add(await log.NextAsync());
        }

        // max_fails 1: the one refused certificate takes the peer out; every session is served.
        entries.ShouldAllBe(e => e.Status == 200 && e.UpstreamAddr.EndsWith(good.Address, StringComparison.Ordinal));
        entries.Sum(e => e.UpstreamAddr.Split(", ").Count(a => a == bad.Address)).ShouldBe(1);
        bad.Connections.ShouldBe(1);
        (await gateway.Admin.GetStringAsync("/metrics")).ShouldContain($"slardar_upstream_tries_total{{outcome=\"error\",peer=\"{bad.Address}\",upstream=\"secure\"}} 1");
    }

    [Fact]
    public async Task TlsUpstream_PeerThatNeverAnswersTheHandshake_TimesOutAtTheConnectTimeout_BackupServes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var hung = new HungPeer();
        await using var good = TlsEchoBackend.Start("good", _ca.Issue(["backend.test"]));
        await using var gateway = await StreamGatewayFixture.StartAsync("""{ "127.0.0.1:0": { "upstream": "secure" } }""", clock: clock);
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, "/upstream/secure", TlsLevels(hung.Address, good.Address))).Status.ShouldBe(200);

        var answer = AskAsync(gateway.Bound("127.0.0.1:0"), "x");
        await Poll.UntilAsync(() => Task.FromResult(hung.Connections), n => n == 1, TimeSpan.FromSeconds(10), "the connect to the hung peer");
        clock.Advance(TimeSpan.FromSeconds(2));

        (await answer).ShouldBe("good:1:backend.test:");
        var entry = await log.NextAsync();
        (entry.Status, entry.UpstreamAddr, entry.UpstreamStatus).ShouldBe((200, $"{hung.Address}, {good.Address}", "504, 200"));
    }

    [Fact]
    public async Task TlsUpstream_PeerThatAnswersPlainBytes_IsAFailedConnect_BackupServes()
    {
        using var plain = ScriptedPeer.Writing("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
        await using var good = TlsEchoBackend.Start("good", _ca.Issue(["backend.test"]));
        await using var gateway = await StreamGatewayFixture.StartAsync("""{ "127.0.0.1:0": { "upstream": "secure" } }""");
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, "/upstream/secure", TlsLevels($"127.0.0.1:{plain.Port}", good.Address))).Status.ShouldBe(200);

        (await AskAsync(gateway.Bound("127.0.0.1:0"), "x")).ShouldBe("good:1:backend.test:");

        var entry = await log.NextAsync();
        (entry.Status, entry.UpstreamStatus).ShouldBe((200, "502, 200"));
    }

    [Fact]
    public async Task TlsUpstream_ConcurrentSessions_EachMegabyteComesBackWhole()
    {
        const int Size = 1 << 20;
        await using var backend = TlsEchoBackend.Start("echo", _ca.Issue(["backend.test"]), echo: true);
        await using var gateway = await StreamGatewayFixture.StartAsync("""{ "127.0.0.1:0": { "upstream": "secure" } }""");
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, "/upstream/secure", TlsUpstream(backend.Address))).Status.ShouldBe(200);
        var endPoint = gateway.Bound("127.0.0.1:0");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            var sent = new byte[Size];
            new Random(i).NextBytes(sent);
            using var client = await StreamClient.ConnectAsync(endPoint);
            await using var stream = new NetworkStream(client.Socket, ownsSocket: false);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var received = new MemoryStream();
            var receiving = stream.CopyToAsync(received, timeout.Token);
            await stream.WriteAsync(sent, timeout.Token);
            client.Socket.Shutdown(SocketShutdown.Send);
            await receiving;
            received.ToArray().AsSpan().SequenceEqual(sent).ShouldBeTrue($"session {i} came back changed ({received.Length} bytes)");
        }));

        for (var i = 0; i < 8; i++)
        {
            var entry = await log.NextAsync();
            (entry.Status, entry.Stream!.BytesUp, entry.Stream.BytesDown, entry.Stream.End).ShouldBe((200, (long)Size, (long)Size, "closed"));
        }
    }

    [Fact]
    public async Task TlsUpstream_SessionsThatFellSilent_HoldNoBuffer()
    {
        await using var backend = TlsEchoBackend.Start("echo", _ca.Issue(["backend.test"]), echo: true);
        await using var gateway = await StreamGatewayFixture.StartAsync("""{ "127.0.0.1:0": { "upstream": "secure" } }""");
        (await gateway.AdminAsync(HttpMethod.Post, "/upstream/secure", TlsUpstream(backend.Address))).Status.ShouldBe(200);
        var clients = new List<StreamClient>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var client = await StreamClient.ConnectAsync(gateway.Bound("127.0.0.1:0"));
                clients.Add(client);
                await client.SendAsync("ping");
                (await client.ReceiveAsync(4)).ShouldBe("ping");
            }

            await Poll.UntilAsync(
                () => Task.FromResult(gateway.Listeners().Listeners["127.0.0.1:0"].Sessions.Select(s => s.BufferBytes).ToList()),
                buffers => buffers.Count == 5 && buffers.All(b => b == 0),
                TimeSpan.FromSeconds(30),
                "5 idle TLS sessions holding no buffer");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static async Task<string> AskAsync(IPEndPoint endPoint, string text)
    {
        using var client = await StreamClient.ConnectAsync(endPoint);
        await client.SendAsync(text);
        client.Socket.Shutdown(SocketShutdown.Send);
        return await client.ReceiveToEndAsync();
    }
}
