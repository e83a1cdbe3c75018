using System.Net;
using Microsoft.AspNetCore.Http;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Proxy;

/// <summary>nginx's proxy_next_upstream semantics, against real sockets.</summary>
public abstract class RetryTests : ForwarderTests
{
    protected RetryTests(string forwarder)
        : base(forwarder)
    {
    }

    private static Dictionary<string, string?> Settings(string upstream, string[] peers, params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(TestGateway.Upstream(upstream, peers))
        {
            // One failure takes a peer out, so WRR order does not decide which peer a test sees first.
            ["Proxy:ConnectTimeout"] = "2",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static Task Answer502(HttpContext context, byte[] body)
    {
        context.Response.StatusCode = 502;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Get_FirstPeerRefusesConnection_NextPeerAnswers()
    {
        await using var good = await TestBackend.StartNamedAsync("good");
        var dead = $"127.0.0.1:{DeadPeer.ReservePort()}";
        await using var gateway = await StartGatewayAsync(Settings("r.test", [dead, good.Address]));
        using var probe = new AccessLogProbe(gateway.AccessLog);

        // Two requests: whichever peer WRR picks first, each request ends on the good peer.
        for (var i = 0; i < 2; i++)
        {
            using var response = await gateway.GetAsync("r.test");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("good", await response.Content.ReadAsStringAsync());
        }

        var entries = new[] { await probe.NextAsync(), await probe.NextAsync() };
        var retried = Assert.Single(entries, e => e.Tries == 2);
        Assert.Equal($"{dead}, {good.Address}", retried.UpstreamAddr);
        Assert.Equal("502, 200", retried.UpstreamStatus);
    }

    [Fact]
    public async Task Get_PeerHangs_ReadTimeoutMovesToNextPeer()
    {
        using var hung = new HungPeer();
        await using var good = await TestBackend.StartNamedAsync("good");
        await using var gateway = await StartGatewayAsync(Settings("r.test", [hung.Address, good.Address], ("Proxy:ReadTimeout", "0.3")));
        using var probe = new AccessLogProbe(gateway.AccessLog);

        for (var i = 0; i < 2; i++)
        {
            using var response = await gateway.GetAsync("r.test");
            Assert.Equal("good", await response.Content.ReadAsStringAsync());
        }

        var entries = new[] { await probe.NextAsync(), await probe.NextAsync() };
        var retried = Assert.Single(entries, e => e.Tries == 2);
        Assert.Equal("504, 200", retried.UpstreamStatus);
        Assert.True(hung.Connections >= 1);
    }

    [Fact]
    public async Task Get_PeerAnswers502_NextPeerAnswersAndThe502BodyNeverReachesClient()
    {
        await using var bad = await TestBackend.StartAsync(context =>
        {
            context.Response.StatusCode = 502;
            return context.Response.WriteAsync("bad gateway from peer");
        });
        await using var good = await TestBackend.StartNamedAsync("good");
        await using var gateway = await StartGatewayAsync(Settings("r.test", [bad.Address, good.Address]));

        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.GetAsync("r.test");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("good", await response.Content.ReadAsStringAsync());
        }

        Assert.True(bad.Requests >= 1);
    }

    [Fact]
    public async Task Get_StatusNotInNextUpstream_IsPassedThroughWithoutRetry()
    {
        static Task Busy(HttpContext context)
        {
            context.Response.StatusCode = 503;
            return context.Response.WriteAsync("busy");
        }

        await using var busy1 = await TestBackend.StartAsync(Busy);
        await using var busy2 = await TestBackend.StartAsync(Busy);
        await using var gateway = await StartGatewayAsync(Settings("r.test", [busy1.Address, busy2.Address]));

        using var response = await gateway.GetAsync("r.test");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("busy", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, busy1.Requests + busy2.Requests);
    }

    [Fact]
    public async Task Get_EveryPeerFails_TriesCapTheAttemptsAndClientGetsJsonError()
    {
        var peers = Enumerable.Range(0, 3).Select(_ => $"127.0.0.1:{DeadPeer.ReservePort()}").ToArray();
        await using var gateway = await StartGatewayAsync(Settings("r.test", peers, ("Proxy:Tries", "2")));
        using var probe = new AccessLogProbe(gateway.AccessLog);

        using var response = await gateway.GetAsync("r.test");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("50200003", response.Headers.GetValues("X-Error-Code").Single());
        Assert.Contains("2 tries to upstream r.test", await response.Content.ReadAsStringAsync());
        var entry = await probe.NextAsync();
        Assert.Equal(2, entry.Tries);
        Assert.Equal(50200003, entry.XErrorCode);
    }

    [Fact]
    public async Task Put_PeerStopsReadingTheBody_SendTimeoutAnswers504()
    {
        using var hung = new HungPeer();
        await using var gateway = await StartGatewayAsync(Settings("r.test", [hung.Address], ("Proxy:SendTimeout", "0.5"), ("Proxy:ReadTimeout", "30")));
        using var probe = new AccessLogProbe(gateway.AccessLog);

        // Far more than the socket buffers between the gateway and a peer that never reads.
        using var response = await gateway.SendAsync("r.test", HttpMethod.Put, "/blob", new StreamContent(new PatternStream(64L * 1024 * 1024)) { Headers = { ContentLength = 64L * 1024 * 1024 } });

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var entry = await probe.NextAsync();
        Assert.Equal("504", entry.UpstreamStatus);
        Assert.Equal(1, entry.Tries);
    }

    [Fact]
    public async Task Put_PeerRefusesTheUploadWithoutReadingIt_ClientGetsThePeersAnswer()
    {
        await using var refusing = await TestBackend.StartAsync(context =>
        {
            context.Response.StatusCode = 413;
            return context.Response.WriteAsync("too large");
        });
        await using var gateway = await StartGatewayAsync(Settings("r.test", [refusing.Address]));

        using var response = await gateway.SendAsync("r.test", HttpMethod.Put, "/blob", new StreamContent(new PatternStream(32L * 1024 * 1024)) { Headers = { ContentLength = 32L * 1024 * 1024 } });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("too large", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_ClientGoesAwayWhilePeerThinks_ThePeerConnectionIsClosed()
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var peer = new RawPeer(async connection =>
        {
            await connection.ReadRequestAsync();
            received.SetResult();
            if (await connection.ReadRequestAsync() is null)
            {
                closed.SetResult();
            }
        });
        await using var gateway = await StartGatewayAsync(Settings("r.test", [peer.Address]));
        using var probe = new AccessLogProbe(gateway.AccessLog);

        using var cancel = new CancellationTokenSource();
        var request = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "r.test" } };
        var sending = gateway.Client.SendAsync(request, cancel.Token);
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, (await probe.NextAsync()).Tries);
    }

    [Fact]
    public async Task Get_TimeBudgetSpent_NoFurtherTry()
    {
        using var hung1 = new HungPeer();
        using var hung2 = new HungPeer();
        await using var gateway = await StartGatewayAsync(Settings("r.test", [hung1.Address, hung2.Address],
            ("Proxy:ReadTimeout", "0.4"), ("Proxy:NextUpstreamTimeout", "0.2"), ("Proxy:Tries", "5")));
        using var probe = new AccessLogProbe(gateway.AccessLog);

        using var response = await gateway.GetAsync("r.test");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("50400001", response.Headers.GetValues("X-Error-Code").Single());
        Assert.Equal(1, (await probe.NextAsync()).Tries);
        Assert.Equal(1, hung1.Connections + hung2.Connections);
    }

    [Fact]
    public async Task Post_PeerReceivedItAndFailed_IsNotResent()
    {
        await using var bad1 = await TestBackend.StartRecordingAsync(Answer502);
        await using var bad2 = await TestBackend.StartRecordingAsync(Answer502);
        await using var gateway = await StartGatewayAsync(Settings("r.test", [bad1.Address, bad2.Address]));

        using var response = await gateway.SendAsync("r.test", HttpMethod.Post, "/orders", new StringContent("order-1"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(1, bad1.Requests + bad2.Requests);
    }

    [Fact]
    public async Task Post_UpstreamOptsInWithNonIdempotent_IsResent()
    {
        var calls = 0;
        Task FirstCallFails(HttpContext context, byte[] _)
        {
            context.Response.StatusCode = Interlocked.Increment(ref calls) == 1 ? 502 : 200;
            return Task.CompletedTask;
        }

        await using var flaky1 = await TestBackend.StartRecordingAsync(FirstCallFails);
        await using var flaky2 = await TestBackend.StartRecordingAsync(FirstCallFails);
        await using var gateway = await StartGatewayAsync(Settings("r.test", [flaky1.Address, flaky2.Address],
            ("Upstreams:r.test:next_upstream", "error timeout http_502 non_idempotent")));

        using var response = await gateway.SendAsync("r.test", HttpMethod.Post, "/orders", new StringContent("order-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, flaky1.Requests);
        Assert.Equal(1, flaky2.Requests);
        Assert.All(flaky1.Bodies.Concat(flaky2.Bodies), body => Assert.Equal("order-1"u8.ToArray(), body));
    }

    [Fact]
    public async Task Post_FirstPeerRefusesConnection_IsRetriedBecauseNothingWasSent()
    {
        await using var good = await TestBackend.StartRecordingAsync((_, _) => Task.CompletedTask);
        var dead = $"127.0.0.1:{DeadPeer.ReservePort()}";
        await using var gateway = await StartGatewayAsync(Settings("r.test", [dead, good.Address]));

        for (var i = 0; i < 2; i++)
        {
            using var response = await gateway.SendAsync("r.test", HttpMethod.Post, "/orders", new StringContent($"order-{i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(["order-0", "order-1"], good.Bodies.Select(b => System.Text.Encoding.UTF8.GetString(b)));
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(3 * 1024 * 1024)]
    public async Task Put_RetriedAfter502_SecondPeerGetsByteIdenticalBody(int size)
    {
        var body = new byte[size];
        new Random(size).NextBytes(body);
        await using var bad = await TestBackend.StartRecordingAsync(Answer502);
        await using var good = await TestBackend.StartRecordingAsync((_, _) => Task.CompletedTask);
        // A 64 KiB memory buffer makes the 3 MiB body spill to a temp file.
        await using var gateway = await StartGatewayAsync(Settings("r.test", [bad.Address, good.Address], ("Proxy:Body:MemoryBufferBytes", "65536")));

        for (var i = 0; i < 2; i++)
        {
            using var response = await gateway.SendAsync("r.test", HttpMethod.Put, "/blob", new ByteArrayContent(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, bad.Requests);
        Assert.Equal(2, good.Requests);
        Assert.All(bad.Bodies.Concat(good.Bodies), received => Assert.True(received.AsSpan().SequenceEqual(body)));
        Assert.Empty(Directory.GetFiles(gateway.Folder, "slardar-body-*"));
    }

    [Fact]
    public async Task Put_BodyLargerThanReplayLimit_IsStreamedButNotResent()
    {
        var body = new byte[256 * 1024];
        await using var bad1 = await TestBackend.StartRecordingAsync(Answer502);
        await using var bad2 = await TestBackend.StartRecordingAsync(Answer502);
        await using var gateway = await StartGatewayAsync(Settings("r.test", [bad1.Address, bad2.Address],
            ("Proxy:Body:MemoryBufferBytes", "16384"), ("Proxy:Body:ReplayLimitBytes", "65536")));

        using var response = await gateway.SendAsync("r.test", HttpMethod.Put, "/blob", new ByteArrayContent(body));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(1, bad1.Requests + bad2.Requests);
        Assert.Equal(body.Length, bad1.Bodies.Concat(bad2.Bodies).Single().Length);
    }

    [Fact]
    public async Task Get_PeerFailsAfterResponseStarted_IsNotRetriedAndClientSeesTheBreak()
    {
        var clientSawBytes = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task BreakMidBody(HttpContext context)
        {
            context.Response.ContentLength = 1000;
            await context.Response.WriteAsync("partial");
            await context.Response.Body.FlushAsync();
            await clientSawBytes.Task;
            context.Abort();
        }

        await using var broken1 = await TestBackend.StartAsync(BreakMidBody);
        await using var broken2 = await TestBackend.StartAsync(BreakMidBody);
        await using var gateway = await StartGatewayAsync(Settings("r.test", [broken1.Address, broken2.Address]));

        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "r.test";
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var start = new byte[7];
        await body.ReadExactlyAsync(start);
        Assert.Equal("partial"u8.ToArray(), start);

        clientSawBytes.SetResult();

        await Assert.ThrowsAnyAsync<IOException>(async () => await body.ReadExactlyAsync(new byte[993]));
        Assert.Equal(1, broken1.Requests + broken2.Requests);
    }

    [Fact]
    public async Task Get_OneOfTwoPeersKilled_EveryRequestSucceeds()
    {
        var a = await TestBackend.StartNamedAsync("a");
        await using var b = await TestBackend.StartNamedAsync("b");
        await using var gateway = await StartGatewayAsync(Settings("r.test", [a.Address, b.Address]));

        for (var i = 0; i < 10; i++)
        {
            using var response = await gateway.GetAsync("r.test");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await a.DisposeAsync();

        for (var i = 0; i < 50; i++)
        {
            using var response = await gateway.GetAsync("r.test");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("b", await response.Content.ReadAsStringAsync());
        }
    }

    public sealed class Fast() : RetryTests("fast");

    public sealed class Yarp() : RetryTests("yarp");
}
