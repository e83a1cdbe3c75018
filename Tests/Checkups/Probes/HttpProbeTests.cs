using System.Text;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Slardar.Scriptable.Host.Checkups.Probes;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Checkups.Probes;

public sealed class HttpProbeTests
{
    private const string StatusQuery = "GET /status HTTP/1.0\r\nHost: localhost\r\n\r\n";

    private static readonly ProbeSettings Query = new() { HttpQuery = StatusQuery };

    private readonly HttpProbe _probe = new();

    private static Task<TestBackend> AnsweringAsync(int status) =>
        TestBackend.StartAsync(context =>
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsync("body");
        });

    [Fact]
    public async Task ProbeAsync_Answers200_IsOk()
    {
        await using var backend = await AnsweringAsync(200);

        var result = await _probe.ProbeAsync("127.0.0.1", backend.Port, Query, CancellationToken.None);

        result.ShouldBe(ProbeResult.Ok());
        backend.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task ProbeAsync_FailureStatus_IsErrNamingTheStatus()
    {
        await using var backend = await AnsweringAsync(502);

        var result = await _probe.ProbeAsync("127.0.0.1", backend.Port, Query with { HttpFailureStatuses = new HashSet<int> { 502 } }, CancellationToken.None);

        result.ShouldBe(ProbeResult.Err("status 502"));
    }

    [Fact]
    public async Task ProbeAsync_StatusNotListedAsFailure_IsOk()
    {
        await using var backend = await AnsweringAsync(502);

        var result = await _probe.ProbeAsync("127.0.0.1", backend.Port, Query with { HttpFailureStatuses = new HashSet<int> { 500, 503 } }, CancellationToken.None);

        result.Status.ShouldBe(PeerHealthStatus.Ok);
    }

    [Fact]
    public async Task ProbeAsync_QueryWithBareLineFeeds_ReachesTheServer()
    {
        await using var backend = await AnsweringAsync(200);

        var result = await _probe.ProbeAsync("127.0.0.1", backend.Port, new ProbeSettings { HttpQuery = "GET / HTTP/1.1\nHost: localhost\nConnection: close\n\n" }, CancellationToken.None);

        result.ShouldBe(ProbeResult.Ok());
        backend.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task ProbeAsync_NoQuery_ConnectsWithoutSending()
    {
        await using var backend = await AnsweringAsync(502);

        var result = await _probe.ProbeAsync("127.0.0.1", backend.Port, new ProbeSettings { HttpFailureStatuses = new HashSet<int> { 502 } }, CancellationToken.None);

        result.ShouldBe(ProbeResult.Ok());
        backend.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task ProbeAsync_GarbageStatusLine_IsErrInvalidStatusLine()
    {
        using var peer = ScriptedPeer.Writing(Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.6\r\n"));

        var result = await _probe.ProbeAsync("127.0.0.1", peer.Port, Query, CancellationToken.None);

        result.ShouldBe(ProbeResult.Err("invalid status line"));
        await peer.ClientClosed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ProbeAsync_EndlessLineWithoutNewline_IsErrInvalidStatusLine()
    {
        using var peer = ScriptedPeer.Writing(new byte[64 * 1024]);

        var result = await _probe.ProbeAsync("127.0.0.1", peer.Port, Query, CancellationToken.None);

        result.ShouldBe(ProbeResult.Err("invalid status line"));
    }

    [Fact]
    public async Task ProbeAsync_ClosedBeforeAnswering_IsErrConnectionClosed()
    {
        using var peer = ScriptedPeer.Start((socket, _) =>
        {
            socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            return Task.CompletedTask;
        });

        var result = await _probe.ProbeAsync("127.0.0.1", peer.Port, Query, CancellationToken.None);

        result.ShouldBe(ProbeResult.Err("connection closed"));
    }

    [Fact]
    public async Task ProbeAsync_ServerNeverAnswers_IsErrTimeoutAndClosesTheConnection()
    {
        using var peer = ScriptedPeer.Start((_, _) => Task.CompletedTask);

        var result = await _probe.ProbeAsync("127.0.0.1", peer.Port, Query with { Timeout = TimeSpan.FromMilliseconds(300) }, CancellationToken.None);

        result.ShouldBe(ProbeResult.Err("timeout"));
        await peer.ClientClosed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ProbeAsync_CallerCancelsWhileWaiting_Throws()
    {
        using var peer = new HungPeer();
        using var cancel = new CancellationTokenSource();
        var probe = _probe.ProbeAsync("127.0.0.1", peer.Port, Query with { Timeout = TimeSpan.FromMinutes(5) }, cancel.Token);

        await Poll.UntilAsync(() => Task.FromResult(peer.Connections), n => n > 0, TimeSpan.FromSeconds(10), "the probe to connect");
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => probe);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK", 200)]
    [InlineData("HTTP/1.0 502 Bad Gateway", 502)]
    [InlineData("HTTP/2.0  404", 404)]
    [InlineData("HTTP/1.1\t204", 204)]
    public void TryParseStatus_StatusLine_GivesTheCode(string line, int expected)
    {
        HttpProbe.TryParseStatus(Encoding.ASCII.GetBytes(line), out var status).ShouldBeTrue();
        status.ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("HTTP/1 200 OK")]
    [InlineData("HTTP/1.1 OK")]
    [InlineData(" HTTP/1.1 200 OK")]
    [InlineData("HTTP/1.1 99999999999 OK")]
    public void TryParseStatus_NotAStatusLine_Fails(string line) =>
        HttpProbe.TryParseStatus(Encoding.ASCII.GetBytes(line), out _).ShouldBeFalse();

    [Fact]
    public void Type_IsHttp() => _probe.Type.ShouldBe("http");
}
