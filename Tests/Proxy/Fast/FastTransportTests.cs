using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Proxy.Fast;

/// <summary>The fast HTTP/1.1 path against peers speaking raw bytes: framing, keep-alive reuse, stale connections, hostile responses.</summary>
public sealed class FastTransportTests
{
    private const string Host = "f.test";

    private static Task<TestGateway> StartAsync(string peer, params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(TestGateway.Upstream(Host, peer)) { ["Proxy:Forwarder"] = "fast" };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return TestGateway.StartAsync(settings);
    }

    public static TheoryData<string, string> MalformedResponses => new()
    {
        { "both Content-Length and chunked", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" },
        { "differing Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd" },
        { "differing Content-Length list", "HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabcd" },
        { "signed Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: +3\r\n\r\nabc" },
        { "non-hex chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n" },
        { "chunk size with 0x", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n" },
        { "overflowing chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000003\r\nabc\r\n0\r\n\r\n" },
        { "bad chunk extension", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;bad ext\r\nabc\r\n0\r\n\r\n" },
        { "chunk longer than its size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n" },
        { "transfer coding other than chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" },
        { "obs-fold", "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 0\r\n\r\n" },
        { "bare LF", "HTTP/1.1 200 OK\nContent-Length: 0\n\n" },
        { "bare CR", "HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n" },
        { "space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n" },
        { "control character in a value", "HTTP/1.1 200 OK\r\nX-A: a\u0001b\r\nContent-Length: 0\r\n\r\n" },
        { "four-digit status", "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n" },
        { "not HTTP", "ICY 200 OK\r\n\r\n" },
        { "HTTP/2 status line", "HTTP/2 200\r\n\r\n" },
        { "101 without upgrade", "HTTP/1.1 101 Switching Protocols\r\n\r\n" },
        { "oversized head", "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 70_000) + "\r\nContent-Length: 0\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(MalformedResponses))]
    public async Task Forward_MalformedResponse_ClientGets502AndTheConnectionIsNotReused(string why, string response)
    {
        using var peer = new RawPeer(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                await connection.SendAsync(response);
                if (response.Contains("Connection: close", StringComparison.Ordinal))
                {
                    return;
                }
            }
        });
        await using var gateway = await StartAsync(peer.Address);

        for (var i = 0; i < 2; i++)
        {
            using var answer = await gateway.GetAsync(Host);
            Assert.True(answer.StatusCode == HttpStatusCode.BadGateway, $"{why}: {(int)answer.StatusCode}");
        }

        // A framing error ends the connection: the second request came on a new one.
        Assert.Equal(2, peer.Connections);
    }

    public static TheoryData<string> WellFormedResponses => new()
    {
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;a=b\r\no\r\n1 ; c=\"d e\"\r\nk\r\n0\r\nX-Trailer: t\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n00002\r\nok\r\n0\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok",
    };

    [Theory]
    [MemberData(nameof(WellFormedResponses))]
    public async Task Forward_WellFormedResponse_BodyArrivesAndOneConnectionServesEveryRequest(string response)
    {
        using var peer = RawPeer.Answering(response);
        await using var gateway = await StartAsync(peer.Address);

        for (var i = 0; i < 3; i++)
        {
            using var answer = await gateway.GetAsync(Host);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("ok", await answer.Content.ReadAsStringAsync());
        }

        Assert.Equal(1, peer.Connections);
    }

    [Theory]
    [InlineData(59, 1)]
    [InlineData(61, 2)]
    public async Task Get_AfterIdleTime_ConnectionReusedOnlyWithinTheIdleTimeout(int idleSeconds, int expectedConnections)
    {
        var clock = new ManualTimeProvider();
        using var peer = RawPeer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        var settings = new Dictionary<string, string?>(TestGateway.Upstream(Host, peer.Address)) { ["Proxy:Forwarder"] = "fast" };
        await using var gateway = await TestGateway.StartAsync(settings, configureServices: services => services.AddSingleton<TimeProvider>(clock));

        (await gateway.GetAsync(Host)).Dispose();
        clock.Advance(TimeSpan.FromSeconds(idleSeconds));
        using var answer = await gateway.GetAsync(Host);

        Assert.Equal("ok", await answer.Content.ReadAsStringAsync());
        Assert.Equal(expectedConnections, peer.Connections);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public async Task Get_ManyConcurrentRequests_EachGetsItsOwnAnswerWithinTheConnectionLimit(int maxConnections)
    {
        var connections = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        await using var backend = await TestBackend.StartAsync(context =>
        {
            connections[context.Connection.Id] = true;
            return context.Response.WriteAsync("answer for " + context.Request.Path);
        });
        await using var gateway = await StartAsync(backend.Address, ("Proxy:MaxConnectionsPerPeer", maxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var requests = Enumerable.Range(0, 400).Select(async i =>
        {
            using var answer = await gateway.GetAsync(Host, $"/r{i}");
            return (i, await answer.Content.ReadAsStringAsync());
        });
        var answers = await Task.WhenAll(requests);

        Assert.All(answers, a => Assert.Equal($"answer for /r{a.i}", a.Item2));
        if (maxConnections > 0)
        {
            Assert.InRange(connections.Count, 1, maxConnections);
        }
    }

    [Fact]
    public async Task Forward_CloseDelimitedResponse_BodyArrivesAndTheConnectionIsNotReused()
    {
        using var peer = new RawPeer(async connection =>
        {
            await connection.ReadRequestAsync();
            await connection.SendAsync("HTTP/1.1 200 OK\r\nX-Kind: close-delimited\r\n\r\nall of it");
        });
        await using var gateway = await StartAsync(peer.Address);

        for (var i = 0; i < 2; i++)
        {
            using var answer = await gateway.GetAsync(Host);
            Assert.Equal("all of it", await answer.Content.ReadAsStringAsync());
            Assert.Equal("close-delimited", answer.Headers.GetValues("X-Kind").Single());
        }

        Assert.Equal(2, peer.Connections);
    }

    [Fact]
    public async Task Forward_HeadRequest_LengthPassedOnWithoutBodyAndTheConnectionIsReused()
    {
        using var peer = RawPeer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
        await using var gateway = await StartAsync(peer.Address);

        for (var i = 0; i < 2; i++)
        {
            using var answer = await gateway.SendAsync(Host, HttpMethod.Head, "/");
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(10, answer.Content.Headers.ContentLength);
        }

        Assert.Equal(1, peer.Connections);
    }

    [Fact]
    public async Task Forward_PeerSendsBytesAfterTheResponse_TheConnectionIsNotReused()
    {
        using var peer = RawPeer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nforged");
        await using var gateway = await StartAsync(peer.Address);

        for (var i = 0; i < 2; i++)
        {
            using var answer = await gateway.GetAsync(Host);
            Assert.Equal("ok", await answer.Content.ReadAsStringAsync());
        }

        Assert.Equal(2, peer.Connections);
    }

    [Fact]
    public async Task Post_PeerClosedTheReusedConnectionOnArrival_ResentOnAFreshConnectionInTheSameTry()
    {
        var bodies = new List<string>();
        using var peer = new RawPeer(async connection =>
        {
            while (await connection.ReadRequestAsync() is { } request)
            {
                lock (bodies)
                {
                    bodies.Add(request[(request.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
                }

                // The first connection answers once, then drops the next request unanswered (an idle close racing it).
                if (connection.Index == 1 && bodies.Count > 1)
                {
                    connection.Reset();
                    return;
                }

                await connection.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        });
        await using var gateway = await StartAsync(peer.Address);
        using var probe = new AccessLogProbe(gateway.AccessLog);

        using (var first = await gateway.SendAsync(Host, HttpMethod.Post, "/", new StringContent("one")))
        {
            Assert.Equal("ok", await first.Content.ReadAsStringAsync());
        }

        await probe.NextAsync();
        using var second = await gateway.SendAsync(Host, HttpMethod.Post, "/", new StringContent("two"));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("ok", await second.Content.ReadAsStringAsync());
        Assert.Equal(1, (await probe.NextAsync()).Tries);
        Assert.Equal(2, peer.Connections);
        Assert.Equal(["one", "two", "two"], bodies);
    }

    [Fact]
    public async Task Put_BodyOfUnknownLength_ArrivesChunkedAndIntact()
    {
        var body = new byte[300 * 1024];
        new Random(7).NextBytes(body);
        await using var backend = await TestBackend.StartRecordingAsync((context, _) => context.Response.WriteAsync(context.Request.Headers.TransferEncoding.ToString()));
        await using var gateway = await StartAsync(backend.Address);

        using var content = new StreamContent(new MemoryStream(body));
        var request = new HttpRequestMessage(HttpMethod.Put, "/blob") { Content = content };
        request.Headers.Host = Host;
        request.Headers.TransferEncodingChunked = true;
        using var answer = await gateway.Client.SendAsync(request);

        Assert.Equal("chunked", await answer.Content.ReadAsStringAsync());
        Assert.True(backend.Bodies.Single().AsSpan().SequenceEqual(body));
    }

    [Fact]
    public async Task Get_ResponseHeadersOnly_HopByHopAndConnectionNamedFieldsDropped()
    {
        using var peer = RawPeer.Answering(
            "HTTP/1.1 404 Not Found\r\nConnection: x-private\r\nX-Private: 1\r\nKeep-Alive: timeout=5\r\nAlt-Svc: h3=\":443\"\r\nX-Public: 2\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 4\r\n\r\nnone");
        await using var gateway = await StartAsync(peer.Address);

        using var answer = await gateway.GetAsync(Host);

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("none", await answer.Content.ReadAsStringAsync());
        Assert.False(answer.Headers.Contains("X-Private"));
        Assert.False(answer.Headers.Contains("Keep-Alive"));
        Assert.False(answer.Headers.Contains("Alt-Svc"));
        Assert.Equal("2", answer.Headers.GetValues("X-Public").Single());
        Assert.Equal(["a=1", "b=2"], answer.Headers.GetValues("Set-Cookie"));
        Assert.Equal(Encoding.ASCII.GetBytes("none").Length, answer.Content.Headers.ContentLength);
    }
}
